/* The host port's software NVIC with a loaded application object: the handler named
 * TIM8_BRK_IRQHandler in the app serves STM32U585 IRQ 51, runs on the application
 * thread only once enabled (a pended IRQ waits, as in an NVIC), not while PRIMASK is
 * set nor inside the kernel (unless it is fast: then it runs while the app thread is in
 * the kernel or waits for its lock), and a run-time handler (app_port_set_irq_handler)
 * wins over the vector table. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fakes.h"
#include "host.h"
#include "syscall_nr.h"

#define TIM8_BRK 51u

static volatile uint32_t *count;
static int runtime_calls;

static void setup(void)
{
    char path[4096], err[512];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 32);
    void *h;

    cr_assert_gt(n, 0);
    path[n] = 0;
    strcpy(strrchr(path, '/'), "/probe_app.so");
    kt_boot();
    cr_assert_eq(mvk_host_app_load(path, err, sizeof err), 0, "%s", err);
    h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    count = dlsym(h, "probe_irq_count");
    cr_assert_not_null(count);
    cr_assert_eq(mvk_host_nvic_init(), 0);
    mvk_host_nvic_set_app_thread(); /* this test's thread takes the interrupts */
}

TestSuite(nvic, .init = setup);

Test(nvic, vector_table_handler_runs_once_enabled)
{
    mvk_host_nvic_pend(TIM8_BRK);
    cr_expect_eq(*count, 0u); /* pending, not enabled */
    mvk_host_nvic_enable(TIM8_BRK);
    cr_expect_eq(*count, 1u);
    mvk_host_nvic_pend(TIM8_BRK);
    cr_expect_eq(*count, 2u);
    cr_expect_eq(mvk_host_nvic_is_pending(TIM8_BRK), 0u);
}

Test(nvic, primask_defers_until_enabled_again)
{
    sigset_t old;

    mvk_host_nvic_enable(TIM8_BRK);
    mvk_host_nvic_block(&old); /* __disable_irq */
    mvk_host_nvic_pend(TIM8_BRK);
    cr_expect_eq(*count, 0u);
    mvk_host_nvic_restore(&old); /* __enable_irq */
    cr_expect_eq(*count, 1u);
}

/* An interrupt for a thread inside the kernel waits until it leaves (kernel_lock.c). */
Test(nvic, held_back_while_in_kernel)
{
    mvk_host_nvic_enable(TIM8_BRK);
    mvk_host_nvic_hold();
    mvk_host_nvic_pend(TIM8_BRK);
    cr_expect_eq(*count, 0u);
    mvk_host_nvic_release();
    cr_expect_eq(*count, 1u);
}

static void runtime_handler(void)
{
    runtime_calls++;
}

Test(nvic, run_time_handler_wins_and_wait_returns_after_it)
{
    cr_assert_eq(app_port_set_irq_handler(TIM8_BRK, runtime_handler), 0);
    mvk_host_nvic_pend(TIM8_BRK);
    cr_expect_eq(runtime_calls, 1);
    cr_expect_eq(*count, 0u);
    /* Nothing pending: WFI with a timeout returns without a handler having run. */
    cr_expect_eq(mvk_host_nvic_wait(1), 0);
    cr_expect_eq(app_port_set_irq_handler(MVK_HOST_NUM_IRQS, runtime_handler), -1);
}

Test(nvic, reset_forgets_enables_pending_and_run_time_handlers)
{
    cr_assert_eq(app_port_set_irq_handler(TIM8_BRK, runtime_handler), 0);
    mvk_host_nvic_disable(TIM8_BRK);
    mvk_host_nvic_pend(TIM8_BRK);
    mvk_host_nvic_reset();
    mvk_host_nvic_enable(TIM8_BRK);
    cr_expect_eq(runtime_calls, 0);
    cr_expect_eq(*count, 0u);
    mvk_host_nvic_pend(TIM8_BRK);
    cr_expect_eq(*count, 1u); /* back to the vector table */
}

/* ---- fast interrupts: not held back by the kernel -------------------------------------
 * A "kernel loop" thread holds the kernel lock while this (the application) thread is
 * blocked in a system call waiting for it; the IRQ is pended meanwhile. */
uint32_t mvk_host_syscall(uint32_t nr, const uintptr_t args[7]);

