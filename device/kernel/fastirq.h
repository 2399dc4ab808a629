/* Fast-interrupt state kept by sys_misc.c (mvSetFastInterrupt and friends), shared with
 * the notification module so one IRQ never has two owners: a fast interrupt runs the
 * application's handler directly, a notification IRQ is raised by the kernel. */
#ifndef MVK_FASTIRQ_H
#define MVK_FASTIRQ_H

#include <stdint.h>

/* Back to "no fast interrupts" (mvk_kernel_init: a fresh kernel starts clean). */
void mvk_fastirq_init(void);
/* 1 if irq is currently configured as a fast interrupt. */
int mvk_fastirq_is_fast(uint32_t irq);

#endif
