/* The byte pipe to the relay over the board's 16550 UART, which QEMU bridges to a TCP
 * socket (-serial chardev:net0 with a reconnecting socket chardev, as on mps2-an505).
 * No receive ring: the receive interrupt only wakes the kernel and is masked until
 * the kernel has read the FIFO empty, and while the FIFO is full QEMU holds the
 * socket's bytes back, so flow control reaches back to the relay and nothing is
 * dropped. QEMU reconnects by itself, so "open" only resets the pipe state; TLS and
 * WebSocket above detect a broken stream. */
#include "port.h"
#include "rv.h"

#define UART_IER 1u
#define IER_ERBFI 0x01u

static int link_open;

void rv_link_init(void)
{
    rv_uart_init(RV_LINK_UART, 1);
}

/* Called from the PLIC handler: mask the receive interrupt (the line stays high while
 * data waits) until mvk_port_link_recv() has drained the FIFO. */
void rv_link_rx_irq(void)
{
    RV_REG8(RV_LINK_UART + UART_IER) = 0u;
}

int mvk_port_link_open(void)
{
    while (rv_uart_rx_ready(RV_LINK_UART)) /* stale bytes of an old connection */
        (void)rv_uart_getc(RV_LINK_UART);
    RV_REG8(RV_LINK_UART + UART_IER) = IER_ERBFI;
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
    while (i < n && rv_uart_tx_ready(RV_LINK_UART))
        rv_uart_putc(RV_LINK_UART, p[i++]);
    return i ? (long)i : MVK_LINK_AGAIN;
}

long mvk_port_link_recv(uint8_t *p, size_t n)
{
    size_t got = 0;

    if (!link_open)
        return MVK_LINK_CLOSED;
    while (got < n && rv_uart_rx_ready(RV_LINK_UART))
        p[got++] = rv_uart_getc(RV_LINK_UART);
    if (!rv_uart_rx_ready(RV_LINK_UART))
        RV_REG8(RV_LINK_UART + UART_IER) = IER_ERBFI; /* drained: wake us for more */
    return got ? (long)got : MVK_LINK_AGAIN;
}

void mvk_port_link_close(void)
{
    link_open = 0;
}
