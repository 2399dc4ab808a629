/* Application-fault test application for tests/e2e/an505_fault.sh: logs while
 * connected to a relay, then logs a burst of long messages and at once reads secure
 * memory. mvServerLog queues records for the relay while the connection's transmit
 * queue (~32 KiB) has room, so at the fault the end of the burst is in flight
 * (unacknowledged) and, depending on QEMU's timing, the rest still only in the
 * application's buffer (lost) when the kernel restarts the application. Restarted, it logs again: the relay must hold every message or a GAP
 * record counting the missing ones, all under the one boot id. */
#include <stdint.h>
#include <stdio.h>

#include "console.h"
#include "mv_syscalls.h"

#define SECURE_DATA 0x38000000u
#define FAULT_MAGIC 0x464C4F47u /* "FLOG": set just before the deliberate fault */
#define NOTIFY_IRQ 5u           /* never enabled: the network status is polled */
#define PACED 15u               /* logged 100 ms apart: acknowledged before the fault */
#define BURST 200u              /* logged back to back, then the fault */
#define BURST_LEN 1000u         /* bytes per burst message: 200 KB, more than the txq */
#define AFTER 5u                /* logged by the restarted application */

/* Survives the kernel's restart of the application (picolibc's .preserve is not
 * zeroed by crt0; QEMU starts with zeroed RAM). */
static volatile uint32_t fault_phase __attribute__((section(".preserve.fault_log")));
static uint8_t log_buf[256 * 1024] __attribute__((aligned(8))); /* holds the burst */
static struct MvNotification ring[8] __attribute__((aligned(16)));
/* The burst, formatted beforehand so that logging it is only system calls, which can
 * then outrun the kernel's encrypting and sending (not every run does). */
static char burst[BURST][BURST_LEN];
static uint16_t burst_len[BURST];

/* WFI until ms passed: the kernel's 1 ms SysTick wakes the core. */
static void wait_ms(uint32_t ms)
{
    uint64_t start = 0, now = 0;

    if (mvGetMicroseconds(&start) != MV_STATUS_OKAY)
        return;
    do {
        __asm volatile("wfi");
        if (mvGetMicroseconds(&now) != MV_STATUS_OKAY)
            return;
    } while (now - start < (uint64_t)ms * 1000u);
}

/* Writes "fault_log: WHAT N" into msg, padded with " xxx..." to pad bytes (<= cap) if
 * pad is larger; returns the length. */
static uint16_t format(char *msg, uint32_t cap, const char *what, uint32_t n, uint32_t pad)
{
    int len = snprintf(msg, cap, "fault_log: %s %lu", what, (unsigned long)n);

    if (len <= 0 || (uint32_t)len >= cap)
        return 0;
    if ((uint32_t)len + 1u < pad && pad <= cap) {
        msg[len++] = ' ';
        while ((uint32_t)len < pad)
            msg[len++] = 'x';
    }
    return (uint16_t)len;
}

/* Returns 1 if the kernel took the message (refusals are counted by the kernel and
 * reported in a GAP record, which the test accepts). */
static uint32_t log_msg(const char *msg, uint16_t len)
{
    return len > 0 && mvServerLog((const uint8_t *)msg, len) == MV_STATUS_OKAY;
}

static uint32_t log_num(const char *what, uint32_t n)
{
    char msg[48];

    return log_msg(msg, format(msg, sizeof msg, what, n, 0));
}

/* The network is requested only so the application can wait for the session (logging
 * alone would connect too); no interrupt is enabled for the notification ring. */
static int wait_connected(uint32_t max_s)
{
    struct MvNotificationSetup ns = {NOTIFY_IRQ, ring, sizeof ring};
    struct MvRequestNetworkParams rp = {.version = 1};
    MvNotificationHandle nh = 0;
    MvNetworkHandle net = 0;
    enum MvNetworkStatus st = MV_NETWORKSTATUS_CONNECTING;

    if (mvSetupNotifications(&ns, &nh) != MV_STATUS_OKAY)
        return -1;
    rp.v1.notification_handle = nh;
    rp.v1.notification_tag = 1;
    if (mvRequestNetwork(&rp, &net) != MV_STATUS_OKAY)
        return -1;
    for (uint32_t i = 0; i < max_s * 10u; i++) {
        if (mvGetNetworkStatus(net, &st) == MV_STATUS_OKAY && st == MV_NETWORKSTATUS_CONNECTED)
            return 0;
        wait_ms(100);
    }
    return -1;
}

static void before_fault(void)
{
    uint32_t n = 0, taken = 0;

    if (mvServerLoggingInit(log_buf, sizeof log_buf) != MV_STATUS_OKAY) {
        ns_puts("fault_log: FAIL mvServerLoggingInit\n");
        ns_exit(1);
    }
    if (wait_connected(60) != 0) {
        ns_puts("fault_log: FAIL not connected\n");
        ns_exit(1);
    }
    ns_puts("fault_log: connected\n");
    while (n < PACED) {
        taken += log_num("before", ++n);
        wait_ms(100);
    }
    for (uint32_t i = 0; i < BURST; i++)
        burst_len[i] = format(burst[i], BURST_LEN, "before", n + 1u + i, BURST_LEN);
    for (uint32_t i = 0; i < BURST; i++, n++)
        taken += log_msg(burst[i], burst_len[i]);
    /* The test reads these numbers: messages 1..n were logged, `taken` accepted. */
    ns_puts("fault_log: logged ");
    ns_put_dec(n);
    ns_puts(" accepted ");
    ns_put_dec(taken);
    ns_puts(", reading secure memory\n");
    fault_phase = FAULT_MAGIC;
    (void)*(volatile uint32_t *)SECURE_DATA;
    ns_puts("fault_log: FAIL secure read did not fault\n");
    ns_exit(1);
}

/* The restarted application: the same buffer again (the kernel released it). Its first
 * record is the kernel's GAP for records the fault lost before they were ever sent, if
 * any; records that were in flight are settled by the relay's acknowledgement and
 * counted in a later GAP only if the relay did not store them. */
static void after_fault(void)
{
    fault_phase = 0;
    ns_puts("fault_log: restarted\n");
    if (mvServerLoggingInit(log_buf, sizeof log_buf) != MV_STATUS_OKAY) {
        ns_puts("fault_log: FAIL mvServerLoggingInit after restart\n");
        ns_exit(1);
    }
    for (uint32_t n = 1; n <= AFTER; n++) {
        if (!log_num("after", n))
            ns_puts("fault_log: FAIL mvServerLog after restart\n");
        wait_ms(200);
    }
    ns_puts("fault_log: done\n");
    for (;;) /* the kernel keeps delivering; the test stops QEMU */
        __asm volatile("wfi");
}

int main(void)
{
    if (fault_phase == FAULT_MAGIC)
        after_fault();
    before_fault();
    return 0;
}
