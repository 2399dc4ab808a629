/* Semihosting SYS_EXIT_EXTENDED: ends the QEMU run with an exit status, which is
 * how tests and benchmarks report pass/fail (needs -semihosting-config enable=on). */
#include "an505.h"

#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

void an505_semihost_exit(uint32_t code)
{
    uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, code};
    register uint32_t r0 __asm("r0") = SYS_EXIT_EXTENDED;
    register uint32_t r1 __asm("r1") = (uint32_t)(uintptr_t)block;

    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    for (;;) /* not reached when semihosting is enabled */
        __asm volatile("wfi");
}
