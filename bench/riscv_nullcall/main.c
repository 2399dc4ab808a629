/* System-call and upcall cost on the riscv-virt port (U-mode side). Run under QEMU
 * with -icount shift=0, where the instret counter the kernel lets U-mode read counts
 * executed instructions exactly. Each variant is timed over ITER iterations with the
 * empty loop subtracted: a local call, mvNoOp (stub + trap entry + register-table
 * dispatch + handler + return), mvGetMicroseconds (a call that validates and writes an
 * application pointer), a call number outside the table (trap entry to C and back).
 * Then notifications: mvTempTriggerNotification before an upcall entry is registered
 * (the call alone), and with an upcall handler: instructions from the call to the
 * handler's first line, and from the handler's last line back to the caller.
 * Prints "name: X.XX insns" lines; exits through the finisher. */
#include <stdint.h>

#include "console.h"
#include "mv_syscalls.h"
#include "upcall.h"

#define ITER 20000u
#define NOTIFY_IRQ 3u
#define NOTIFY_ROUNDS 8u

int main(void);
uint32_t bench_local(void);

__attribute__((noinline)) uint32_t bench_local(void)
{
    __asm volatile("" ::: "memory");
    return 0;
}

static inline uint32_t instret(void)
{
    uint32_t v;

    __asm volatile("rdinstret %0" : "=r"(v)::"memory");
    return v;
}

#define TIMED_LOOP(out, body)                                                                      \
    do {                                                                                           \
        uint32_t t0_ = instret(), i_;                                                              \
        for (i_ = 0; i_ < ITER; i_++) {                                                            \
            body;                                                                                  \
            __asm volatile("" ::: "memory");                                                       \
        }                                                                                          \
        (out) = instret() - t0_;                                                                   \
    } while (0)

/* Hundredths of an instruction per iteration, loop overhead removed. */
static void report(const char *what, uint32_t total, uint32_t empty)
{
    uint32_t per100 = (uint32_t)(((uint64_t)(total - empty) * 100u) / ITER);

    ns_puts(what);
    ns_puts(": ");
    ns_put_dec(per100 / 100u);
    ns_puts(".");
    ns_put_dec((per100 % 100u) / 10u);
    ns_put_dec(per100 % 10u);
    ns_puts(" insns\n");
}

static void report_min(const char *what, uint32_t n)
{
    ns_puts(what);
    ns_puts(": ");
    ns_put_dec(n);
    ns_puts(" insns\n");
}

static volatile uint32_t t_handler_in, t_handler_out;

static void notify_handler(void)
{
    t_handler_in = instret();
    __asm volatile("" ::: "memory");
    t_handler_out = instret();
}

static uint32_t unknown_call(void)
{
    register uint32_t a0 __asm("a0") = 0;
    register uint32_t a7 __asm("a7") = 999u;

    __asm volatile("ecall"
                   : "+r"(a0), "+r"(a7)::"memory", "a1", "a2", "a3", "a4", "a5", "a6", "t0", "t1",
                     "t2", "t3", "t4", "t5", "t6", "ra");
    return a0;
}

/* Minimum over rounds (the 1 ms timer interrupt may land inside one). */
static void bench_notifications(void)
{
    static struct MvNotification ring[2 * NOTIFY_ROUNDS + 2] __attribute__((aligned(8)));
    struct MvNotificationSetup setup = {NOTIFY_IRQ, ring, sizeof ring};
    MvNotificationHandle h = 0;
    uint32_t i, t0, t1, call = UINT32_MAX, in = UINT32_MAX, out = UINT32_MAX;

    if (mvSetupNotifications(&setup, &h) != MV_STATUS_OKAY) {
        ns_puts("bench: mvSetupNotifications failed\n");
        ns_exit(1);
    }
    for (i = 0; i < NOTIFY_ROUNDS; i++) { /* no upcall entry yet: the call alone */
        t0 = instret();
        (void)mvTempTriggerNotification(h, MV_EVENTTYPE_CHANNELDATAREADABLE, i);
        t1 = instret();
        call = t1 - t0 < call ? t1 - t0 : call;
    }
    if (rv_app_irq_attach(NOTIFY_IRQ, notify_handler) != 0)
        ns_exit(1);
    (void)mvNoOp(); /* delivers the upcall left pending by the loop above */
    for (i = 0; i < NOTIFY_ROUNDS; i++) {
        t0 = instret();
        (void)mvTempTriggerNotification(h, MV_EVENTTYPE_CHANNELDATAREADABLE, i);
        t1 = instret();
        in = t_handler_in - t0 < in ? t_handler_in - t0 : in;
        out = t1 - t_handler_out < out ? t1 - t_handler_out : out;
    }
    report_min("mvTempTriggerNotification, no upcall (call alone)", call);
    report_min("upcall: call to handler entry", in);
    report_min("upcall: handler exit to caller", out);
}

int main(void)
{
    uint32_t empty, local, noop, usec, unknown;
    uint64_t t;

    ns_puts("riscv null system call benchmark (instret under -icount)\n");
    TIMED_LOOP(empty, (void)0);
    TIMED_LOOP(local, (void)bench_local());
    TIMED_LOOP(noop, (void)mvNoOp());
    TIMED_LOOP(usec, (void)mvGetMicroseconds(&t));
    TIMED_LOOP(unknown, (void)unknown_call());
    report("local call", local, empty);
    report("mvNoOp round trip", noop, empty);
    report("mvGetMicroseconds round trip", usec, empty);
    report("unknown call number round trip", unknown, empty);
    bench_notifications();
    ns_exit(0);
}
