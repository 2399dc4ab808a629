/* The kernel console: the pci-serial in slot 3, which has no PMP entry, so only the
 * kernel writes it. Polled; lines are short and rare. Without the device (QEMU run
 * without it) output is dropped rather than written to an unmapped address. */
#include "fmt_num.h"
#include "rv.h"

static int console_ok;

void rv_console_init(void)
{
    console_ok = rv_pci_console_init(RV_KERNEL_CONSOLE_SLOT, RV_KERNEL_CONSOLE_IO) == 0;
    if (console_ok)
        rv_uart_init(RV_KERNEL_CONSOLE, 0);
}

void rv_puts(const char *s)
{
    if (!console_ok)
        return;
    for (; *s; s++) {
        if (*s == '\n')
            rv_uart_putc(RV_KERNEL_CONSOLE, '\r');
        rv_uart_putc(RV_KERNEL_CONSOLE, (uint8_t)*s);
    }
}

void rv_put_hex(uint32_t v)
{
    char buf[PORT_FMT_NUM_LEN];

    rv_puts(port_fmt_hex(v, buf));
}
