/* The QEMU riscv `virt` board as this port uses it: the memory map (kernel and
 * application regions in DRAM), the devices and their registers. One hart, rv32imac,
 * M-mode kernel, U-mode application (docs/riscv.md has the map as a table). */
#ifndef RV_BOARD_H
#define RV_BOARD_H

/* DRAM (-m 32M): kernel image, provisioning blob, application flash and RAM. The
 * application regions are naturally aligned powers of two (one NAPOT PMP entry each). */
#define RV_KERNEL_BASE 0x80000000u /* kernel code, data and stack (8 MiB) */
#define RV_PROV_BASE 0x807F0000u   /* provisioning blob, last 64 KiB of kernel RAM */
#define RV_PROV_SIZE 0x10000u
#define RV_APP_FLASH 0x80800000u /* application image (R+X for U-mode) */
#define RV_APP_FLASH_SIZE 0x200000u
#define RV_APP_RAM 0x80A00000u /* application data and stack (R+W for U-mode) */
#define RV_APP_RAM_SIZE 0x200000u
/* Update slots (docs/ota.md): kernel memory with no PMP entry, as large as the
 * application image: the staged download, and the previous image a rollback restores. */
#define RV_UPD_STAGE 0x80C00000u
#define RV_UPD_PREV 0x80E00000u
#define RV_UPD_SLOT_SIZE RV_APP_FLASH_SIZE

/* sifive_test: write FINISHER_PASS / (code << 16) | FINISHER_FAIL / FINISHER_RESET. */
#define RV_FINISHER 0x00100000u
#define RV_FINISHER_FAIL 0x3333u
#define RV_FINISHER_PASS 0x5555u
#define RV_FINISHER_RESET 0x7777u

/* CLINT: 64-bit mtime and hart 0's mtimecmp; 10 MHz timebase on `virt`. */
#define RV_CLINT_MTIMECMP 0x02004000u
#define RV_CLINT_MTIME 0x0200BFF8u
#define RV_MTIME_HZ 10000000u

/* PLIC: hart 0, M-mode context 0. */
#define RV_PLIC_BASE 0x0C000000u
#define RV_PLIC_PRIORITY(irq) (RV_PLIC_BASE + 4u * (irq))
#define RV_PLIC_ENABLE0 (RV_PLIC_BASE + 0x2000u)
#define RV_PLIC_THRESHOLD (RV_PLIC_BASE + 0x200000u)
#define RV_PLIC_CLAIM (RV_PLIC_BASE + 0x200004u)

/* The board's 16550 UART (link to the relay) and its PLIC interrupt. */
#define RV_LINK_UART 0x10000000u
#define RV_LINK_UART_IRQ 10u

/* Two pci-serial devices (16550 behind PCI, -device pci-serial,addr=N): the
 * application console in slot 2 and the kernel console in slot 3. The kernel assigns
 * their I/O BARs in the PCI I/O window; only the application's is in its PMP map. */
#define RV_PCI_ECAM 0x30000000u
#define RV_PCI_CFG(slot, off) (RV_PCI_ECAM + ((slot) << 15) + (off))
#define RV_PCI_PIO 0x03000000u
#define RV_APP_CONSOLE_SLOT 2u
#define RV_APP_CONSOLE_IO 0x1000u
#define RV_APP_CONSOLE (RV_PCI_PIO + RV_APP_CONSOLE_IO)
#define RV_KERNEL_CONSOLE_SLOT 3u
#define RV_KERNEL_CONSOLE_IO 0x2000u
#define RV_KERNEL_CONSOLE (RV_PCI_PIO + RV_KERNEL_CONSOLE_IO)

#define RV_REG8(a) (*(volatile uint8_t *)(uintptr_t)(a))
#define RV_REG16(a) (*(volatile uint16_t *)(uintptr_t)(a))
#define RV_REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))

/* Machine CSR bits used by the port. */
#define RV_MSTATUS_MPP (3u << 11)
#define RV_MSTATUS_MPIE (1u << 7)
#define RV_MIE_MTIE (1u << 7)
#define RV_MIE_MEIE (1u << 11)
#define RV_MCAUSE_INT 0x80000000u
#define RV_IRQ_MTIMER 7u
#define RV_IRQ_MEXT 11u
#define RV_EXC_ECALL_U 8u

/* Port-private ecall numbers of the application shim, above every table number
 * (the generator caps them at 4096). */
#define RV_ECALL_SET_UPCALL 0x8000u    /* a0 = upcall entry in application flash */
#define RV_ECALL_UPCALL_RETURN 0x8001u /* end of an upcall: resume the application */
#define RV_ECALL_UPCALL_MASK 0x8002u   /* a0 = 1 mask, 0 unmask; back: previous state */

#endif
