/* Runs the portable kernel (device/kernel/) on this port: initialised before the
 * application starts, polled after every kernel interrupt (1 ms tick, link receive),
 * and reset for the application alone when a fault restarts it. The kernel never
 * runs in an upcall or under one: the application cannot pre-empt it. */
#include "kernel.h"
#include "log.h"
#include "port.h"
#include "rv.h"

/* The boot id on the kernel console, so a test can see that an application restart
 * keeps the kernel's boot (it is sent to the relay in HELLO; not a secret). */
static void put_boot_id(const char *what)
{
    uint64_t id = mvk_log_boot_id();

    rv_puts(what);
    rv_put_hex((uint32_t)(id >> 32));
    rv_puts(" ");
    rv_put_hex((uint32_t)id);
    rv_puts("\n");
}

int rv_kernel_start(void)
{
    if (mvk_kernel_init() != 0)
        return -1;
    rv_update_attach();
    put_boot_id("mvk: kernel boot id ");
    return 0;
}

void rv_kernel_work(void)
{
    mvk_kernel_poll(mvk_port_now_us());
}

void rv_kernel_app_restarting(void)
{
    mvk_kernel_app_reset();
    mvk_kernel_note_app_crash(); /* mvGetWakeReason: APPLICATIONCRASH */
    rv_update_after_fault();     /* an app on trial that faulted too often: rolled back */
    put_boot_id("mvk: application reset, boot id ");
}
