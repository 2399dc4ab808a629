/* The one secure gateway: the application passes a call number and a pointer to its
 * 7 argument words (the stubs' packing); the words are copied into secure memory once
 * (no double fetch) and the call is dispatched through the generated table. Kernel
 * background work (PendSV) is masked meanwhile, so a system call never interleaves
 * with it. */
#include <arm_cmse.h>
#include <string.h>

#include "an505.h"
#include "mvk_sys_decl.h"

/* Masks PendSV (lowest priority) but not the link or application interrupts. */
#define KERNEL_WORK_PRIO 0xE0u

uint32_t __attribute__((cmse_nonsecure_entry))
mvk_an505_syscall(uint32_t nr, const uintptr_t *args);
uint32_t __attribute__((cmse_nonsecure_entry)) mvk_an505_null_gateway(void);

uint32_t __attribute__((cmse_nonsecure_entry))
mvk_an505_syscall(uint32_t nr, const uintptr_t *args)
{
    uintptr_t a[MVK_SYSCALL_MAX_ARGS];
    uint32_t basepri, rc;

    if (nr >= mvk_syscall_table_size || mvk_syscall_table[nr] == NULL)
        return MV_STATUS_UNAVAILABLE;
    if (cmse_check_address_range((void *)(uintptr_t)args, sizeof a,
                                 CMSE_NONSECURE | CMSE_MPU_READ) == NULL)
        return MV_STATUS_PARAMETERFAULT;
    memcpy(a, args, sizeof a);
    __asm volatile("mrs %0, basepri\n msr basepri, %1"
                   : "=&r"(basepri)
                   : "r"(KERNEL_WORK_PRIO)
                   : "memory");
    rc = mvk_syscall_table[nr](a);
    __asm volatile("msr basepri, %0" ::"r"(basepri) : "memory");
    return rc;
}

/* An empty gateway: the benchmark subtracts it to show the cost of dispatch. */
uint32_t __attribute__((cmse_nonsecure_entry)) mvk_an505_null_gateway(void)
{
    return MV_STATUS_OKAY;
}
