/* The host kernel loop: with the kernel lock held it drives conn and the kernel's
 * timers; without it, it sleeps in poll() on the link socket, the wake eventfd and
 * the next deadline. */
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>

#include "host.h"
#include "identity.h"
#include "kernel.h"
#include "port.h"

#define LOOP_MAX_SLEEP_MS 1000u

static atomic_int stopping;

void mvk_host_loop_stop(void)
{
    atomic_store(&stopping, 1);
    mvk_host_kernel_enter();
    mvk_host_kernel_leave(); /* wakes the loop */
}

static int timeout_ms(uint64_t now, uint64_t deadline)
{
    uint64_t ms;

    if (deadline <= now)
        return 0;
    ms = (deadline - now + 999u) / 1000u;
    return (int)(ms < LOOP_MAX_SLEEP_MS ? ms : LOOP_MAX_SLEEP_MS);
}

void *mvk_host_loop_main(void *arg)
{
    (void)arg;
    while (!atomic_load(&stopping)) {
        struct pollfd fds[2] = {{mvk_host_kernel_wake_fd(), POLLIN, 0}, {-1, 0, 0}};
        uint64_t now, deadline;

        mvk_host_kernel_drain_wake();
        mvk_host_loop_lock();
        now = mvk_port_now_us();
        mvk_kernel_poll(now);
        deadline = mvk_kernel_next_deadline_us();
        fds[1].fd = mvk_host_link_fd();
        fds[1].events = (short)(POLLIN | (mvk_host_link_wants_write() ? POLLOUT : 0));
        mvk_host_loop_unlock();
        (void)poll(fds, 2, timeout_ms(now, deadline));
    }
    return 0;
}
