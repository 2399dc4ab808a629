/* The memory-boundary probe: an application object with one object in each of .rodata,
 * .data and .bss, a heap (the app runtime's) and a vector-table handler, loaded by
 * device/tests/host/test_appmem.c through the host port's real loader. */
#ifndef PROBE_H
#define PROBE_H

#include <stdint.h>

extern const char probe_rodata[];
extern uint8_t probe_data[2048];
extern uint8_t probe_bss[2048];
extern volatile uint32_t probe_irq_count;
void TIM8_BRK_IRQHandler(void);
int main(void);

#endif
