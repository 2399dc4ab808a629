/* See probe.h. The buffers are plain statics, with no annotation: the linker's
 * segments alone make them application memory. */
#include "probe.h"

const char probe_rodata[] = "probe: a message in .rodata";
uint8_t probe_data[2048] __attribute__((aligned(512))) = {1};
uint8_t probe_bss[2048] __attribute__((aligned(512)));
volatile uint32_t probe_irq_count;

void TIM8_BRK_IRQHandler(void)
{
    probe_irq_count++;
}

int main(void)
{
    return 0;
}
