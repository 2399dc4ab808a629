/* Host port costs an app sees: a system call round trip through the generated stub, the
 * kernel lock with its interrupt hold-back (kernel_lock.c, nvic.c) and the dispatch
 * table (mvGetMicroseconds), and an interrupt delivered to the app thread by the
 * software NVIC (pend to handler return). The kernel runs over the unit tests' fakes, so
 * no relay is needed; figures are per operation, best of 5 runs. */
#include <stdio.h>
#include <time.h>

#include "fakes.h"
#include "host.h"

#define N 200000
#define RUNS 5

static volatile unsigned handled;

static void on_irq(void)
{
    handled++;
}

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double syscall_ns(void)
{
    uint64_t *us = kt_alloc(sizeof *us);
    double t0 = now_ns();

    for (int i = 0; i < N; i++)
        mvGetMicroseconds(us);
    return (now_ns() - t0) / N;
}

static double irq_ns(void)
{
    double t0 = now_ns();

    for (int i = 0; i < N; i++)
        mvk_host_nvic_pend(51);
    return (now_ns() - t0) / N;
}

int main(void)
{
    double best_call = 1e12, best_irq = 1e12;

    kt_boot();
    if (mvk_host_kernel_lock_init() != 0 || mvk_host_nvic_init() != 0)
        return 1;
    mvk_host_nvic_set_app_thread();
    app_port_set_irq_handler(51, on_irq);
    for (int r = 0; r < RUNS; r++) {
        double c = syscall_ns(), q = irq_ns();
        best_call = c < best_call ? c : best_call;
        best_irq = q < best_irq ? q : best_irq;
    }
    if (handled != (unsigned)(N * RUNS)) {
        fprintf(stderr, "host_syscall: %u of %d interrupts handled\n", handled, N * RUNS);
        return 1;
    }
    printf("host_syscall: mvGetMicroseconds round trip %.0f ns/call\n", best_call);
    printf("host_syscall: interrupt pend -> handler on the app thread %.0f ns\n", best_irq);
    return 0;
}
