/* The secure console on UART2 (secure alias, never given to the application):
 * kernel messages and fault reports. Polled and unbuffered, so it works from
 * fault handlers. */
#include "an505.h"
#include "fmt_num.h"
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
    char buf[PORT_FMT_NUM_LEN];

    an505_puts(port_fmt_hex(v, buf));
}

void an505_put_dec(uint32_t v)
{
    char buf[PORT_FMT_NUM_LEN];

    an505_puts(port_fmt_dec(v, buf));
}
