/* Host port IRQs for the kernel: any STM32U585 NVIC number is a valid notification IRQ
 * (Microvisor lets the application pick, e.g. TIM8_BRK 51), and raising one pends it in
 * the software NVIC, which runs the app's handler on the app's thread once enabled. */
#include "nvic.h"
#include "port.h"

int mvk_port_irq_valid(uint32_t irq)
{
    return irq < MVK_HOST_NUM_IRQS;
}

void mvk_port_raise_irq(uint32_t irq)
{
    if (irq < MVK_HOST_NUM_IRQS)
        mvk_host_nvic_pend(irq);
}
