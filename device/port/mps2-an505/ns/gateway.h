/* The secure gateway entries, resolved against the secure image's import library
 * (an505_implib.o). The generated stubs (mv_stubs_an505.c) call the first; tests and
 * benchmarks may call both directly. */
#ifndef AN505_NS_GATEWAY_H
#define AN505_NS_GATEWAY_H

#include <stdint.h>

#define AN505_SYSCALL_ARGS 7u

/* Call number plus a pointer to 7 argument words (unused words are ignored). */
uint32_t mvk_an505_syscall(uint32_t nr, const uintptr_t *args);
/* Returns at once: measures the bare secure-call cost. */
uint32_t mvk_an505_null_gateway(void);

#endif
