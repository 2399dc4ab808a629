/* The hooks a board port gives the application-side code in device/port/common/
 * (app_port.c, app_console.c): the few lines where the boards differ, so the shim
 * logic itself exists once. Private to the ports: applications see mv_app_port.h and
 * their port's console.h only. */
#ifndef MV_PORT_APP_SHIM_H
#define MV_PORT_APP_SHIM_H

#include <stdint.h>

/* Routes interrupt irq to handler in the application (mps2-an505: its vector table;
 * riscv-virt: an upcall); what app_port_set_irq_handler() returns. */
int app_shim_irq_attach(uint32_t irq, void (*handler)(void));
/* Interrupts the application has taken so far: a change ends app_port_wait_ms(). */
uint32_t app_shim_irq_count(void);
/* Writes one byte to the application console, waiting while the UART is busy. */
void app_shim_putc(char c);

#endif
