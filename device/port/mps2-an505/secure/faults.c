/* Fault handlers: report on the secure console, then restart the application if it
 * caused the fault from thread mode; anything else (a fault in secure code or in an
 * application handler) resets the system, since no state can be trusted. */
#include "an505.h"
#include "regs.h"

enum fault_kind { F_HARD = 3, F_MEM = 4, F_BUS = 5, F_USAGE = 6, F_SECURE = 7 };


uint32_t an505_fault(uint32_t exc_return, uint32_t kind, uint32_t sp_s);

static const char *fault_name(uint32_t kind)
{
    switch (kind) {
    case F_HARD: return "HardFault";
    case F_MEM: return "MemManage";
    case F_BUS: return "BusFault";
    case F_USAGE: return "UsageFault";
    case F_SECURE: return "SecureFault";
    default: return "fault";
    }
}

static void report(uint32_t exc_return, uint32_t kind, uint32_t pc)
{
    an505_puts("mvk: ");
    an505_puts(fault_name(kind));
    an505_puts((exc_return & EXC_RETURN_S) ? " in kernel" : " in application");
    an505_puts(" pc=");
    an505_put_hex(pc);
    an505_puts(" cfsr=");
    an505_put_hex(REG32(SCB_CFSR));
    an505_puts(" hfsr=");
    an505_put_hex(REG32(SCB_HFSR));
    an505_puts(" sfsr=");
    an505_put_hex(REG32(SCB_SFSR));
    an505_puts("\n");
}

/* The faulting PC from the exception frame. sp_s is the secure stack pointer the
 * handler was entered with (used when the frame is on a secure stack). With DCRS = 0
 * the frame starts with the 40-byte additional state context. */
static uint32_t stacked_pc(uint32_t exc_return, uint32_t sp_s)
{
    uint32_t sp = sp_s;

    if (!(exc_return & EXC_RETURN_S)) {
        if (exc_return & EXC_RETURN_SPSEL)
            __asm volatile("mrs %0, psp_ns" : "=r"(sp));
        else
            __asm volatile("mrs %0, msp_ns" : "=r"(sp));
    }
    if (!(exc_return & EXC_RETURN_DCRS))
        sp += 40u;
    return ((const volatile uint32_t *)(uintptr_t)sp)[6];
}

static void clear_status(void)
{
    REG32(SCB_CFSR) = REG32(SCB_CFSR); /* write-one-to-clear */
    REG32(SCB_HFSR) = REG32(SCB_HFSR);
    REG32(SCB_SFSR) = REG32(SCB_SFSR);
}

/* Returns the EXC_RETURN the handler leaves with. A fault from application thread
 * mode means no kernel code was running (calls and kernel work run on the secure side),
 * so the kernel may drop the old application's state here. */
uint32_t an505_fault(uint32_t exc_return, uint32_t kind, uint32_t sp_s)
{
    report(exc_return, kind, stacked_pc(exc_return, sp_s));
    clear_status();
    if (!(exc_return & EXC_RETURN_S) && (exc_return & EXC_RETURN_MODE)) {
        an505_puts("mvk: restarting the application\n");
        an505_app_restarting();
        return an505_ns_restart_frame();
    }
    an505_puts("mvk: unrecoverable, resetting\n");
    __asm volatile("dsb" ::: "memory");
    REG32(SCB_AIRCR) = AIRCR_VECTKEY | AIRCR_SYSRESETREQ;
    __asm volatile("dsb" ::: "memory");
    for (;;)
        __asm volatile("wfi");
}

/* Each handler passes its EXC_RETURN, kind and entry stack pointer (MSP or PSP as
 * EXC_RETURN.SPSEL says), then returns through whatever an505_fault chose (the original
 * frame or a fresh application start). */
#define FAULT_HANDLER(name, kind)                                                  \
    void name(void) __attribute__((naked));                                        \
    void name(void)                                                                \
    {                                                                              \
        __asm volatile("mov r0, lr\n"                                              \
                       "movs r1, %0\n"                                             \
                       "tst r0, #4\n"                                              \
                       "ite eq\n"                                                  \
                       "mrseq r2, msp\n"                                           \
                       "mrsne r2, psp\n"                                           \
                       "bl an505_fault\n"                                          \
                       "bx r0\n" ::"i"(kind));                                      \
    }

FAULT_HANDLER(HardFault_Handler, F_HARD)
FAULT_HANDLER(MemManage_Handler, F_MEM)
FAULT_HANDLER(BusFault_Handler, F_BUS)
FAULT_HANDLER(UsageFault_Handler, F_USAGE)
FAULT_HANDLER(SecureFault_Handler, F_SECURE)
