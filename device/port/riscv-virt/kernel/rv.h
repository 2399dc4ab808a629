/* Functions shared between the files of the riscv-virt kernel image (private to the
 * port). The portable kernel sees the board only through device/kernel/port.h. */
#ifndef RV_H
#define RV_H

#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "rv_frame.h"

/* uart16550.c: register access shared by the link and the consoles. */
void rv_uart_init(uintptr_t base, int rx_irq);
int rv_uart_tx_ready(uintptr_t base);
void rv_uart_putc(uintptr_t base, uint8_t c);
int rv_uart_rx_ready(uintptr_t base);
uint8_t rv_uart_getc(uintptr_t base);

/* pci.c: gives the two pci-serial consoles their I/O windows (0, or -1 if absent). */
int rv_pci_console_init(uint32_t slot, uint32_t io_addr);

/* console.c: the kernel console (pci-serial in slot 3, kernel only). */
void rv_console_init(void);
void rv_puts(const char *s);
void rv_put_hex(uint32_t v);

/* finisher.c: end the QEMU run (tests, benchmarks, unrecoverable faults). */
void rv_finish(uint32_t code) __attribute__((noreturn));
void rv_reset(void) __attribute__((noreturn));

/* pmp.c: the application's PMP map (app_regions.c has the regions). */
void rv_pmp_init(void);

/* clint.c: 1 ms tick from mtimecmp; mtime counts since boot. */
void rv_clint_init(void);
void rv_clint_tick(void);
uint64_t rv_mtime(void);

/* plic.c: external interrupts (the link UART). */
void rv_plic_init(void);
void rv_plic_handle(void);

/* link.c */
void rv_link_init(void);
void rv_link_rx_irq(void);

/* identity.c: parse the provisioning blob (0 or -1); its seed and update key are
 * port_prov_seed() and port_update_key() (device/port/common/prov_identity.h). */
int rv_identity_init(void);

/* glue.c: the portable kernel on this port. */
int rv_kernel_start(void);
void rv_kernel_work(void);
void rv_kernel_app_restarting(void);

/* app.c: starting the application, and restarting it after a fault (frame edited so
 * that the trap returns into a fresh application). */
void rv_app_start(void) __attribute__((noreturn));
void rv_app_restart(struct rv_frame *f);

/* update_rv.c: over-the-air updates (docs/ota.md). Attached at kernel start. */
void rv_update_attach(void);
/* 1 when the kernel decided a rollback while the application ran (its trial timed out
 * in kernel work): rv_update_restart then installs it and restarts the application in
 * the frame. */
int rv_update_restart_due(void);
void rv_update_restart(struct rv_frame *f);
/* The fault path (the kernel has just reset the application's state): installs a
 * rollback decided there (too many faults on trial) before the application re-enters. */
void rv_update_after_fault(void);

/* upcall.c: notifications as upcalls into U-mode. */
void rv_upcall_reset(void);
/* 0, or -1 if entry is not in application flash. */
int rv_upcall_set_entry(uint32_t entry);
/* Resumes the interrupted application (frame replaced); -1 if no upcall is active. */
int rv_upcall_return(struct rv_frame *f);
/* Masks (on != 0) or unmasks upcalls; returns the previous state (1 masked, 0 not). */
int rv_upcall_mask(int on);
/* Diverts the application into its upcall entry if one is due (frame edited). */
void rv_upcall_deliver(struct rv_frame *f);
/* Non-zero while an upcall is due on the next return to U-mode (read by trap_entry.S). */
extern volatile uint32_t rv_upcall_due;

/* trap.c / trap_entry.S */
void rv_trap_init(void);
void rv_enter_user(uint32_t entry) __attribute__((noreturn));

#endif
