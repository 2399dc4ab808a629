/* The one secure gateway: the application passes a call number and a pointer to its
 * 7 argument words (the stubs' packing); the words are copied into secure memory once
 * (no double fetch) and the call is dispatched through the generated table.
 * The kernel is not reentrant. During a call BASEPRI masks PendSV (kernel work) and,
 * with AIRCR.PRIS, every ordinary application interrupt, so a notification IRQ raised
 * by the call is taken after it returns; fast interrupts (irq.c) are not masked. A call
 * made while kernel work runs or while another call is in progress (an application
 * interrupt pre-empted it: PendSV, or a fast IRQ during a call) gets
 * MV_STATUS_MICROVISORBUSY. An mvRestart that applied an update does not return: the
 * gateway enters the new application instead (an505_ns_restart_from_call). */
#include <arm_cmse.h>
#include <string.h>

#include "an505.h"
#include "mvk_sys_decl.h"
#include "regs.h"

/* Set while a call runs: a fast interrupt's handler may pre-empt it and call again. */
static volatile uint32_t in_call;

uint32_t __attribute__((cmse_nonsecure_entry))
mvk_an505_syscall(uint32_t nr, const uintptr_t *args);
uint32_t __attribute__((cmse_nonsecure_entry)) mvk_an505_null_gateway(void);

/* A call from an application handler cannot restart the application in place (the
 * handler would stay active): PendSV does it once the application is back in thread
 * mode (work.c). */
static int from_thread_mode(void)
{
    uint32_t ipsr;

    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    return ipsr == 0;
}

uint32_t __attribute__((cmse_nonsecure_entry))
mvk_an505_syscall(uint32_t nr, const uintptr_t *args)
{
    uintptr_t a[MVK_SYSCALL_MAX_ARGS];
    uint32_t basepri, rc;

    if (nr >= mvk_syscall_table_size || mvk_syscall_table[nr] == NULL)
        return MV_STATUS_UNAVAILABLE;
    if ((REG32(SCB_SHCSR) & SHCSR_PENDSVACT) || in_call)
        return MV_STATUS_MICROVISORBUSY;
    if (cmse_check_address_range((void *)(uintptr_t)args, sizeof a,
                                 CMSE_NONSECURE | CMSE_MPU_READ) == NULL)
        return MV_STATUS_PARAMETERFAULT;
    memcpy(a, args, sizeof a);
    __asm volatile("mrs %0, basepri\n msr basepri, %1"
                   : "=&r"(basepri)
                   : "r"(AN505_KERNEL_BASEPRI)
                   : "memory");
    in_call = 1;
    rc = mvk_syscall_table[nr](a);
    if (an505_update_restart_due() && from_thread_mode()) {
        /* mvRestart applied an update: on success it does not return. */
        in_call = 0;
        an505_ns_restart_from_call(basepri);
    }
    in_call = 0;
    __asm volatile("msr basepri, %0" ::"r"(basepri) : "memory");
    return rc;
}

/* An empty gateway: the benchmark subtracts it to show the cost of dispatch. */
uint32_t __attribute__((cmse_nonsecure_entry)) mvk_an505_null_gateway(void)
{
    return MV_STATUS_OKAY;
}
