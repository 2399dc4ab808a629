/* mvNoOp calls between calls of bench_marker(), for an exact instruction trace (QEMU
 * -singlestep -d exec,nochain): bench/an505_trace_split.py splits each round trip into
 * "in" (stub to kernel handler), handler and "out" (handler to caller) and keeps the
 * shortest, i.e. a sample without a SysTick interrupt inside. */
#include "console.h"
#include "mv_syscalls.h"

#include <stdint.h>

#define SAMPLES 4u

int main(void);
void bench_marker(void);

__attribute__((noinline)) void bench_marker(void)
{
    __asm volatile("" ::: "memory");
}

int main(void)
{
    uint32_t i, fails = 0;

    bench_marker();
    for (i = 0; i < SAMPLES; i++) {
        fails += mvNoOp() != MV_STATUS_OKAY;
        bench_marker();
    }
    ns_exit(fails ? 1u : 0u);
}
