/* Boot test for the mps2-an505 port, run by tests/e2e/an505_boot.sh: system calls
 * through the secure gateway, pointer checks that must refuse secure memory, then a
 * deliberate SecureFault after which the kernel must restart this application. Exit
 * status (semihosting): 0 all passed, 1 a check failed. */
#include <stddef.h>
#include <string.h>

#include "app_test.h"
#include "console.h"
#include "gateway.h"
#include "vectors.h"
#include "mv_syscalls.h"
#include "syscall_nr.h"

#define SECURE_DATA 0x38000000u
#define NS_DATA_END 0x28400000u /* first address after the NS data region */
#define FAULT_MAGIC 0x46415554u /* "FAUT": set before the deliberate fault */

/* Survives the kernel's restart of the application (picolibc's .preserve is not
 * zeroed by crt0; QEMU starts with zeroed RAM). */
static volatile uint32_t fault_phase __attribute__((section(".preserve.boot_test")));
static uint32_t failures;
static uint8_t log_buf[4096] __attribute__((aligned(4)));

static void check(int ok, const char *what)
{
    if (!app_test_report(ok, what))
        failures++;
}

static void test_calls(void)
{
    static const char msg[] = "hello from the application";

    check(mvNoOp() == MV_STATUS_OKAY, "mvNoOp returns OKAY");
    failures += app_test_time();
    check(mvServerLog((const uint8_t *)msg, (uint16_t)strlen(msg)) == MV_STATUS_UNAVAILABLE,
          "mvServerLog before mvServerLoggingInit -> UNAVAILABLE");
    check(mvServerLoggingInit((uint8_t *)SECURE_DATA, sizeof log_buf) ==
              MV_STATUS_PARAMETERFAULT,
          "secure logging buffer -> PARAMETERFAULT");
    check(mvServerLoggingInit(log_buf, sizeof log_buf) == MV_STATUS_OKAY,
          "mvServerLoggingInit returns OKAY");
    check(mvServerLog((const uint8_t *)msg, (uint16_t)strlen(msg)) == MV_STATUS_OKAY,
          "mvServerLog returns OKAY");
}

#define NOTIFY_IRQ 60u /* any interrupt the kernel routes to the application */

static volatile uint32_t notify_irqs;

static void notify_handler(void)
{
    notify_irqs++;
}

/* A notification raised by a system call pends the application's IRQ; the gateway
 * masks it until the call has returned. Images without notifications (the bring-up
 * image) answer UNAVAILABLE: reported, not counted (the kernel test requires the
 * "delivered" line). */
static void test_notification(void)
{
    static struct MvNotification ring[4] __attribute__((aligned(8)));
    struct MvNotificationSetup setup = {NOTIFY_IRQ, ring, sizeof ring};
    MvNotificationHandle h = 0;
    enum MvStatus st;

    st = mvSetupNotifications(&setup, &h);
    if (st == MV_STATUS_UNAVAILABLE) {
        ns_puts("note notifications not implemented by this kernel image\n");
        return;
    }
    check(st == MV_STATUS_OKAY && h != 0, "mvSetupNotifications returns a handle");
    check(ns_irq_attach(NOTIFY_IRQ, notify_handler) == 0, "notification IRQ attached");
    check(mvTempTriggerNotification(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 0x1234u) ==
              MV_STATUS_OKAY,
          "mvTempTriggerNotification returns OKAY");
    __asm volatile("dsb\n isb" ::: "memory");
    check(notify_irqs == 1, "notification IRQ delivered once");
    check(ring[0].tag == 0x1234u && ring[0].event_type == MV_EVENTTYPE_CHANNELDATAREADABLE,
          "notification entry written");
    check(mvCloseNotifications(&h) == MV_STATUS_OKAY && h == 0, "mvCloseNotifications");
}

static void test_refusals(void)
{
    uintptr_t args[AN505_SYSCALL_ARGS] = {0};

    check(mvGetMicroseconds((uint64_t *)SECURE_DATA) == MV_STATUS_PARAMETERFAULT,
          "secure output pointer -> PARAMETERFAULT");
    check(mvGetMicroseconds(NULL) == MV_STATUS_PARAMETERFAULT, "NULL -> PARAMETERFAULT");
    check(mvGetMicroseconds((uint64_t *)(NS_DATA_END - 4u)) == MV_STATUS_PARAMETERFAULT,
          "range crossing into secure memory -> PARAMETERFAULT");
    check(mvServerLog((const uint8_t *)SECURE_DATA, 16) == MV_STATUS_PARAMETERFAULT,
          "secure input buffer -> PARAMETERFAULT");
    check(mvk_an505_syscall(__NR_mvNoOp, (const uintptr_t *)SECURE_DATA) ==
              MV_STATUS_PARAMETERFAULT,
          "argument block in secure memory -> PARAMETERFAULT");
    check(mvk_an505_syscall(0xFFFFu, args) == MV_STATUS_UNAVAILABLE,
          "unknown call number -> UNAVAILABLE");
    check(mvNoOp() == MV_STATUS_OKAY, "still running after refusals");
}

int main(void)
{
    if (fault_phase == FAULT_MAGIC) {
        fault_phase = 0;
        ns_puts("boot_test: restarted after the fault\n");
        check(mvNoOp() == MV_STATUS_OKAY, "system calls work after restart");
        /* The kernel forgot the old application's buffers: the same one is accepted. */
        check(mvServerLoggingInit(log_buf, sizeof log_buf) == MV_STATUS_OKAY,
              "mvServerLoggingInit with the old buffer after restart");
        check(mvServerLog((const uint8_t *)"again", 5) == MV_STATUS_OKAY,
              "mvServerLog after restart");
        ns_puts(failures ? "boot_test: FAILED\n" : "boot_test: PASSED\n");
        ns_exit(failures ? 1u : 0u);
    }
    ns_puts("boot_test: start\n");
    test_calls();
    test_notification();
    test_refusals();
    if (failures) {
        ns_puts("boot_test: FAILED\n");
        ns_exit(1);
    }
    ns_puts("boot_test: reading secure memory, expecting a restart\n");
    fault_phase = FAULT_MAGIC;
    (void)*(volatile uint32_t *)SECURE_DATA;
    ns_puts("FAIL secure read did not fault\n");
    ns_exit(1);
}
