/* Null system call benchmark for the mps2-an505 port (non-secure side). Run under
 * QEMU with -icount shift=0, where virtual time advances exactly with executed
 * instructions; the NS SysTick counts that time. A loop of known length calibrates
 * instructions per tick, then each variant is timed over N iterations and the empty
 * loop subtracted: local call, bare secure gateway, mvNoOp (stub + gateway + argument
 * copy + table dispatch + handler). Prints one "name: X.XX insns" line each. */
#include <stdint.h>

#include "console.h"
#include "gateway.h"
#include "mv_syscalls.h"

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u
#define ITER 20000u
#define CAL_ITER 200000u

int main(void);
uint32_t bench_local(void);

__attribute__((noinline)) uint32_t bench_local(void)
{
    __asm volatile("" ::: "memory");
    return 0;
}

static uint32_t now(void)
{
    return REG32(SYST_CVR);
}

/* Ticks elapsed between two reads of the 24-bit down-counter (runs are kept far
 * below one wrap: 2^24 ticks). */
static uint32_t elapsed(uint32_t start, uint32_t end)
{
    return (start - end) & 0xFFFFFFu;
}

/* Exactly 2 instructions per iteration (subs + bne). */
static uint32_t calibrate(void)
{
    uint32_t n = CAL_ITER, t0, t1;

    t0 = now();
    __asm volatile("1: subs %0, %0, #1\n bne 1b" : "+r"(n)::"cc");
    t1 = now();
    return elapsed(t0, t1);
}

/* out = ticks for ITER iterations of body (the asm keeps the loop from being
 * folded or vectorised). */
#define TIMED_LOOP(out, body)                                                      \
    do {                                                                           \
        uint32_t t0_ = now(), i_;                                                  \
        for (i_ = 0; i_ < ITER; i_++) {                                            \
            body;                                                                  \
            __asm volatile("" ::: "memory");                                       \
        }                                                                          \
        (out) = elapsed(t0_, now());                                               \
    } while (0)

/* Prints ticks converted to instructions per iteration with two decimals:
 * insns = ticks * (2 * CAL_ITER / cal_ticks) / ITER. */
static void report(const char *name, uint32_t ticks, uint32_t base, uint32_t cal)
{
    uint64_t net = ticks > base ? ticks - base : 0;
    uint64_t centi = net * 2u * CAL_ITER * 100u / ((uint64_t)cal * ITER);

    ns_puts(name);
    ns_puts(": ");
    ns_put_dec((uint32_t)(centi / 100u));
    ns_puts(".");
    ns_put_dec((uint32_t)(centi % 100u / 10u));
    ns_put_dec((uint32_t)(centi % 10u));
    ns_puts(" insns\n");
}

int main(void)
{
    uint32_t cal, base, local, bare, noop;
    uint32_t fails = 0;

    REG32(SYST_RVR) = 0xFFFFFFu;
    REG32(SYST_CVR) = 0;
    REG32(SYST_CSR) = 5u; /* enable, processor clock, no interrupt */

    cal = calibrate();
    TIMED_LOOP(base, (void)0);
    TIMED_LOOP(local, fails += bench_local());
    TIMED_LOOP(bare, fails += mvk_an505_null_gateway());
    TIMED_LOOP(noop, fails += (uint32_t)mvNoOp());
    if (cal == 0 || fails != 0) {
        ns_puts("bench: FAILED (no SysTick or a call failed)\n");
        ns_exit(1);
    }
    ns_puts("calibration: ");
    ns_put_dec(2u * CAL_ITER);
    ns_puts(" insns in ");
    ns_put_dec(cal);
    ns_puts(" ticks\n");
    report("local call", local, base, cal);
    report("bare gateway (SG + BXNS)", bare, base, cal);
    report("mvNoOp round trip", noop, base, cal);
    ns_exit(0);
}