static volatile uint32_t seen_while_held, irq20_count;
static volatile uint32_t busy_status;
static atomic_int lock_held;
static uint32_t busy_irq = TIM8_BRK;
static volatile uint32_t *busy_count;

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, 0);
}

/* Holds the lock, pends busy_irq once the app thread waits for it (it calls right
 * after lock_held; 200 ms is ample for it to block), and notes whether the handler ran
 * before the lock is given back (up to 5 s for the fast case; 300 ms show that an
 * ordinary one does not). */
static void *busy_kernel(void *arg)
{
    long wait_ms = *(long *)arg;

    mvk_host_loop_lock();
    atomic_store(&lock_held, 1);
    sleep_ms(200);
    mvk_host_nvic_pend(busy_irq);
    for (long t = 0; t < wait_ms && *busy_count == 0; t++)
        sleep_ms(1);
    seen_while_held = *busy_count;
    mvk_host_loop_unlock();
    return 0;
}

static void run_busy_on(uint32_t irq, volatile uint32_t *counter, long wait_ms)
{
    pthread_t t;
    uintptr_t args[7] = {0};

    busy_irq = irq;
    busy_count = counter;
    atomic_store(&lock_held, 0);
    cr_assert_eq(pthread_create(&t, 0, busy_kernel, &wait_ms), 0);
    while (!atomic_load(&lock_held))
        sleep_ms(1);
    /* Blocks until busy_kernel unlocks; the interrupt arrives meanwhile. */
    cr_assert_eq(mvk_host_syscall(__NR_mvNoOp, args), MV_STATUS_OKAY);
    pthread_join(t, 0);
}

static void run_busy(long wait_ms)
{
    run_busy_on(TIM8_BRK, count, wait_ms);
}

Test(nvic, fast_irq_runs_while_the_app_waits_for_the_kernel)
{
    mvk_host_nvic_set_fast(TIM8_BRK, 1);
    mvk_host_nvic_enable(TIM8_BRK);
    run_busy(5000);
    cr_expect_eq(seen_while_held, 1u, "fast handler ran while the kernel was busy");
    cr_expect_eq(*count, 1u);
}

Test(nvic, ordinary_irq_waits_for_the_kernel)
{
    mvk_host_nvic_enable(TIM8_BRK);
    run_busy(300);
    cr_expect_eq(seen_while_held, 0u);
    cr_expect_eq(*count, 1u, "delivered once the system call left the kernel");
}

Test(nvic, disabled_fast_irq_is_not_delivered)
{
    mvk_host_nvic_set_fast(TIM8_BRK, 1);
    mvk_host_nvic_disable(TIM8_BRK);
    run_busy(300);
    cr_expect_eq(seen_while_held, 0u);
    cr_expect_eq(*count, 0u);
    cr_expect_eq(mvk_host_nvic_is_pending(TIM8_BRK), 1u);
}

static void count20(void)
{
    irq20_count++;
}

/* The same through the system calls and the port (fastirq.c): set + enable make IRQ
 * 20 run inside a busy kernel; disable and disable-all stop it (it stays pending) and
 * enable-all delivers it; clear makes it ordinary again. */
Test(nvic, fast_interrupt_calls_drive_the_software_nvic)
{
    cr_assert_eq(app_port_set_irq_handler(20, count20), 0);
    cr_assert_eq(mvSetFastInterrupt(20), MV_STATUS_OKAY);
    cr_expect_eq(mvk_host_nvic_is_fast(20), 1u);
    cr_expect_eq(mvk_host_nvic_is_enabled(20), 0u, "set alone does not enable it");
    cr_assert_eq(mvEnableFastInterrupt(20), MV_STATUS_OKAY);
    run_busy_on(20, &irq20_count, 5000);
    cr_expect_eq(seen_while_held, 1u, "ran while the kernel was busy");

    cr_assert_eq(mvDisableFastInterrupt(20), MV_STATUS_OKAY);
    irq20_count = 0;
    run_busy_on(20, &irq20_count, 300);
    cr_expect_eq(irq20_count, 0u, "disabled: not delivered");
    cr_assert_eq(mvEnableFastInterrupt(20), MV_STATUS_OKAY);
    cr_expect_eq(irq20_count, 1u, "enabled again: the pending one runs");

    cr_assert_eq(mvDisableAllFastInterrupts(), MV_STATUS_OKAY);
    irq20_count = 0;
    run_busy_on(20, &irq20_count, 300);
    cr_expect_eq(irq20_count, 0u, "all disabled: not delivered");
    cr_assert_eq(mvEnableAllFastInterrupts(), MV_STATUS_OKAY);
    cr_expect_eq(irq20_count, 1u, "enable-all: the pending one runs");

    cr_assert_eq(mvClearFastInterrupt(20), MV_STATUS_OKAY);
    cr_expect_eq(mvk_host_nvic_is_fast(20), 0u);
    cr_expect_eq(mvk_host_nvic_is_enabled(20), 0u);
}

