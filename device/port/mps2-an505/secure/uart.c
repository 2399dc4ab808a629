/* CMSDK APB UART, the minimum the port needs: enable, polled transmit, receive
 * interrupt enable. QEMU ignores the baud rate but wants a divider >= 16. */
#include "an505.h"
#include "regs.h"

#define UART_DATA 0x00u
#define UART_STATE 0x04u
#define UART_CTRL 0x08u
#define UART_BAUDDIV 0x10u
#define STATE_TXFULL (1u << 0)
#define CTRL_TXEN (1u << 0)
#define CTRL_RXEN (1u << 1)
#define CTRL_RXINTEN (1u << 3)
#define CTRL_RXOVRINTEN (1u << 5)

void an505_uart_init(uint32_t base, int rx_irq)
{
    REG32(base + UART_BAUDDIV) = AN505_CPU_HZ / 115200u;
    REG32(base + UART_CTRL) = CTRL_TXEN | CTRL_RXEN | (rx_irq ? CTRL_RXINTEN | CTRL_RXOVRINTEN : 0u);
}

int an505_uart_tx_ready(uint32_t base)
{
    return (REG32(base + UART_STATE) & STATE_TXFULL) == 0;
}

void an505_uart_putc(uint32_t base, uint8_t c)
{
    while (!an505_uart_tx_ready(base))
        ;
    REG32(base + UART_DATA) = c;
}
