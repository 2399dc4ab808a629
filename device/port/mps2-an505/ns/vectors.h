/* Interrupt handling for applications on the mps2-an505 port: the non-secure vector
 * table (ns/vectors.c) sends every external interrupt to a handler registered here. */
#ifndef AN505_NS_VECTORS_H
#define AN505_NS_VECTORS_H

#include <stdint.h>

#define NS_NUM_IRQS 96u

/* Interrupts handled so far (any IRQ): lets a waiting loop notice a wake-up. */
extern volatile uint32_t ns_irq_count;

/* Registers fn for irq and enables it in the NVIC (NS view); 0 or -1 (bad irq). */
int ns_irq_attach(uint32_t irq, void (*fn)(void));

#endif