static void calls_kernel(void)
{
    uintptr_t args[7] = {0};

    busy_status = mvk_host_syscall(__NR_mvNoOp, args);
}

/* A fast handler that runs on top of the kernel cannot enter it again. */
Test(nvic, system_call_from_a_fast_handler_inside_the_kernel_is_busy)
{
    cr_assert_eq(app_port_set_irq_handler(TIM8_BRK, calls_kernel), 0);
    mvk_host_nvic_set_fast(TIM8_BRK, 1);
    mvk_host_nvic_enable(TIM8_BRK);
    mvk_host_kernel_enter();
    mvk_host_nvic_pend(TIM8_BRK);
    mvk_host_kernel_leave();
    cr_expect_eq(busy_status, (uint32_t)MV_STATUS_MICROVISORBUSY);
}

/* NVIC_ClearPendingIRQ: a cleared IRQ never runs, even once enabled. */
Test(nvic, unpend_forgets_a_pending_irq)
{
    mvk_host_nvic_pend(TIM8_BRK);
    cr_expect_eq(mvk_host_nvic_is_pending(TIM8_BRK), 1u);
    mvk_host_nvic_unpend(TIM8_BRK);
    cr_expect_eq(mvk_host_nvic_is_pending(TIM8_BRK), 0u);
    mvk_host_nvic_enable(TIM8_BRK);
    cr_expect_eq(mvk_host_nvic_is_enabled(TIM8_BRK), 1u);
    cr_expect_eq(*count, 0u);
    mvk_host_nvic_disable(TIM8_BRK);
    cr_expect_eq(mvk_host_nvic_is_enabled(TIM8_BRK), 0u);
}

/* WFI with nothing pending sleeps (a lower bound only: the wait may be longer). */
Test(nvic, wait_sleeps_when_nothing_is_pending)
{
    struct timespec a, b;
    long ms;

    clock_gettime(CLOCK_MONOTONIC, &a);
    cr_expect_eq(mvk_host_nvic_wait(100), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    ms = (b.tv_sec - a.tv_sec) * 1000L + (b.tv_nsec - a.tv_nsec) / 1000000L;
    cr_expect_geq(ms, 90L, "returned after %ld ms", ms);
}

static long elapsed_ms(const struct timespec *a)
{
    struct timespec b;

    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a->tv_sec) * 1000L + (b.tv_nsec - a->tv_nsec) / 1000000L;
}

/* WFI with PRIMASK set: sleeps while nothing is pending, wakes (without running the
 * handler) once an enabled IRQ is pending. The bounds are loose on purpose. */
Test(nvic, masked_wait_sleeps_then_wakes_for_a_pending_irq)
{
    struct timespec a;
    sigset_t old;
    long ms;

    mvk_host_nvic_enable(TIM8_BRK);
    mvk_host_nvic_block(&old);
    clock_gettime(CLOCK_MONOTONIC, &a);
    cr_expect_eq(mvk_host_nvic_wait(100), 0);
    ms = elapsed_ms(&a);
    cr_expect_geq(ms, 90L, "masked wait returned after %ld ms", ms);
    mvk_host_nvic_pend(TIM8_BRK);
    clock_gettime(CLOCK_MONOTONIC, &a);
    (void)mvk_host_nvic_wait(60000);
    ms = elapsed_ms(&a);
    cr_expect_lt(ms, 30000L, "a pending IRQ did not end the masked wait (%ld ms)", ms);
    cr_expect_eq(*count, 0u, "not run while masked");
    mvk_host_nvic_restore(&old);
    cr_expect_eq(*count, 1u);
}
