/* The application thread: calls the app's entry, and is where a fault (fault.c) or
 * NVIC_SystemReset lands. Restarting is what Microvisor does after an application
 * fault: the kernel forgets the application (mvk_kernel_app_reset: handles, buffers,
 * channels closed towards the relay) but keeps the session, the boot id and the log
 * sequence; the port clears its NVIC and gives the app pristine .data/.bss; the entry
 * runs again on the same stack, and mvGetWakeReason says APPLICATIONCRASH. */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#include "host.h"
#include "kernel.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

/* A fault within this long of the previous (re)start waits before restarting, so an
 * application that faults at once does not spin the CPU. */
#define RESTART_QUICK_NS 1000000000ull
#define RESTART_BACKOFF_MS 500

_Thread_local int mvk_host_on_app_thread;
static sigjmp_buf base;
static uint8_t *stack_lo;
static volatile sig_atomic_t fault_sig;
static void *volatile fault_addr;
static uint64_t started_ns;


static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void mvk_host_app_fault_jump(int sig, void *addr)
{
    fault_sig = sig;
    fault_addr = addr;
    siglongjmp(base, MVK_HOST_RESTART_FAULT);
}

void mvk_host_app_restart(enum mvk_host_restart why)
{
    if (mvk_host_on_app_thread)
        siglongjmp(base, (int)why);
}

static void restart(int why)
{
    sigset_t old;
    char here;

    mvk_host_nvic_block(&old);
#ifdef __SANITIZE_ADDRESS__
    /* The abandoned frames' redzones would read as errors in the restarted app. */
    if (stack_lo)
        __asan_unpoison_memory_region(stack_lo, (size_t)(&here - (char *)stack_lo));
#endif
    (void)here;
    if (why == MVK_HOST_RESTART_FAULT)
        fprintf(stderr, "mvdevice: application fault (signal %d at %p), restarting the "
                        "application\n", (int)fault_sig, fault_addr);
    else
        fprintf(stderr, "mvdevice: application reset requested, restarting it\n");
    if (now_ns() - started_ns < RESTART_QUICK_NS) {
        struct timespec ts = {0, RESTART_BACKOFF_MS * 1000000L};
        nanosleep(&ts, 0);
    }
    mvk_host_systick_stop();
    mvk_host_nvic_reset();
    mvk_host_kernel_enter();
    mvk_kernel_app_reset();
    if (why == MVK_HOST_RESTART_FAULT)
        mvk_kernel_note_app_crash();
    mvk_host_app_restore();
    mvk_host_kernel_leave();
    mvk_host_nvic_restore(&old);
}

static void *app_main(void *arg)
{
    pthread_attr_t attr;
    void *lo = 0;
    size_t size;
    int why;

    (void)arg;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        (void)pthread_attr_getstack(&attr, &lo, &size);
        pthread_attr_destroy(&attr);
    }
    stack_lo = lo;
    if (mvk_host_fault_thread_init() != 0)
        fprintf(stderr, "mvdevice: no alternate signal stack: a stack overflow in the "
                        "application will end mvdevice\n");
    mvk_host_nvic_set_app_thread();
    mvk_host_on_app_thread = 1;
    why = sigsetjmp(base, 1);
    if (why != 0)
        restart(why);
    started_ns = now_ns();
    mvk_host_app_call_entry();
    /* The entry returned: the core idles, interrupts still run. */
    for (;;)
        (void)mvk_host_nvic_wait(-1);
    return 0;
}

int mvk_host_app_start(void)
{
    return mvk_host_start_app_thread(app_main, 0);
}
