/* The host kernel context: one mutex. System calls enter and leave it around the
 * dispatch (syscall_host.c calls these). From entering until leaving, an interrupt for
 * this thread is held back (nvic.c), so an app handler never runs on top of kernel code
 * (its system call could not take the lock). Leaving also writes the eventfd the kernel
 * loop polls, so frames a call queued are sent without waiting for a timeout. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "host.h"

static pthread_mutex_t kernel_lock = PTHREAD_MUTEX_INITIALIZER;
static int wake_fd = -1;
static _Thread_local volatile sig_atomic_t in_kernel;

int mvk_host_kernel_lock_init(void)
{
    wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return wake_fd < 0 ? -1 : 0;
}

void mvk_host_kernel_enter(void)
{
    /* Held back before the lock is taken: no handler may run once this thread owns it. */
    in_kernel = 1;
    mvk_host_nvic_hold();
    pthread_mutex_lock(&kernel_lock);
}

void mvk_host_kernel_leave(void)
{
    uint64_t one = 1;

    pthread_mutex_unlock(&kernel_lock);
    in_kernel = 0;
    mvk_host_nvic_release();
    /* A failed write means the counter is already non-zero: the loop wakes anyway. */
    if (wake_fd >= 0)
        (void)!write(wake_fd, &one, sizeof one);
}

int mvk_host_in_kernel(void)
{
    return in_kernel;
}

int mvk_host_kernel_wake_fd(void)
{
    return wake_fd;
}

void mvk_host_kernel_drain_wake(void)
{
    uint64_t v;

    if (wake_fd >= 0)
        (void)!read(wake_fd, &v, sizeof v);
}

void mvk_host_loop_lock(void)
{
    pthread_mutex_lock(&kernel_lock);
}

void mvk_host_loop_unlock(void)
{
    pthread_mutex_unlock(&kernel_lock);
}
