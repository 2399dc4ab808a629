/* Notifications on the riscv-virt port arrive as upcalls (docs/riscv.md): the kernel
 * diverts the application to upcall_entry.S, which calls rv_app_irq(irq) and returns
 * to the kernel, which resumes the interrupted code. */
#ifndef RV_APP_UPCALL_H
#define RV_APP_UPCALL_H

#include <stdint.h>

#define RV_APP_IRQS 125u /* as the kernel: the STM32U585 NVIC numbers */

/* Upcalls handled so far: lets a waiting loop notice a wake-up. */
extern volatile uint32_t rv_app_irq_count;

/* Registers fn for irq (and the upcall entry with the kernel, once); 0 or -1. */
int rv_app_irq_attach(uint32_t irq, void (*fn)(void));

/* Masks (on != 0) or unmasks upcalls, like __disable_irq/__enable_irq: while masked,
 * notifications stay pending and are delivered when the unmasking call returns.
 * Returns the previous state (1 masked), for nested critical sections. */
int rv_app_upcalls_mask(int on);

#endif
