/* A bounded static heap for mbedTLS on targets without libc malloc in the kernel.
 * mbedTLS allocates record buffers and handshake state at run time; this arena gives
 * it MVK_TLS_ARENA_SIZE bytes and nothing more (an exhausted arena fails the handshake,
 * it never grows). Used when mbedTLS is built with MBEDTLS_PLATFORM_MEMORY. */
#ifndef MVK_TLS_ARENA_H
#define MVK_TLS_ARENA_H

#include <stddef.h>

#define MVK_TLS_ARENA_SIZE (64u * 1024u)

void *mvk_tls_arena_calloc(size_t nmemb, size_t size);
void mvk_tls_arena_free(void *p);
/* Bytes currently allocated (including block headers); for tests and diagnostics. */
size_t mvk_tls_arena_used(void);
/* Points mbedTLS at the arena when the library allows it; a no-op otherwise. */
void mvk_tls_arena_install(void);

#endif
