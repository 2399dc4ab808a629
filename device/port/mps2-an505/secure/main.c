/* Secure boot of the mps2-an505 port: console, world split, interrupt routing,
 * time base and link, then the application. Runs once, from picolibc's crt0. */
#include "an505.h"
#include "regs.h"

#define PENDSV_PRIO_SHIFT 16u

int main(void)
{
    an505_console_init();
    an505_puts("mvk: mps2-an505 secure kernel (bring-up)\n");
    an505_security_init();
    an505_irq_init();
    /* PendSV (kernel work) at the lowest priority: everything pre-empts it. */
    REG32(SCB_SHPR3) |= 0xFFu << PENDSV_PRIO_SHIFT;
    an505_systick_init();
    an505_link_init();
    an505_puts("mvk: starting application\n");
    an505_ns_start();
}
