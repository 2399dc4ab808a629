/* Runs the portable kernel (device/kernel/) on this port: initialised once before the
 * application starts, then polled from PendSV, the lowest-priority secure exception,
 * which SysTick and the link's receive interrupt pend. Only in the kernel image. */
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
