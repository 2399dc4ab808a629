/* NS16550A registers (byte-wide, no shift on `virt`), shared by the link UART and
 * the two pci-serial consoles. The FIFOs are enabled: QEMU then accepts up to 16
 * bytes from its chardev and holds the rest back until there is room, so a kernel
 * that polls late loses nothing. */
#include "rv.h"

#define UART_RBR 0u
#define UART_THR 0u
#define UART_IER 1u
#define UART_FCR 2u
#define UART_LCR 3u
#define UART_MCR 4u
#define UART_LSR 5u
#define LSR_DR 0x01u
#define LSR_THRE 0x20u
#define IER_ERBFI 0x01u
#define FCR_ENABLE_CLEAR 0x07u
#define LCR_8N1 0x03u
#define MCR_DTR_RTS_OUT2 0x0Bu

void rv_uart_init(uintptr_t base, int rx_irq)
{
    RV_REG8(base + UART_LCR) = LCR_8N1;
    RV_REG8(base + UART_FCR) = FCR_ENABLE_CLEAR;
    RV_REG8(base + UART_MCR) = MCR_DTR_RTS_OUT2;
    RV_REG8(base + UART_IER) = rx_irq ? IER_ERBFI : 0u;
}

int rv_uart_tx_ready(uintptr_t base)
{
    return (RV_REG8(base + UART_LSR) & LSR_THRE) != 0;
}

void rv_uart_putc(uintptr_t base, uint8_t c)
{
    while (!rv_uart_tx_ready(base))
        ;
    RV_REG8(base + UART_THR) = c;
}

int rv_uart_rx_ready(uintptr_t base)
{
    return (RV_REG8(base + UART_LSR) & LSR_DR) != 0;
}

uint8_t rv_uart_getc(uintptr_t base)
{
    return RV_REG8(base + UART_RBR);
}
