/* Entering the application: NS vector table and stack from the NS image's first two
 * words, then BLXNS to its reset handler. After a fault the same entry is rebuilt as
 * an exception frame, so the fault handler "returns" into a fresh application. */
#include <arm_cmse.h>

#include "an505.h"
#include "regs.h"

typedef void __attribute__((cmse_nonsecure_call)) (*ns_entry_fn)(void);

static uint32_t ns_restart_count;

uint32_t an505_ns_restarts(void)
{
    return ns_restart_count;
}

/* Interrupts the old application enabled must not fire into the new one before it
 * has set up its handlers: disable and clear every NS-targeted IRQ. (Its SysTick is
 * left alone: QEMU 7.2 faults a secure access to the NS SysTick alias.) */
static void ns_quiesce(void)
{
    uint32_t i;

    for (i = 0; i < (AN505_NUM_IRQS + 31u) / 32u; i++) {
        REG32(NVIC_ICER(i)) = REG32(NVIC_ITNS(i));
        REG32(NVIC_ICPR(i)) = REG32(NVIC_ITNS(i));
    }
}

static void ns_core_reset(void)
{
    const volatile uint32_t *vt = (const volatile uint32_t *)AN505_NS_CODE_BASE;

    REG32(SCB_VTOR_NS) = AN505_NS_CODE_BASE;
    __asm volatile("msr msp_ns, %0" ::"r"(vt[0]));
    __asm volatile("msr psp_ns, %0" ::"r"(0u));
    __asm volatile("msr control_ns, %0" ::"r"(0u)); /* privileged, MSP, as at reset */
    __asm volatile("dsb\n isb" ::: "memory");
}

void an505_ns_start(void)
{
    const volatile uint32_t *vt = (const volatile uint32_t *)AN505_NS_CODE_BASE;
    ns_entry_fn entry;

    ns_core_reset();
    entry = (ns_entry_fn)cmse_nsfptr_create(vt[1]);
    entry();
    /* The application returned into secure code: there is nothing to go back to. */
    an505_puts("mvk: application returned\n");
    for (;;)
        __asm volatile("wfi");
}

/* A standard 8-word exception frame on the NS main stack, returning into the NS
 * reset handler in thread mode. EXC_RETURN 0xFFFFFFB9: from a secure handler
 * (ES=1), to NS (S=0), thread mode, main stack, no FP frame, default stacking. */
uint32_t an505_ns_restart_frame(void)
{
    const volatile uint32_t *vt = (const volatile uint32_t *)AN505_NS_CODE_BASE;
    volatile uint32_t *frame;
    uint32_t i;

    ns_restart_count++;
    ns_quiesce();
    ns_core_reset();
    frame = (volatile uint32_t *)(uintptr_t)(vt[0] - 32u);
    for (i = 0; i < 8; i++)
        frame[i] = 0;
    frame[5] = 0xFFFFFFFFu;         /* LR: returning from reset is a fault */
    frame[6] = vt[1] & ~1u;         /* PC */
    frame[7] = 0x01000000u;         /* xPSR: Thumb */
    __asm volatile("msr msp_ns, %0" ::"r"(frame));
    return 0xFFFFFFB9u;
}
