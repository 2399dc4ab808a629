/* Interrupt ownership: the kernel keeps the secure UARTs' lines; every other
 * external interrupt targets the application (ITNS), which is what makes an IRQ
 * valid for notifications. Raising one pends it in the NS world. */
#include "an505.h"
#include "regs.h"
#include "port.h"

static int kernel_owns(uint32_t irq)
{
    return irq == UART_RX_IRQ(1) || irq == UART_TX_IRQ(1) || irq == UART_COMBINED_IRQ(1) ||
           irq == UART_RX_IRQ(2) || irq == UART_TX_IRQ(2) || irq == UART_COMBINED_IRQ(2) ||
           irq == UART_OVERFLOW_IRQ;
}

void an505_irq_init(void)
{
    uint32_t irq;

    for (irq = 0; irq < AN505_NUM_IRQS; irq++)
        if (!kernel_owns(irq))
            REG32(NVIC_ITNS(irq / 32u)) |= 1u << (irq % 32u);
    __asm volatile("dsb\n isb" ::: "memory");
}

void an505_irq_enable(uint32_t irq, uint8_t prio)
{
    *(volatile uint8_t *)(uintptr_t)NVIC_IPR(irq) = prio;
    REG32(NVIC_ISER(irq / 32u)) = 1u << (irq % 32u);
}

int mvk_port_irq_valid(uint32_t irq)
{
    return irq < AN505_NUM_IRQS && !kernel_owns(irq);
}

void mvk_port_raise_irq(uint32_t irq)
{
    if (!mvk_port_irq_valid(irq))
        return;
    REG32(NVIC_ISPR(irq / 32u)) = 1u << (irq % 32u);
}
