/* mvPeriphPeek32/mvPeriphPoke32 allow list of the mps2-an505 port. Microvisor shares
 * the clock and reset controls of peripherals the application owns and keeps the rest;
 * this board has no per-peripheral clock or reset registers (one 20 MHz clock feeds
 * everything), so its equivalents are the FPGA I/O block's registers, which stay
 * secure: the user LED (LED0 bit 1; bit 0 is the kernel's system LED, masked), the
 * buttons and the free-running clock counters (read-only), and the prescaler and its
 * counter (the application's). The application may name either alias (NS 0x4030_2000
 * as a driver would, or the secure 0x5030_2000); anything else is
 * PERIPHERALACCESSFAULT, e.g. the secure system control or the PPCs. */
#include <stddef.h>

#include "port.h"
#include "regs.h"

struct periph_reg {
    uint16_t off;
    uint32_t writable;
};

static const struct periph_reg fpgaio_regs[] = {
    {FPGAIO_LED0, 0x2u},          /* user LED; the system LED bit is the kernel's */
    {FPGAIO_BUTTON, 0},           /* push buttons */
    {FPGAIO_CLK1HZ, 0},           /* 1 Hz counter */
    {FPGAIO_CLK100HZ, 0},         /* 100 Hz counter */
    {FPGAIO_COUNTER, 0},          /* cycle-up counter */
    {FPGAIO_PRESCALE, 0xffffffffu}, /* prescaler reload */
    {FPGAIO_PSCNTR, 0},           /* prescaler counter */
};
#define NREGS (sizeof fpgaio_regs / sizeof fpgaio_regs[0])
#define FPGAIO_SPAN 0x1000u

volatile uint32_t *mvk_port_periph_reg(uint32_t reg, uint32_t *writable_mask)
{
    uint32_t base = reg >= FPGAIO_S_BASE ? FPGAIO_S_BASE : FPGAIO_NS_BASE;

    *writable_mask = 0;
    if (reg < base || reg - base >= FPGAIO_SPAN)
        return NULL;
    for (size_t i = 0; i < NREGS; i++)
        if (fpgaio_regs[i].off == reg - base) {
            *writable_mask = fpgaio_regs[i].writable;
            return (volatile uint32_t *)(uintptr_t)(FPGAIO_S_BASE + fpgaio_regs[i].off);
        }
    return NULL;
}
