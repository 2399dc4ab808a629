/* Time: the CLINT's mtime (10 MHz on `virt`) is the kernel clock, and mtimecmp
 * interrupts every millisecond to run the kernel's work. Under -icount shift=0 mtime
 * follows executed instructions (one tick per 100), so tests are deterministic. */
#include "port.h"
#include "rv.h"

#define TICKS_PER_MS (RV_MTIME_HZ / 1000u)

/* mtime is 64 bits read as two halves on rv32: re-read if the high half moved. */
uint64_t rv_mtime(void)
{
    uint32_t hi, lo;

    do {
        hi = RV_REG32(RV_CLINT_MTIME + 4u);
        lo = RV_REG32(RV_CLINT_MTIME);
    } while (hi != RV_REG32(RV_CLINT_MTIME + 4u));
    return ((uint64_t)hi << 32) | lo;
}

/* Next deadline one tick from now (not from the last deadline: a kernel busy longer
 * than a tick gets one interrupt, not a burst, and the application a tick to run).
 * The high word first, set to the maximum, so that no intermediate value fires early. */
static void set_deadline(uint64_t t)
{
    RV_REG32(RV_CLINT_MTIMECMP + 4u) = 0xFFFFFFFFu;
    RV_REG32(RV_CLINT_MTIMECMP) = (uint32_t)t;
    RV_REG32(RV_CLINT_MTIMECMP + 4u) = (uint32_t)(t >> 32);
}

void rv_clint_init(void)
{
    set_deadline(rv_mtime() + TICKS_PER_MS);
}

void rv_clint_tick(void)
{
    set_deadline(rv_mtime() + TICKS_PER_MS);
}

/* x / d for a small d (< 2^16) by long division in 16-bit digits: three 32-bit
 * divisions (one instruction each with the M extension) instead of libgcc's 64-bit
 * __udivdi3, which made mvGetMicroseconds half again as expensive. */
static uint64_t div_small(uint64_t x, uint32_t d)
{
    uint32_t hi = (uint32_t)(x >> 32), lo = (uint32_t)x;
    uint32_t t1 = ((hi % d) << 16) | (lo >> 16);
    uint32_t t2 = ((t1 % d) << 16) | (lo & 0xFFFFu);

    return ((uint64_t)(hi / d) << 32) | ((t1 / d) << 16) | (t2 / d);
}

uint64_t mvk_port_now_us(void)
{
    return div_small(rv_mtime(), RV_MTIME_HZ / 1000000u);
}
