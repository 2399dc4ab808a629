/* The dispatch table the gateway calls through. In the bring-up phase it comes from
 * bringup_sys.c, numbered from syscall.tbl by gen_bringup.sh; once the kernel and its
 * generator target this port, the generated mvk_syscall_table[] takes its place. */
#ifndef AN505_TABLE_H
#define AN505_TABLE_H

#include <stdint.h>

#define AN505_SYSCALL_ARGS 7u

typedef uint32_t (*an505_thunk)(const uintptr_t args[AN505_SYSCALL_ARGS]);

extern const an505_thunk an505_syscall_table[];
extern const uint32_t an505_syscall_count;

/* Status values the gateway itself returns (enum MvStatus). */
#define AN505_STATUS_OKAY 0u
#define AN505_STATUS_PARAMETERFAULT 2u
#define AN505_STATUS_UNAVAILABLE 0xau

#endif
