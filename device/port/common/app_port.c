/* mv_app_port.h for the emulated boards (mps2-an505, riscv-virt), so that the portable
 * applications in device/apps/ run unchanged there: the registered entry becomes
 * main(), IRQ handlers go wherever the port's app_shim_irq_attach() puts them, and
 * waiting is WFI (allowed to the application on both boards; the kernel's 1 ms tick
 * bounds every sleep, so a wake-up between the check and the WFI costs at most a
 * tick). Linked only into device/apps images. */
#include <stddef.h>

#include "app_shim.h"
#include "console.h"
#include "mv_app_port.h"
#include "mv_syscalls.h"

int main(void);

static void (*app_entry)(void);
static const char *app_name;

void app_port_register(const char *name, void (*entry)(void))
{
    if (app_entry == NULL) { /* one application per image */
        app_name = name;
        app_entry = entry;
    }
}

int app_port_set_irq_handler(uint32_t irq, void (*handler)(void))
{
    return app_shim_irq_attach(irq, handler);
}

void app_port_wait_ms(uint32_t ms)
{
    uint32_t seen = app_shim_irq_count();
    uint64_t start = 0, now = 0;

    if (mvGetMicroseconds(&start) != MV_STATUS_OKAY)
        return;
    for (;;) {
        __asm volatile("wfi");
        if (app_shim_irq_count() != seen || mvGetMicroseconds(&now) != MV_STATUS_OKAY ||
            now - start >= (uint64_t)ms * 1000u)
            return;
    }
}

int main(void)
{
    if (app_entry == NULL) {
        ns_puts("app: no application registered\n");
        return 1;
    }
    ns_puts("app: starting ");
    ns_puts(app_name);
    ns_puts("\n");
    app_entry();
    ns_puts("app: returned\n");
    for (;;)
        __asm volatile("wfi");
}
