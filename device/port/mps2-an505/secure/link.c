/* The link to the relay on UART1, which QEMU bridges to a TCP socket: this board's
 * hooks under the shared pipe (device/port/common/link_pipe.c). Received bytes go
 * through a ring filled by the receive interrupt. */
#include "an505.h"
#include "link_pipe.h"
#include "regs.h"
#include "ring.h"

#define LINK_UART UART_S_BASE(1)
#define UART_DATA 0x00u
#define UART_STATE 0x04u
#define UART_INTSTATUS 0x0Cu
#define STATE_RXFULL (1u << 1)
#define LINK_IRQ_PRIO 0x40u /* above every application interrupt (PRIS) */

static struct an505_ring rx_ring;

void an505_link_init(void)
{
    an505_ring_reset(&rx_ring);
    an505_uart_init(LINK_UART, 1);
    an505_irq_enable(UART_RX_IRQ(1), LINK_IRQ_PRIO);
    an505_irq_enable(UART_OVERFLOW_IRQ, LINK_IRQ_PRIO);
}

/* The UART has a one-byte holding register, so this runs once per byte. Kicking the
 * kernel's work for every byte ran its whole poll (TLS, session, timers) per byte of
 * an update download; SysTick kicks it every millisecond anyway, so the interrupt only
 * does when a quarter of the ring fills before that (bench/README.md, an505_ota). */
#define LINK_KICK_AT (AN505_RING_SIZE / 4u)

/* Clear the latched status first, then drain: a byte arriving after the drain
 * raises the interrupt again instead of being stranded (an505-notes.md). */
void an505_link_rx_isr(void)
{
    size_t before = an505_ring_used(&rx_ring);

    REG32(LINK_UART + UART_INTSTATUS) = 0xFu;
    while (REG32(LINK_UART + UART_STATE) & STATE_RXFULL)
        (void)an505_ring_put(&rx_ring, (uint8_t)REG32(LINK_UART + UART_DATA));
    /* On crossing the mark only: a ring nobody drains (link closed) must not kick
     * the kernel for every further byte either. */
    if (before < LINK_KICK_AT && an505_ring_used(&rx_ring) >= LINK_KICK_AT)
        an505_pend_kernel_work();
}

/* The ring is shared with the receive interrupt: reset it with interrupts masked. */
void port_link_reset(void)
{
    uint32_t primask;

    __asm volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    an505_ring_reset(&rx_ring);
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
}

size_t port_link_tx(const uint8_t *p, size_t n)
{
    size_t i = 0;

    while (i < n && an505_uart_tx_ready(LINK_UART))
        REG32(LINK_UART + UART_DATA) = p[i++];
    return i;
}

size_t port_link_rx(uint8_t *p, size_t n)
{
    return an505_ring_get(&rx_ring, p, n);
}
