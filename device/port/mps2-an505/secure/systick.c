/* Time base: the secure SysTick interrupts every millisecond; microseconds are the
 * millisecond count plus the current count-down value. Also kicks the kernel's
 * background work once per tick. */
#include "an505.h"
#include "regs.h"
#include "port.h"

#define TICKS_PER_MS (AN505_CPU_HZ / 1000u)

static volatile uint64_t ms_count;

void an505_systick_init(void)
{
    REG32(SYST_RVR) = TICKS_PER_MS - 1u;
    REG32(SYST_CVR) = 0;
    REG32(SYST_CSR) = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
}

void SysTick_Handler(void);
void SysTick_Handler(void)
{
    ms_count++;
    an505_pend_kernel_work();
}

/* Reads the count and the millisecond counter consistently: if the counter wrapped
 * while interrupts were masked, the pending SysTick has not been counted yet. */
uint64_t an505_ticks(void)
{
    uint32_t primask, val;
    uint64_t ms;

    __asm volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    ms = ms_count;
    val = REG32(SYST_CVR);
    if (REG32(SCB_ICSR) & ICSR_PENDSTSET) {
        val = REG32(SYST_CVR);
        ms++;
    }
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
    return ms * TICKS_PER_MS + (TICKS_PER_MS - 1u - val);
}

uint64_t mvk_port_now_us(void)
{
    return an505_ticks() / (AN505_CPU_HZ / 1000000u);
}
