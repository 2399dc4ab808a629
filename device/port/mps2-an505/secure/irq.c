/* Interrupt ownership and priorities: the kernel keeps the secure UARTs' lines; every
 * other external interrupt targets the application (ITNS), which is what makes an IRQ
 * valid for notifications. Raising one pends it in the NS world.
 * Priorities, with AIRCR.PRIS (security.c) mapping an NS priority p to 0x80 + p/2:
 * ordinary application IRQs start at NS 0x80 (effective 0xC0), fast ones get NS 0x00
 * (effective 0x80). A system call runs with BASEPRI_S = AN505_KERNEL_BASEPRI (0xA0),
 * which masks the first and not the second: a fast IRQ pre-empts the kernel. */
#include "an505.h"
#include "regs.h"
#include "port.h"

#define IPR(irq) (*(volatile uint8_t *)(uintptr_t)NVIC_IPR(irq))

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
        if (!kernel_owns(irq)) {
            REG32(NVIC_ITNS(irq / 32u)) |= 1u << (irq % 32u);
            IPR(irq) = AN505_APP_IRQ_PRIO;
        }
    __asm volatile("dsb\n isb" ::: "memory");
}

void an505_irq_enable(uint32_t irq, uint8_t prio)
{
    IPR(irq) = prio;
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

/* The priority first, then the enable: a fast IRQ never runs at the ordinary level
 * and an ordinary one never at the fast level. Disabled, an IRQ stays pending. */
int mvk_port_fastirq(uint32_t irq, int fast, int live)
{
    if (!mvk_port_irq_valid(irq))
        return -1;
    if (!live)
        REG32(NVIC_ICER(irq / 32u)) = 1u << (irq % 32u);
    __asm volatile("dsb\n isb" ::: "memory");
    IPR(irq) = fast ? AN505_FAST_IRQ_PRIO : AN505_APP_IRQ_PRIO;
    if (live)
        REG32(NVIC_ISER(irq / 32u)) = 1u << (irq % 32u);
    __asm volatile("dsb\n isb" ::: "memory");
    return 0;
}
