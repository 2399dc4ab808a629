/* The host port's software NVIC with a loaded application object: the handler named
 * TIM8_BRK_IRQHandler in the app serves STM32U585 IRQ 51, runs on the application
 * thread only once enabled (a pended IRQ waits, as in an NVIC), not while PRIMASK is
 * set nor inside the kernel, and a run-time handler (app_port_set_irq_handler) wins over the vector table. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <string.h>
#include <unistd.h>

#include "fakes.h"
#include "host.h"

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
