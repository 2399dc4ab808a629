/* The application console's text output on the emulated boards (ns_puts, ns_put_dec
 * of the port's console.h): the formatting is the same everywhere, only the byte
 * output (app_shim_putc) is the board's. CR before LF so a terminal on the QEMU
 * serial port shows lines as the logs do. */
#include "app_shim.h"
#include "console.h"
#include "fmt_num.h"

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
    char buf[PORT_FMT_NUM_LEN];

    ns_puts(port_fmt_dec(v, buf));
}
