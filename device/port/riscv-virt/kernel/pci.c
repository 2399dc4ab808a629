/* The consoles are pci-serial devices (the `virt` board has one 16550, which is the
 * link): the kernel, which alone can reach the ECAM, gives each its I/O BAR in the
 * PCI I/O window and enables I/O decoding. QEMU's generic PCIe host needs nothing
 * else; the application's console then appears at RV_PCI_PIO + its I/O address. */
#include "rv.h"

#define PCI_VENDOR_DEVICE 0x00u
#define PCI_COMMAND 0x04u
#define PCI_BAR0 0x10u
#define PCI_COMMAND_IO 0x1u
#define PCI_SERIAL_ID 0x00021B36u /* Red Hat 1b36:0002 */

int rv_pci_console_init(uint32_t slot, uint32_t io_addr)
{
    if (RV_REG32(RV_PCI_CFG(slot, PCI_VENDOR_DEVICE)) != PCI_SERIAL_ID)
        return -1;
    RV_REG32(RV_PCI_CFG(slot, PCI_BAR0)) = io_addr;
    RV_REG16(RV_PCI_CFG(slot, PCI_COMMAND)) = PCI_COMMAND_IO;
    return 0;
}
