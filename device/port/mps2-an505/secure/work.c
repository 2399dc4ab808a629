/* Secure background work in PendSV at the lowest priority: the kernel's connection
 * and timers run here, pre-empted by every application interrupt. The bring-up has
 * no work; the kernel image overrides an505_kernel_work() and an505_kernel_start()
 * (kernel/glue.c), and the update hooks (kernel/update_an505.c). PendSV is also where
 * an update restarts the application: only there is it certain that the application
 * was interrupted in thread mode, with no system call of its own in progress. */
#include "an505.h"
#include "regs.h"
#include "port.h"

void PendSV_Handler(void);
uint32_t an505_pendsv(uint32_t exc_return);

void an505_pend_kernel_work(void)
{
    REG32(SCB_ICSR) = ICSR_PENDSVSET;
}

/* Returns the EXC_RETURN to leave with: the interrupted code, or a fresh application. */
uint32_t an505_pendsv(uint32_t exc_return)
{
    an505_kernel_work(mvk_port_now_us());
    if (!(exc_return & EXC_RETURN_S) && (exc_return & EXC_RETURN_MODE) &&
        an505_update_restart_due()) {
        an505_update_restarting();
        return an505_ns_restart_frame();
    }
    return exc_return;
}

/* As the fault handlers: EXC_RETURN in, whatever an505_pendsv chose out. */
__attribute__((naked)) void PendSV_Handler(void)
{
    __asm volatile("mov r0, lr\n"
                   "bl an505_pendsv\n"
                   "bx r0\n");
}

__attribute__((weak)) void an505_kernel_work(uint64_t now_us)
{
    (void)now_us;
}

__attribute__((weak)) int an505_kernel_start(void)
{
    return 0;
}

__attribute__((weak)) void an505_app_restarting(void)
{
}

__attribute__((weak)) int an505_update_restart_due(void)
{
    return 0;
}

__attribute__((weak)) void an505_update_restarting(void)
{
}
