/* Boot of the riscv-virt kernel image (M-mode), from picolibc's crt0: consoles,
 * PMP, time, link, identity, the portable kernel, then the application in U-mode. */
#include "port.h"
#include "rv.h"

int main(void)
{
    rv_console_init();
    rv_puts("mvk: riscv-virt kernel (M-mode)\n");
    /* The application console exists before the application does: only the kernel
     * can reach the PCI configuration space. */
    if (rv_pci_console_init(RV_APP_CONSOLE_SLOT, RV_APP_CONSOLE_IO) != 0)
        rv_puts("mvk: no application console (pci-serial in slot 2)\n");
    rv_pmp_init();
    rv_trap_init();
    rv_clint_init();
    rv_plic_init();
    rv_link_init();
    if (rv_identity_init() == 0) {
        rv_puts("mvk: device ");
        rv_puts(mvk_port_identity()->device_id);
        rv_puts("\n");
    } else {
        rv_puts("mvk: no provisioning blob at 0x807f0000: no identity\n");
    }
    if (rv_kernel_start() != 0) {
        rv_puts("mvk: kernel start failed (no entropy: provisioning blob missing?), halted\n");
        rv_finish(3);
    }
    rv_puts("mvk: starting application\n");
    rv_app_start();
}
