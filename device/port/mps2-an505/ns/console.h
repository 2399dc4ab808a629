/* The application's console (UART0, non-secure) and test exit, for apps on the
 * mps2-an505 port. */
#ifndef AN505_NS_CONSOLE_H
#define AN505_NS_CONSOLE_H

#include <stdint.h>

void ns_puts(const char *s);
void ns_put_dec(uint32_t v);
/* Ends the QEMU run with an exit status (semihosting SYS_EXIT_EXTENDED). */
void ns_exit(uint32_t code) __attribute__((noreturn));

#endif
