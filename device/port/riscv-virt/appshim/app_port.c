/* riscv-virt's hooks for the shared mv_app_port.h shim (device/port/common/app_port.c):
 * the application's IRQ handlers become upcall handlers (upcall.c), which count the
 * interrupts delivered. WFI in the shim's wait is allowed in U-mode on this hart (no
 * S-mode). Linked only into device/apps images. */
#include "app_shim.h"
#include "upcall.h"

int app_shim_irq_attach(uint32_t irq, void (*handler)(void))
{
    return rv_app_irq_attach(irq, handler);
}

uint32_t app_shim_irq_count(void)
{
    return rv_app_irq_count;
}
