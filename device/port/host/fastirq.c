/* Host port fast interrupts (mvSetFastInterrupt and friends): a fast IRQ is marked in
 * the software NVIC, whose signal handler then runs it even while the app thread is in
 * the kernel or waits for the kernel lock; live or not is the NVIC enable bit, so a
 * disabled fast IRQ stays pending. */
#include "nvic.h"
#include "port.h"

int mvk_port_fastirq(uint32_t irq, int fast, int live)
{
    if (irq >= MVK_HOST_NUM_IRQS)
        return -1;
    mvk_host_nvic_set_fast(irq, fast);
    if (live)
        mvk_host_nvic_enable(irq);
    else
        mvk_host_nvic_disable(irq);
    return 0;
}
