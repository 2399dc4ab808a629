/* Time: the CLINT's mtime (10 MHz on `virt`) is the kernel clock, and mtimecmp
 * interrupts every millisecond to run the kernel's work. Under -icount shift=0 mtime
 * follows executed instructions (one tick per 100), so tests are deterministic. */
#include "rv.h"
#include "port.h"

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
 * than a tick gets one interrupt, not a burst). The high word first, set to the
 * maximum, so that no intermediate value fires early. */
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

uint64_t mvk_port_now_us(void)
{
    return rv_mtime() / (RV_MTIME_HZ / 1000000u);
}
