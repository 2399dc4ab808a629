/* The host kernel context: one mutex. System calls enter and leave it around the
 * dispatch (syscall_host.c calls these); entering blocks the interrupt signal first, so
 * an app handler never runs on top of kernel code (it could not take the lock), and
 * leaving also writes the eventfd the kernel loop polls, so frames a call queued are
 * sent without waiting for a timeout. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "host.h"

static pthread_mutex_t kernel_lock = PTHREAD_MUTEX_INITIALIZER;
static int wake_fd = -1;
static _Thread_local sigset_t saved_mask;
static _Thread_local int in_kernel;

int mvk_host_kernel_lock_init(void)
{
    wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return wake_fd < 0 ? -1 : 0;
}

void mvk_host_kernel_enter(void)
{
    mvk_host_nvic_block(&saved_mask);
    pthread_mutex_lock(&kernel_lock);
    in_kernel = 1;
}

void mvk_host_kernel_leave(void)
{
    uint64_t one = 1;

    in_kernel = 0;
    pthread_mutex_unlock(&kernel_lock);
    mvk_host_nvic_restore(&saved_mask);
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
