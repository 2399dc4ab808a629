/* Entering the application: NS vector table and stack from the NS image's first two
 * words, then BLXNS to its reset handler. After a fault the same entry is rebuilt as
 * an exception frame, so the fault handler "returns" into a fresh application; after an
 * mvRestart that applied an update, the call branches into a fresh application instead
 * of returning (an505_ns_restart_from_call). */
#include "an505.h"
#include "regs.h"

static uint32_t ns_restart_count;
/* The secure stack pointer while the application runs (what its calls find on entry),
 * less a margin: a call that ends in a fresh application goes back to it, dropping its
 * own frames, so restarts never accumulate secure stack. */
static uint32_t ns_run_sp;

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

void an505_ns_returned(void) __attribute__((noreturn));
void an505_ns_returned(void)
{
    /* The application returned into secure code: there is nothing to go back to. */
    an505_puts("mvk: application returned\n");
    for (;;)
        __asm volatile("wfi");
}

/* BLXNS to entry with every other register cleared (no secure value reaches the
 * application), recording in *run_sp the stack pointer its calls will find: BLXNS
 * pushes 8 bytes (return address, partial xPSR); 16 are set aside, keeping 8-byte
 * alignment whatever the push, so a re-entry never overwrites that frame. */
__attribute__((naked, noreturn)) static void ns_enter(uint32_t entry __attribute__((unused)),
                                                            uint32_t *run_sp __attribute__((unused)))
{
    __asm volatile("sub r2, sp, #16\n"
                   "str r2, [r1]\n"
                   "bic r0, r0, #1\n"
                   "movs r1, #0\n movs r2, #0\n movs r3, #0\n movs r4, #0\n"
                   "movs r5, #0\n movs r6, #0\n movs r7, #0\n mov r8, r1\n"
                   "mov r9, r1\n mov r10, r1\n mov r11, r1\n mov r12, r1\n"
                   "msr apsr_nzcvq, r1\n"
                   "blxns r0\n"
                   "bl an505_ns_returned\n");
}

/* As ns_enter, from a system call in progress: the secure stack goes back to sp (the
 * call's frames are dropped) and the application resumes at entry instead of after
 * its call; LR 0xFFFFFFFF, as in the restart frame (returning from reset faults). */
__attribute__((naked, noreturn)) static void ns_reenter(uint32_t entry __attribute__((unused)),
                                                              uint32_t sp __attribute__((unused)))
{
    __asm volatile("mov sp, r1\n"
                   "bic r0, r0, #1\n"
                   "movs r1, #0\n movs r2, #0\n movs r3, #0\n movs r4, #0\n"
                   "movs r5, #0\n movs r6, #0\n movs r7, #0\n mov r8, r1\n"
                   "mov r9, r1\n mov r10, r1\n mov r11, r1\n mov r12, r1\n"
                   "msr apsr_nzcvq, r1\n"
                   "mvn lr, #0\n"
                   "bxns r0\n");
}

void an505_ns_start(void)
{
    const volatile uint32_t *vt = (const volatile uint32_t *)AN505_NS_CODE_BASE;

    ns_core_reset();
    ns_enter(vt[1], &ns_run_sp);
}

void an505_ns_restart_from_call(uint32_t basepri)
{
    const volatile uint32_t *vt = (const volatile uint32_t *)AN505_NS_CODE_BASE;

    ns_quiesce(); /* no interrupt of the old application runs while its image is replaced */
    an505_puts("mvk: mvRestart applied an update: not returning to the caller\n");
    an505_update_restarting();
    ns_restart_count++;
    ns_core_reset();
    __asm volatile("msr basepri, %0" ::"r"(basepri) : "memory");
    ns_reenter(vt[1], ns_run_sp);
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
