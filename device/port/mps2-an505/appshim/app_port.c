/* mps2-an505's hooks for the shared mv_app_port.h shim (device/port/common/app_port.c):
 * the application's IRQ handlers go into its non-secure vector table (ns/vectors.c),
 * whose handlers count the interrupts taken. Linked only into device/apps images. */
#include "app_shim.h"
#include "vectors.h"

int app_shim_irq_attach(uint32_t irq, void (*handler)(void))
{
    return ns_irq_attach(irq, handler);
}

uint32_t app_shim_irq_count(void)
{
    return ns_irq_count;
}
