/* The application console's text output on the emulated boards (ns_puts, ns_put_dec
 * of the port's console.h): the formatting is the same everywhere, only the byte
 * output (app_shim_putc) is the board's. CR before LF so a terminal on the QEMU
 * serial port shows lines as the logs do. */
#include "app_shim.h"
#include "console.h"

void ns_puts(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            app_shim_putc('\r');
        app_shim_putc(*s);
    }
}

void ns_put_dec(uint32_t v)
{
    char buf[11];
    int i = 10;

    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0 && i > 0);
    ns_puts(&buf[i]);
}
