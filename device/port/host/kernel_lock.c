/* The host kernel context: one mutex. System calls enter and leave it around the
 * dispatch (syscall_host.c calls these); leaving also writes the eventfd the kernel
 * loop polls, so frames a call queued are sent without waiting for a timeout. */
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "host.h"

static pthread_mutex_t kernel_lock = PTHREAD_MUTEX_INITIALIZER;
static int wake_fd = -1;

int mvk_host_kernel_lock_init(void)
{
    wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return wake_fd < 0 ? -1 : 0;
}

void mvk_host_kernel_enter(void)
{
    pthread_mutex_lock(&kernel_lock);
}

void mvk_host_kernel_leave(void)
{
    uint64_t one = 1;

    pthread_mutex_unlock(&kernel_lock);
    /* A failed write means the counter is already non-zero: the loop wakes anyway. */
    if (wake_fd >= 0)
        (void)!write(wake_fd, &one, sizeof one);
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
