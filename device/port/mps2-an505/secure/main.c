/* Secure boot of the mps2-an505 port: console, world split, interrupt routing,
 * time base and link, then the application. Runs once, from picolibc's crt0. */
#include "an505.h"
#include "port.h"
#include "regs.h"

#define PENDSV_PRIO_SHIFT 16u

int main(void)
{
    an505_console_init();
    an505_puts("mvk: mps2-an505 secure kernel\n");
    an505_security_init();
    an505_irq_init();
    /* PendSV (kernel work) at the lowest priority: everything pre-empts it. */
    REG32(SCB_SHPR3) |= 0xFFu << PENDSV_PRIO_SHIFT;
    an505_systick_init();
    an505_link_init();
    if (an505_identity_init() == 0) {
        an505_puts("mvk: device ");
        an505_puts(mvk_port_identity()->device_id);
        an505_puts("\n");
    } else {
        an505_puts("mvk: no provisioning blob at 0x381f0000: no identity\n");
    }
    if (an505_kernel_start() != 0) {
        /* Without a seeded DRBG the kernel cannot hand out handles: an application
         * started now would only see failures. */
        an505_puts("mvk: kernel start failed (no entropy: provisioning blob missing?), halted\n");
        for (;;)
            __asm volatile("wfi");
    }
    an505_puts("mvk: starting application\n");
    an505_ns_start();
}
