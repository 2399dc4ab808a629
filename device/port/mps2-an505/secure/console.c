/* The secure console on UART2 (secure alias, never given to the application):
 * kernel messages and fault reports. Polled and unbuffered, so it works from
 * fault handlers. */
#include "an505.h"
#include "regs.h"

#define CONSOLE_UART UART_S_BASE(2)

void an505_console_init(void)
{
    an505_uart_init(CONSOLE_UART, 0);
}

void an505_puts(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            an505_uart_putc(CONSOLE_UART, '\r');
        an505_uart_putc(CONSOLE_UART, (uint8_t)*s);
    }
}

void an505_put_hex(uint32_t v)
{
    char buf[11] = "0x";
    int i;

    for (i = 0; i < 8; i++)
        buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xFu];
    buf[10] = '\0';
    an505_puts(buf);
}

void an505_put_dec(uint32_t v)
{
    char buf[11];
    int i = 10;

    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0 && i > 0);
    an505_puts(&buf[i]);
}
