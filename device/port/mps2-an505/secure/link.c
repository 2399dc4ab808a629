/* The byte pipe to the relay over UART1, which QEMU bridges to a TCP socket
 * (-chardev socket,...,reconnect=1). QEMU reconnects by itself, so "open" only
 * resets the pipe state; TLS and WebSocket above detect a broken stream. */
#include "an505.h"
#include "regs.h"
#include "port.h"
#include "ring.h"

#define LINK_UART UART_S_BASE(1)
#define UART_DATA 0x00u
#define UART_STATE 0x04u
#define UART_INTSTATUS 0x0Cu
#define STATE_RXFULL (1u << 1)
#define LINK_IRQ_PRIO 0x40u /* above every application interrupt (PRIS) */

static struct an505_ring rx_ring;
static int link_open;

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

int mvk_port_link_open(void)
{
    uint32_t primask;

    __asm volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    an505_ring_reset(&rx_ring);
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
    link_open = 1;
    return 0;
}

int mvk_port_link_status(void)
{
    return link_open ? 1 : MVK_LINK_CLOSED;
}

long mvk_port_link_send(const uint8_t *p, size_t n)
{
    size_t i = 0;

    if (!link_open)
        return MVK_LINK_CLOSED;
    while (i < n && an505_uart_tx_ready(LINK_UART))
        REG32(LINK_UART + UART_DATA) = p[i++];
    return i ? (long)i : MVK_LINK_AGAIN;
}

long mvk_port_link_recv(uint8_t *p, size_t n)
{
    size_t got;

    if (!link_open)
        return MVK_LINK_CLOSED;
    got = an505_ring_get(&rx_ring, p, n);
    return got ? (long)got : MVK_LINK_AGAIN;
}

void mvk_port_link_close(void)
{
    link_open = 0;
}
