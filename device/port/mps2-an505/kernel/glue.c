/* Runs the portable kernel (device/kernel/) on this port: initialised before the
 * application starts, reset for the application alone when a fault restarts it, and
 * polled from PendSV, the lowest-priority secure exception, which SysTick and the link's
 * receive interrupt pend. Only in the kernel image. */
#include "an505.h"
#include "kernel.h"
#include "log.h"

/* The boot id on the secure console, so a test can see that an application restart
 * keeps the kernel's boot (it is sent to the relay in HELLO; not a secret). */
static void put_boot_id(const char *what)
{
    uint64_t id = mvk_log_boot_id();

    an505_puts(what);
    an505_put_hex((uint32_t)(id >> 32));
    an505_puts(" ");
    an505_put_hex((uint32_t)id);
    an505_puts("\n");
}

int an505_kernel_start(void)
{
    if (mvk_kernel_init() != 0)
        return -1;
    an505_update_attach();
    put_boot_id("mvk: kernel boot id ");
    return 0;
}

void an505_kernel_work(uint64_t now_us)
{
    mvk_kernel_poll(now_us);
}

/* Only the application's state goes: the session, boot id and log sequence stay, and
 * unacknowledged log records in the old buffer are reported as a GAP record once the
 * new application calls mvServerLoggingInit. */
void an505_app_restarting(void)
{
    mvk_kernel_app_reset();
    mvk_kernel_note_app_crash(); /* mvGetWakeReason: APPLICATIONCRASH, as on the host */
    an505_update_after_fault();  /* an app on trial that faulted too often: rolled back */
    put_boot_id("mvk: application reset, boot id ");
}
