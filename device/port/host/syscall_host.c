/* Host port system-call entry: the generated stubs (mv_stubs_host.c) pack a call into a
 * number and up to 7 argument words; this enters kernel context and dispatches through
 * the generated table. The application and the kernel share one process here. */
#include <stddef.h>
#include <stdint.h>

#include "mvk_sys_decl.h"

uint32_t mvk_host_syscall(uint32_t nr, const uintptr_t args[MVK_SYSCALL_MAX_ARGS]);
void mvk_host_kernel_enter(void);
void mvk_host_kernel_leave(void);
int mvk_host_in_kernel(void);

/* The host kernel model (docs/device.md) provides the real enter/leave (take and drop
 * the kernel lock); these no-op defaults keep tests that run single-threaded simple. */
__attribute__((weak)) void mvk_host_kernel_enter(void)
{
}

__attribute__((weak)) void mvk_host_kernel_leave(void)
{
}

__attribute__((weak)) int mvk_host_in_kernel(void)
{
    return 0;
}

/* A number outside the table, or a hole in it, is MV_STATUS_UNAVAILABLE: the call does
 * not exist in this kernel build (like ENOSYS), which is not a handle problem. */
uint32_t mvk_host_syscall(uint32_t nr, const uintptr_t args[MVK_SYSCALL_MAX_ARGS])
{
    uintptr_t a[MVK_SYSCALL_MAX_ARGS] = {0};
    mvk_syscall_fn fn;
    uint32_t ret;

    if (nr >= mvk_syscall_table_size || mvk_syscall_table[nr] == NULL)
        return (uint32_t)MV_STATUS_UNAVAILABLE;
    /* Only a fast interrupt's handler runs on a thread inside the kernel: the kernel is
     * not reentrant (as on the board, where the gateway refuses such a call). */
    if (mvk_host_in_kernel())
        return (uint32_t)MV_STATUS_MICROVISORBUSY;
    fn = mvk_syscall_table[nr];
    /* Copy the words once: the kernel never reads the caller's array again. */
    if (args != NULL) {
        for (size_t i = 0; i < MVK_SYSCALL_MAX_ARGS; i++)
            a[i] = args[i];
    }
    mvk_host_kernel_enter();
    ret = fn(a);
    mvk_host_kernel_leave();
    return ret;
}
