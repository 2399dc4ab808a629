/* The application console and test exit of the emulated boards (mps2-an505: UART0,
 * non-secure, and semihosting; riscv-virt: the pci-serial in the application's PMP
 * regions, and the sifive_test finisher). One set of names, so port test applications
 * (fault_log, the benchmarks) build unchanged on both. The text output is
 * app_console.c; the byte output and ns_exit are each port's (ns/console.c,
 * appshim/console.c). */
#ifndef MV_PORT_CONSOLE_H
#define MV_PORT_CONSOLE_H

#include <stdint.h>

void ns_puts(const char *s);
void ns_put_dec(uint32_t v);
/* Ends the QEMU run with an exit status (0: pass). */
void ns_exit(uint32_t code) __attribute__((noreturn));

#endif
