/* External interrupts: only the link UART's, through the PLIC to M-mode. Its
 * handler masks the UART's receive interrupt (link.c); the kernel work run after
 * every kernel interrupt (trap.c) drains the UART. */
#include "rv.h"

void rv_plic_init(void)
{
    RV_REG32(RV_PLIC_PRIORITY(RV_LINK_UART_IRQ)) = 1u;
    RV_REG32(RV_PLIC_ENABLE0) = 1u << RV_LINK_UART_IRQ;
    RV_REG32(RV_PLIC_THRESHOLD) = 0u;
}

void rv_plic_handle(void)
{
    uint32_t irq;

    while ((irq = RV_REG32(RV_PLIC_CLAIM)) != 0u) {
        if (irq == RV_LINK_UART_IRQ)
            rv_link_rx_irq();
        RV_REG32(RV_PLIC_CLAIM) = irq; /* complete */
    }
}
