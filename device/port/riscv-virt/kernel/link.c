/* The link to the relay on the board's 16550 UART, which QEMU bridges to a TCP socket
 * (-serial chardev:net0 with a reconnecting socket chardev, as on mps2-an505): this
 * board's hooks under the shared pipe (device/port/common/link_pipe.c).
 * No receive ring: the receive interrupt only wakes the kernel and is masked until
 * the kernel has read the FIFO empty, and while the FIFO is full QEMU holds the
 * socket's bytes back, so flow control reaches back to the relay and nothing is
 * dropped. */
#include "link_pipe.h"
#include "rv.h"

#define UART_IER 1u
#define IER_ERBFI 0x01u

void rv_link_init(void)
{
    rv_uart_init(RV_LINK_UART, 1);
}

/* Called from the PLIC handler: mask the receive interrupt (the line stays high while
 * data waits) until port_link_rx() has drained the FIFO. */
void rv_link_rx_irq(void)
{
    RV_REG8(RV_LINK_UART + UART_IER) = 0u;
}

void port_link_reset(void)
{
    while (rv_uart_rx_ready(RV_LINK_UART)) /* stale bytes of an old connection */
        (void)rv_uart_getc(RV_LINK_UART);
    RV_REG8(RV_LINK_UART + UART_IER) = IER_ERBFI;
}

size_t port_link_tx(const uint8_t *p, size_t n)
{
    size_t i = 0;

    while (i < n && rv_uart_tx_ready(RV_LINK_UART))
        rv_uart_putc(RV_LINK_UART, p[i++]);
    return i;
}

size_t port_link_rx(uint8_t *p, size_t n)
{
    size_t got = 0;

    while (got < n && rv_uart_rx_ready(RV_LINK_UART))
        p[got++] = rv_uart_getc(RV_LINK_UART);
    if (!rv_uart_rx_ready(RV_LINK_UART))
        RV_REG8(RV_LINK_UART + UART_IER) = IER_ERBFI; /* drained: wake us for more */
    return got;
}
