/* The host port's software NVIC (see nvic.h). Pending and enable bits are atomics any
 * thread may set; only the application thread runs handlers, from the interrupt
 * signal's handler, lowest number first, one at a time (all at one priority, so no
 * nesting: the signal is blocked while its handler runs). Fast IRQs (mvSetFastInterrupt,
 * enabled) are the exception to "never inside the kernel": they run even while the
 * thread executes kernel code or waits for the kernel lock. */
#define _GNU_SOURCE
#include "nvic.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define WORDS ((MVK_HOST_IRQ_SLOTS + 31u) / 32u)

static _Atomic uint32_t pend[WORDS], en[WORDS], fast[WORDS];
static _Atomic(mvk_host_isr) vec[MVK_HOST_IRQ_SLOTS], run_time[MVK_HOST_IRQ_SLOTS];
static pthread_t app_thread;
static atomic_int have_app_thread;
static atomic_uint_fast64_t handled;
/* Set while this thread runs kernel code (or waits for the kernel lock): the signal is
 * then only noted, and delivered again when the thread leaves the kernel. Cheaper than
 * masking the signal around every system call (two more system calls each). */
static _Thread_local volatile sig_atomic_t kernel_held, deferred;

int mvk_host_nvic_signal(void)
{
    return SIGRTMIN + 2;
}

static uint32_t bit(uint32_t n)
{
    return 1u << (n % 32u);
}

static mvk_host_isr handler(uint32_t n)
{
    mvk_host_isr h = atomic_load(&run_time[n]);

    return h ? h : atomic_load(&vec[n]);
}

/* The lowest slot that is pending, enabled and has a handler (and is fast, if
 * fast_only), or -1. */
static int next_ready_of(int fast_only)
{
    for (uint32_t w = 0; w < WORDS; w++) {
        uint32_t ready = atomic_load(&pend[w]) & atomic_load(&en[w]);
        if (fast_only)
            ready &= atomic_load(&fast[w]);
        for (uint32_t n = w * 32u; ready && n < MVK_HOST_IRQ_SLOTS; n++, ready >>= 1)
            if ((ready & 1u) && handler(n))
                return (int)n;
    }
    return -1;
}

static int next_ready(void)
{
    return next_ready_of(0);
}

static int dispatch(int fast_only)
{
    int n, ran = 0;

    while ((n = next_ready_of(fast_only)) >= 0) {
        atomic_fetch_and(&pend[(uint32_t)n / 32u], ~bit((uint32_t)n));
        handler((uint32_t)n)();
        ran++;
    }
    if (ran)
        atomic_fetch_add(&handled, (uint64_t)ran);
    return ran;
}

static void on_signal(int sig)
{
    int saved = errno;

    (void)sig;
    if (kernel_held) {
        /* Fast handlers run now, on top of the kernel (they make no system calls:
         * syscall_host.c answers MICROVISORBUSY); the rest wait for release(). */
        (void)dispatch(1);
        deferred = 1;
    } else {
        (void)dispatch(0);
    }
    errno = saved;
}

void mvk_host_nvic_hold(void)
{
    kernel_held = 1;
    atomic_signal_fence(memory_order_seq_cst);
}

void mvk_host_nvic_release(void)
{
    atomic_signal_fence(memory_order_seq_cst);
    kernel_held = 0;
    atomic_signal_fence(memory_order_seq_cst);
    if (deferred) {
        deferred = 0;
        pthread_kill(pthread_self(), mvk_host_nvic_signal());
    }
}

int mvk_host_nvic_init(void)
{
    struct sigaction sa = {0};

    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    return sigaction(mvk_host_nvic_signal(), &sa, 0);
}

void mvk_host_nvic_set_app_thread(void)
{
    app_thread = pthread_self();
    atomic_store(&have_app_thread, 1);
}

void mvk_host_nvic_block(sigset_t *old)
{
    sigset_t s;

    sigemptyset(&s);
    sigaddset(&s, mvk_host_nvic_signal());
    pthread_sigmask(SIG_BLOCK, &s, old);
}

void mvk_host_nvic_restore(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, 0);
}

