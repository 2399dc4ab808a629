/* The secure/non-secure split: SAU regions, the NSC window for the gateway veneers,
 * bus errors on violations and the peripheral protection for the NS console.
 * Order matters (an505-notes.md): SAU -> NSCCFG -> SECRESPCFG -> MPC -> PPC. */
#include "an505.h"
#include "regs.h"

static void sau_region(uint32_t n, uint32_t base, uint32_t limit, uint32_t flags)
{
    REG32(SAU_RNR) = n;
    REG32(SAU_RBAR) = base & ~0x1Fu;
    REG32(SAU_RLAR) = (limit & ~0x1Fu) | flags | SAU_RLAR_ENABLE;
}

static void sau_init(void)
{
    sau_region(0, AN505_NS_CODE_BASE, AN505_NS_CODE_LIMIT, 0);
    sau_region(1, AN505_NSC_BASE, AN505_NSC_LIMIT, SAU_RLAR_NSC);
    sau_region(2, AN505_NS_DATA_BASE, AN505_NS_DATA_LIMIT, 0);
    sau_region(3, AN505_NS_PERIPH_BASE, AN505_NS_PERIPH_LIMIT, 0);
    REG32(SAU_CTRL) = 1u; /* ENABLE, ALLNS = 0: everything else stays secure */
    __asm volatile("dsb\n isb" ::: "memory");
}

void an505_security_init(void)
{
    sau_init();
    /* Without CODENSC the IDAU keeps 0x1xxxxxxx plain secure and the first SG
     * faults with INVEP. */
    REG32(SPCB_NSCCFG) |= NSCCFG_CODENSC;
    /* Bus error (not read-as-zero) when the app touches secure-only resources. */
    REG32(SPCB_SECRESPCFG) = 1u;
    if (an505_mpc_init() != 0)
        an505_puts("mvk: MPC setup failed\n");
    /* UART0 is the application's console; UART1 (link) and UART2 (secure
     * console) stay secure. */
    REG32(SPCB_APBNSPPCEXP1) |= UART_PPC_BIT(0);
    /* The two CMSDK timers (IRQ 3 and 4) are the application's too. */
    REG32(SPCB_APBNSPPC0) |= APBPPC0_TIMER0 | APBPPC0_TIMER1;
    /* PRIS: every application interrupt ranks below the kernel's own (0x80..0xFF), so
     * the gateway can mask ordinary ones with BASEPRI while the kernel runs and still
     * let fast ones through (irq.c). */
    REG32(SCB_AIRCR) = AIRCR_VECTKEY | (REG32(SCB_AIRCR) & 0x7F00u) | AIRCR_PRIS;
    REG32(SCB_SHCSR) |= SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA |
                        SHCSR_SECUREFAULTENA;
    __asm volatile("dsb\n isb" ::: "memory");
}
