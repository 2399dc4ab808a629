/* The application's console (the pci-serial the kernel maps into its PMP regions) and
 * the test exit (sifive_test finisher), for applications on the riscv-virt port. Same
 * names as the mps2-an505 port's, so port test applications build on both. */
#ifndef RV_APP_CONSOLE_H
#define RV_APP_CONSOLE_H

#include <stdint.h>

void ns_puts(const char *s);
void ns_put_dec(uint32_t v);
/* Ends the QEMU run with an exit status (0: pass). */
void ns_exit(uint32_t code) __attribute__((noreturn));

#endif
