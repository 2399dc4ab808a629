/* Functions shared between the files of the secure image (private to the port).
 * The kernel sees the board only through device/kernel/port.h. */
#ifndef AN505_H
#define AN505_H

#include <stddef.h>
#include <stdint.h>

/* security.c: SAU, NSC attribution, secure responses, PPC; mpc.c: SSRAM MPCs. */
void an505_security_init(void);
int an505_mpc_init(void);

/* ns_start.c: first entry into the application, and restart after a fault. */
void an505_ns_start(void) __attribute__((noreturn));
/* Called from a fault handler whose exception came from NS thread mode: rewrites
 * the return so the exception returns into a fresh NS reset. Returns the
 * EXC_RETURN value the handler must use. */
uint32_t an505_ns_restart_frame(void);
/* From a system call made in NS thread mode after which an update restart is due
 * (mvRestart applied one): installs it and enters the fresh application without
 * returning to the caller; basepri: the value to leave with (the call's entry value). */
void an505_ns_restart_from_call(uint32_t basepri) __attribute__((noreturn));
uint32_t an505_ns_restarts(void);

/* systick.c */
void an505_systick_init(void);
/* SysTick ticks (1/AN505_CPU_HZ s) since boot; also used by the benchmark. */
uint64_t an505_ticks(void);

/* Interrupt priorities (irq.c, gateway.c). With AIRCR.PRIS an NS priority p ranks as
 * 0x80 + p/2: ordinary application IRQs start at NS 0x80 (0xC0), fast ones get NS 0x00
 * (0x80); a system call raises BASEPRI_S to 0xA0, masking every NS priority from 0x40
 * on (with as few as 3 priority bits implemented: NS 0x00 and 0x20 stay fast) and
 * PendSV, but not the kernel's SysTick (0) and link (0x40) interrupts. */
#define AN505_KERNEL_BASEPRI 0xA0u
#define AN505_APP_IRQ_PRIO 0x80u
#define AN505_FAST_IRQ_PRIO 0x00u

/* irq.c: hand every interrupt the kernel does not own to the application. */
void an505_irq_init(void);
void an505_irq_enable(uint32_t irq, uint8_t prio);

/* uart.c: CMSDK APB UART, polled transmit. */
void an505_uart_init(uint32_t base, int rx_irq);
int an505_uart_tx_ready(uint32_t base);
void an505_uart_putc(uint32_t base, uint8_t c);

/* console.c: the secure console (UART2, secure-only). */
void an505_console_init(void);
void an505_puts(const char *s);
void an505_put_hex(uint32_t v);
void an505_put_dec(uint32_t v);

/* link.c: UART1 receive interrupt. */
void an505_link_init(void);
void an505_link_rx_isr(void);

/* identity.c: parse the provisioning blob (0, or -1 if absent or malformed); its
 * seed and update key are port_prov_seed() and port_update_key()
 * (device/port/common/prov_identity.h). */
int an505_identity_init(void);

/* Kernel start-up, called once before the application starts: the bring-up image has
 * nothing to start (weak default, returns 0); the kernel image runs mvk_kernel_init. */
int an505_kernel_start(void);
/* The application is about to be restarted after a fault (no kernel code running):
 * the kernel image drops everything the old application registered. */
void an505_app_restarting(void);

/* semihost.c: end the QEMU run with a status (tests, benchmarks). */
void an505_semihost_exit(uint32_t code) __attribute__((noreturn));

/* Secure background work: runs in PendSV at the lowest secure priority so that
 * application interrupts pre-empt it. The real kernel's poll loop replaces the
 * weak default. */
void an505_kernel_work(uint64_t now_us);
void an505_pend_kernel_work(void);

/* Over-the-air updates (kernel image: kernel/update_an505.c; weak no-ops in work.c).
 * A restart of the application for an update is due (the kernel applied one, or rolls
 * back): PendSV performs it once it interrupted the application in thread mode. */
int an505_update_restart_due(void);
/* Installs the pending image into the application slot and tells the kernel; the
 * caller then enters the application afresh (an505_ns_restart_frame). */
void an505_update_restarting(void);
/* kernel/update_an505.c: attaches the update storage after mvk_kernel_init; installs a
 * rollback decided while the application was being restarted after a fault. */
void an505_update_attach(void);
void an505_update_after_fault(void);

#endif
