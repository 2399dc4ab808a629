/* One mvNoOp between two calls of bench_marker(), for an exact instruction trace
 * (QEMU -singlestep -d exec,nochain): bench/an505_nullcall.sh splits the round trip
 * into "in" (stub to kernel handler), handler and "out" (handler to caller). */
#include "console.h"
#include "mv_bringup.h"

int main(void);
void bench_marker(void);

__attribute__((noinline)) void bench_marker(void)
{
    __asm volatile("" ::: "memory");
}

int main(void)
{
    enum MvStatus rc;

    bench_marker();
    rc = mvNoOp();
    bench_marker();
    ns_exit(rc == MV_STATUS_OKAY ? 0u : 1u);
}