/* Tells the application thread to look: its signal handler runs whatever is ready. */
static void kick(void)
{
    if (atomic_load(&have_app_thread))
        pthread_kill(app_thread, mvk_host_nvic_signal());
}

void mvk_host_nvic_pend(uint32_t n)
{
    if (n >= MVK_HOST_IRQ_SLOTS)
        return;
    atomic_fetch_or(&pend[n / 32u], bit(n));
    kick();
}

void mvk_host_nvic_enable(uint32_t n)
{
    if (n >= MVK_HOST_IRQ_SLOTS)
        return;
    atomic_fetch_or(&en[n / 32u], bit(n));
    kick(); /* it may have been pending all along */
}

void mvk_host_nvic_disable(uint32_t n)
{
    if (n < MVK_HOST_IRQ_SLOTS)
        atomic_fetch_and(&en[n / 32u], ~bit(n));
}

void mvk_host_nvic_set_fast(uint32_t n, int on)
{
    if (n >= MVK_HOST_NUM_IRQS)
        return;
    if (on)
        atomic_fetch_or(&fast[n / 32u], bit(n));
    else
        atomic_fetch_and(&fast[n / 32u], ~bit(n));
}

uint32_t mvk_host_nvic_is_fast(uint32_t n)
{
    return n < MVK_HOST_IRQ_SLOTS && (atomic_load(&fast[n / 32u]) & bit(n)) ? 1u : 0u;
}

void mvk_host_nvic_unpend(uint32_t n)
{
    if (n < MVK_HOST_IRQ_SLOTS)
        atomic_fetch_and(&pend[n / 32u], ~bit(n));
}

uint32_t mvk_host_nvic_is_enabled(uint32_t n)
{
    return n < MVK_HOST_IRQ_SLOTS && (atomic_load(&en[n / 32u]) & bit(n)) ? 1u : 0u;
}

uint32_t mvk_host_nvic_is_pending(uint32_t n)
{
    return n < MVK_HOST_IRQ_SLOTS && (atomic_load(&pend[n / 32u]) & bit(n)) ? 1u : 0u;
}

void mvk_host_nvic_set_vector(uint32_t n, mvk_host_isr h)
{
    if (n < MVK_HOST_IRQ_SLOTS)
        atomic_store(&vec[n], h);
}

void mvk_host_nvic_set_handler(uint32_t n, mvk_host_isr h)
{
    if (n >= MVK_HOST_IRQ_SLOTS)
        return;
    atomic_store(&run_time[n], h);
    kick();
}

void mvk_host_nvic_reset(void)
{
    for (uint32_t w = 0; w < WORDS; w++) {
        atomic_store(&en[w], 0);
        atomic_store(&pend[w], 0);
        atomic_store(&fast[w], 0);
    }
    for (uint32_t n = 0; n < MVK_HOST_IRQ_SLOTS; n++)
        atomic_store(&run_time[n], (mvk_host_isr)0);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    nanosleep(&ts, 0);
}

/* With interrupts masked (PRIMASK, or another thread) WFI still wakes when one is
 * pending, without running it: poll for that in 1 ms steps. */
static int wait_masked(int timeout_ms)
{
    for (int t = 0; timeout_ms < 0 || t < timeout_ms; t++) {
        if (next_ready() >= 0)
            return 0;
        sleep_ms(1);
    }
    return 0;
}

int mvk_host_nvic_wait(int timeout_ms)
{
    struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
    uint_fast64_t before = atomic_load(&handled);
    sigset_t old;
    int on_app = atomic_load(&have_app_thread) && pthread_equal(pthread_self(), app_thread);

    mvk_host_nvic_block(&old);
    if (!on_app || sigismember(&old, mvk_host_nvic_signal())) {
        mvk_host_nvic_restore(&old);
        return wait_masked(timeout_ms);
    }
    /* Checked with the signal blocked, then slept with it unblocked atomically, so an
     * interrupt pended in between is never slept through. */
    if (next_ready() >= 0)
        (void)dispatch(0);
    else
        (void)ppoll(0, 0, timeout_ms < 0 ? 0 : &ts, &old);
    mvk_host_nvic_restore(&old);
    return atomic_load(&handled) != before;
}
