/* Application faults on the host port. A synchronous fault signal (bad pointer, stack
 * overflow into the guard page, illegal instruction, abort() from a failed assert) on
 * the application thread while it is not running kernel code is the application's
 * fault: the handler, on an alternate stack so that a blown stack can still be handled,
 * jumps back to the application thread's base (app_run.c), which restarts the
 * application alone. Anywhere else it is the kernel's or the port's, and fatal: the
 * handler that was installed before ours (ASan's report, or the default action) runs. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "host.h"

#define ALT_STACK_SIZE (256u * 1024u) /* ASan's handlers are stack hungry too */

static const int fault_sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
#define NSIGS (sizeof fault_sigs / sizeof fault_sigs[0])
static struct sigaction previous[NSIGS];

static void fatal(int idx, int sig, siginfo_t *si, void *uc)
{
    const struct sigaction *p = &previous[idx];

    if ((p->sa_flags & SA_SIGINFO) && p->sa_sigaction) {
        p->sa_sigaction(sig, si, uc);
        return;
    }
    if (p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN) {
        p->sa_handler(sig);
        return;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    int idx = 0;

    while (fault_sigs[idx] != sig)
        idx++;
    if (!mvk_host_on_app_thread || mvk_host_in_kernel()) {
        fatal(idx, sig, si, uc);
        return;
    }
    mvk_host_app_fault_jump(sig, si->si_addr);
}

int mvk_host_fault_init(void)
{
    struct sigaction sa = {0};

    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSIGS; i++)
        if (sigaction(fault_sigs[i], &sa, &previous[i]) != 0)
            return -1;
    return 0;
}

/* Each thread has its own alternate signal stack; this one is kernel memory. */
int mvk_host_fault_thread_init(void)
{
    stack_t ss = {0};

    ss.ss_sp = mmap(0, ALT_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                    -1, 0);
    if (ss.ss_sp == MAP_FAILED)
        return -1;
    ss.ss_size = ALT_STACK_SIZE;
    return sigaltstack(&ss, 0);
}
