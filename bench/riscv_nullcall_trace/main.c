/* A few null system calls between markers, for an exact single-step trace on the
 * riscv-virt port (bench/riscv_nullcall.sh, bench/riscv_trace_split.py): the split of
 * one call into the part before the handler (stub, trap entry, dispatch), the handler,
 * and the part after it (return to the caller). */
#include <stdint.h>

#include "console.h"
#include "mv_syscalls.h"

#define SAMPLES 4

int main(void);
void bench_marker(void);

__attribute__((noinline)) void bench_marker(void)
{
    __asm volatile("" ::: "memory");
}

int main(void)
{
    int i;

    for (i = 0; i < SAMPLES; i++) {
        bench_marker();
        (void)mvNoOp();
    }
    bench_marker();
    ns_exit(0);
}
