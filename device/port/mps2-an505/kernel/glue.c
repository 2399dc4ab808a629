/* Runs the portable kernel (device/kernel/) on this port: initialised before the
 * application starts (and again when a fault restarts it), then polled from PendSV, the
 * lowest-priority secure exception, which SysTick and the link's receive interrupt pend.
 * Only in the kernel image. */
#include "an505.h"
#include "kernel.h"

int an505_kernel_start(void)
{
    return mvk_kernel_init();
}

void an505_kernel_work(uint64_t now_us)
{
    mvk_kernel_poll(now_us);
}

/* The kernel has no "application reset" yet: a full re-initialisation is the only way
 * to forget the old application's buffers, which the new one may reuse for other data.
 * It also starts a new boot (new boot id, new connection). */
void an505_app_restarting(void)
{
    if (mvk_kernel_init() != 0)
        an505_puts("mvk: kernel restart failed\n");
}
