/* Secure background work in PendSV at the lowest priority: the kernel's connection
 * and timers run here, pre-empted by every application interrupt. The bring-up has
 * no work; the kernel image overrides an505_kernel_work() and an505_kernel_start()
 * (kernel/glue.c). */
#include "an505.h"
#include "regs.h"
#include "port.h"

void PendSV_Handler(void);

void an505_pend_kernel_work(void)
{
    REG32(SCB_ICSR) = ICSR_PENDSVSET;
}

void PendSV_Handler(void)
{
    an505_kernel_work(mvk_port_now_us());
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
