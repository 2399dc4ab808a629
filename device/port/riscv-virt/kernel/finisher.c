/* Ends the QEMU run through the sifive_test device: tests and benchmarks report their
 * status this way, and an unrecoverable kernel fault resets the board (QEMU reloads
 * the images, as a hardware reset would restart from flash). */
#include "rv.h"

void rv_finish(uint32_t code)
{
    RV_REG32(RV_FINISHER) = code == 0 ? RV_FINISHER_PASS : (code << 16) | RV_FINISHER_FAIL;
    for (;;)
        __asm volatile("wfi");
}

void rv_reset(void)
{
    RV_REG32(RV_FINISHER) = RV_FINISHER_RESET;
    for (;;)
        __asm volatile("wfi");
}

/* picolibc's exit() (the kernel's main never returns; kept for completeness). */
void _exit(int status);
void _exit(int status)
{
    rv_finish((uint32_t)status);
}
