/* Boot test for the riscv-virt port, run by tests/e2e/riscv_kernel.sh: system calls
 * through ecall, pointer checks that must refuse kernel memory, ranges leaving the
 * application's regions and wrapping ones, a notification delivered as an upcall,
 * then one deliberate U-mode access per protected resource (kernel RAM, the link UART,
 * the CLINT timer, kernel code), after each of which the kernel must restart this
 * application alone. Exit status (finisher): 0 all passed, 1 a check failed. */
#include <stddef.h>
#include <string.h>

#include "app_test.h"
#include "board.h"
#include "console.h"
#include "mv_syscalls.h"
#include "syscall_nr.h"
#include "upcall.h"

#define KERNEL_DATA 0x80200000u /* kernel RAM */
#define KERNEL_CODE 0x80000000u /* kernel image */
#define PHASE_MAGIC 0x52560000u /* "RV" + phase number */
#define NOTIFY_IRQ 7u

/* Survives the kernel's restarts of the application (picolibc's .preserve is not
 * zeroed by crt0; QEMU starts with zeroed RAM). */
static volatile uint32_t phase __attribute__((section(".preserve.boot_test")));
static volatile uint32_t failures __attribute__((section(".preserve.boot_test")));
static uint8_t log_buf[4096] __attribute__((aligned(4)));

static void check(int ok, const char *what)
{
    if (!app_test_report(ok, what))
        failures++;
}

/* A raw ecall: number and one argument, as the stubs do it. */
static uint32_t raw_ecall(uint32_t nr, uint32_t arg)
{
    register uint32_t a0 __asm("a0") = arg;
    register uint32_t a7 __asm("a7") = nr;

    __asm volatile("ecall" : "+r"(a0), "+r"(a7)::"memory");
    return a0;
}

/* Registers a1-a7 and t0-t6 after an ecall with number nr (a0 = 0 in, status out). */
#define ECALL_REGS(nr, a0, out)                                                                    \
    __asm volatile("li a1, 0x11\n li a2, 0x12\n li t0, 0x13\n li t3, 0x14\n"                       \
                   "li a7, %[n]\n ecall\n"                                                         \
                   "sw a1, 0(%[o])\n sw a2, 4(%[o])\n sw a3, 8(%[o])\n sw a4, 12(%[o])\n"          \
                   "sw a5, 16(%[o])\n sw a6, 20(%[o])\n sw a7, 24(%[o])\n sw t0, 28(%[o])\n"       \
                   "sw t1, 32(%[o])\n sw t2, 36(%[o])\n sw t3, 40(%[o])\n sw t4, 44(%[o])\n"       \
                   "sw t5, 48(%[o])\n sw t6, 52(%[o])"                                             \
                   : "+r"(a0)                                                                      \
                   : [o] "r"(out), [n] "i"(nr)                                                     \
                   : "a1", "a2", "a3", "a4", "a5", "a6", "a7", "t0", "t1", "t2", "t3", "t4", "t5", \
                     "t6", "memory")

/* The kernel clears the caller-saved registers it used: after a call, a1-a7 and
 * t0-t6 hold nothing but zero (no kernel value leaks); a0 is the status. After a
 * number the table does not have, they hold nothing from the kernel's memory range. */
static void test_no_leak(void)
{
    uint32_t out[14];
    register uint32_t a0 __asm("a0") = 0;
    uint32_t nonzero = 0, kernel_values = 0;
    size_t i;

    ECALL_REGS(__NR_mvGetMicroseconds, a0, out);
    for (i = 0; i < 14; i++)
        nonzero += out[i] != 0;
    check(a0 == MV_STATUS_PARAMETERFAULT, "mvGetMicroseconds(NULL) via raw ecall");
    check(nonzero == 0, "caller-saved registers cleared on return (no kernel values)");
    a0 = 0;
    ECALL_REGS(999, a0, out);
    for (i = 0; i < 14; i++)
        kernel_values += out[i] >= KERNEL_CODE && out[i] < RV_APP_FLASH;
    check(a0 == MV_STATUS_UNAVAILABLE && kernel_values == 0,
          "unknown number: UNAVAILABLE, no kernel values in registers");
}

static void test_calls(void)
{
    static const char msg[] = "hello from the application";

    uint32_t hz = 0;

    check(mvNoOp() == MV_STATUS_OKAY, "mvNoOp returns OKAY");
    check(mvGetSysClk(&hz) == MV_STATUS_OKAY && hz == 10000000u,
          "mvGetSysClk: the board's 10 MHz timebase");
    failures += app_test_time();
    test_no_leak();
    check(mvServerLog((const uint8_t *)msg, (uint16_t)strlen(msg)) == MV_STATUS_UNAVAILABLE,
          "mvServerLog before mvServerLoggingInit -> UNAVAILABLE");
    check(mvServerLoggingInit((uint8_t *)KERNEL_DATA, sizeof log_buf) == MV_STATUS_PARAMETERFAULT,
          "kernel logging buffer -> PARAMETERFAULT");
    check(mvServerLoggingInit(log_buf, sizeof log_buf) == MV_STATUS_OKAY,
          "mvServerLoggingInit returns OKAY");
    check(mvServerLog((const uint8_t *)msg, (uint16_t)strlen(msg)) == MV_STATUS_OKAY,
          "mvServerLog returns OKAY");
}

static volatile uint32_t notify_irqs;
static volatile uint32_t notify_sp;

static void notify_handler(void)
{
    uint32_t sp;

    __asm volatile("mv %0, sp" : "=r"(sp));
    notify_sp = sp;
    notify_irqs++;
}

/* A notification raised by a system call is delivered as an upcall when the call
 * returns: the handler runs once, on the application's stack, and the interrupted
 * code resumes with its registers intact (the compiler keeps values in s-registers
 * across the call; they are checked after it). */
static void test_notification(void)
{
    static struct MvNotification ring[4] __attribute__((aligned(8)));
    struct MvNotificationSetup setup = {NOTIFY_IRQ, ring, sizeof ring};
    MvNotificationHandle h = 0;
    volatile uint32_t keep1 = 0x1234567u, keep2 = 0x89abcdefu;
    uint32_t k1 = keep1, k2 = keep2;

    check(mvSetupNotifications(&setup, &h) == MV_STATUS_OKAY && h != 0,
          "mvSetupNotifications returns a handle");
    check(rv_app_irq_attach(NOTIFY_IRQ, notify_handler) == 0, "upcall handler attached");
    check(mvTempTriggerNotification(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 0x1234u) == MV_STATUS_OKAY,
          "mvTempTriggerNotification returns OKAY");
    check(notify_irqs == 1, "notification upcall delivered once");
    check(notify_sp >= RV_APP_RAM && notify_sp < RV_APP_RAM + RV_APP_RAM_SIZE,
          "upcall ran on the application's stack");
    check(k1 == keep1 && k2 == keep2, "registers intact after the upcall");
    check(ring[0].tag == 0x1234u && ring[0].event_type == MV_EVENTTYPE_CHANNELDATAREADABLE,
          "notification entry written");
    check(mvTempTriggerNotification(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 0x5678u) ==
                  MV_STATUS_OKAY &&
              notify_irqs == 2 && ring[1].tag == 0x5678u,
          "second notification: second upcall, next ring entry");
    /* Masked: the notification is written but its upcall waits for the unmask. */
    check(rv_app_upcalls_mask(1) == 0, "upcalls masked (were unmasked)");
    check(mvTempTriggerNotification(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 0x9abcu) ==
                  MV_STATUS_OKAY &&
              mvNoOp() == MV_STATUS_OKAY && notify_irqs == 2 && ring[2].tag == 0x9abcu,
          "masked: entry written, no upcall");
    check(rv_app_upcalls_mask(0) == 1 && notify_irqs == 3, "unmasked: the upcall is delivered");
    check(k1 == keep1 && k2 == keep2, "registers intact after the unmask upcall");
    check(mvCloseNotifications(&h) == MV_STATUS_OKAY && h == 0, "mvCloseNotifications");
    /* Interrupt numbers are the STM32U585's (0..124): 124 works, 125 does not. */
    setup.irq = 124u;
    check(mvSetupNotifications(&setup, &h) == MV_STATUS_OKAY &&
              rv_app_irq_attach(124u, notify_handler) == 0 &&
              mvTempTriggerNotification(h, MV_EVENTTYPE_CHANNELDATAREADABLE, 0x9u) ==
                  MV_STATUS_OKAY &&
              notify_irqs == 4 && mvCloseNotifications(&h) == MV_STATUS_OKAY,
          "notification on interrupt 124: upcall delivered");
    setup.irq = 125u;
    check(mvSetupNotifications(&setup, &h) == MV_STATUS_INVALIDINTERRUPT,
          "interrupt 125 -> INVALIDINTERRUPT");
    check(raw_ecall(RV_ECALL_UPCALL_RETURN, 0) == MV_STATUS_PARAMETERFAULT,
          "upcall return outside an upcall -> PARAMETERFAULT");
    check(raw_ecall(RV_ECALL_SET_UPCALL, KERNEL_CODE) == MV_STATUS_PARAMETERFAULT,
          "upcall entry in kernel code -> PARAMETERFAULT");
}

static void test_refusals(void)
{
    uint64_t *ram_end = (uint64_t *)(RV_APP_RAM + RV_APP_RAM_SIZE - 4u);
    uint8_t id[34];

    check(mvGetMicroseconds((uint64_t *)KERNEL_DATA) == MV_STATUS_PARAMETERFAULT,
          "kernel output pointer -> PARAMETERFAULT");
    check(mvGetMicroseconds(NULL) == MV_STATUS_PARAMETERFAULT, "NULL -> PARAMETERFAULT");
    check(mvGetMicroseconds(ram_end) == MV_STATUS_PARAMETERFAULT,
          "range leaving application RAM -> PARAMETERFAULT");
    check(mvGetMicroseconds((uint64_t *)(RV_APP_RAM - 4u)) == MV_STATUS_PARAMETERFAULT,
          "range entering application RAM from below -> PARAMETERFAULT");
    check(mvGetMicroseconds((uint64_t *)RV_APP_FLASH) == MV_STATUS_PARAMETERFAULT,
          "output into the read-only image -> PARAMETERFAULT");
    check(mvGetMicroseconds((uint64_t *)RV_APP_CONSOLE) == MV_STATUS_PARAMETERFAULT,
          "output into the application's own device -> PARAMETERFAULT");
    check(mvServerLog((const uint8_t *)KERNEL_DATA, 16) == MV_STATUS_PARAMETERFAULT,
          "kernel input buffer -> PARAMETERFAULT");
    check(mvServerLog((const uint8_t *)0xFFFFFFF0u, 0x20) == MV_STATUS_PARAMETERFAULT,
          "wrapping range -> PARAMETERFAULT");
    check(mvServerLog((const uint8_t *)RV_APP_FLASH, 16) == MV_STATUS_OKAY,
          "input from the application image is accepted");
    check(mvGetDeviceId((uint8_t *)(RV_APP_RAM + RV_APP_RAM_SIZE - 8u), 34) ==
              MV_STATUS_PARAMETERFAULT,
          "device id buffer leaving RAM -> PARAMETERFAULT");
    check(mvGetDeviceId(id, 34) == MV_STATUS_OKAY && memcmp(id, "UV", 2) == 0,
          "mvGetDeviceId writes the provisioned id");
    /* Misaligned pointers are the application's right: the kernel copies bytes, never
     * dereferences them as typed (a misaligned M-mode access may trap on hardware). */
    {
        static uint8_t buf[16] __attribute__((aligned(8)));
        uint64_t t = 0;
        check(mvGetMicroseconds((uint64_t *)(void *)(buf + 1)) == MV_STATUS_OKAY &&
                  (memcpy(&t, buf + 1, sizeof t), t != 0),
              "misaligned output pointer: OKAY, value written");
    }
    /* Aligned: a typed store of both words (the top one must not be stale). */
    {
        static uint64_t a[2];
        a[0] = a[1] = UINT64_MAX;
        check(mvGetMicroseconds(&a[0]) == MV_STATUS_OKAY && a[0] != UINT64_MAX &&
                  (a[0] >> 32) == 0 && a[1] == UINT64_MAX,
              "aligned output pointer: OKAY, both words written, nothing beyond");
    }
    /* Word- but not doubleword-aligned takes the byte copy on rv32 (_Alignof 8). */
    {
        static uint32_t w[4] __attribute__((aligned(8)));
        uint64_t t = 0;
        w[0] = w[3] = 0xFFFFFFFFu;
        check(mvGetMicroseconds((uint64_t *)(void *)&w[1]) == MV_STATUS_OKAY &&
                  (memcpy(&t, &w[1], sizeof t), t != 0) && w[0] == 0xFFFFFFFFu &&
                  w[3] == 0xFFFFFFFFu,
              "4-byte-aligned output pointer: OKAY, value written, nothing around");
    }
    check(mvGetMicroseconds((uint64_t *)(RV_APP_RAM + RV_APP_RAM_SIZE)) ==
              MV_STATUS_PARAMETERFAULT,
          "aligned pointer just past RAM -> PARAMETERFAULT");
    check(mvGetMicroseconds((uint64_t *)(RV_APP_RAM + RV_APP_RAM_SIZE - 7u)) ==
              MV_STATUS_PARAMETERFAULT,
          "misaligned range leaving RAM by one byte -> PARAMETERFAULT");
    check(raw_ecall(999u, 0) == MV_STATUS_UNAVAILABLE, "unknown call number -> UNAVAILABLE");
    check(raw_ecall(0xFFFFFFFFu, 0) == MV_STATUS_UNAVAILABLE,
          "call number 0xffffffff -> UNAVAILABLE");
    check(mvNoOp() == MV_STATUS_OKAY, "still running after refusals");
}

static void after_restart(void)
{
    ns_puts("boot_test: restarted after fault ");
    ns_put_dec(phase & 0xFFu);
    ns_puts("\n");
    check(mvNoOp() == MV_STATUS_OKAY, "system calls work after restart");
    /* The kernel forgot the old application's buffers: the same one is accepted. */
    check(mvServerLoggingInit(log_buf, sizeof log_buf) == MV_STATUS_OKAY,
          "mvServerLoggingInit with the old buffer after restart");
}

/* One protected resource per phase; each access must fault and restart us. */
static void fault(uint32_t next)
{
    phase = PHASE_MAGIC | next;
    switch (next) {
    case 1:
        ns_puts("boot_test: reading kernel RAM, expecting a restart\n");
        (void)*(volatile uint32_t *)KERNEL_DATA;
        break;
    case 2:
        ns_puts("boot_test: writing the link UART, expecting a restart\n");
        *(volatile uint8_t *)RV_LINK_UART = 'x';
        break;
    case 3:
        ns_puts("boot_test: reading the CLINT timer, expecting a restart\n");
        (void)*(volatile uint32_t *)RV_CLINT_MTIME;
        break;
    case 4:
        ns_puts("boot_test: jumping into kernel code, expecting a restart\n");
        ((void (*)(void))(uintptr_t)KERNEL_CODE)();
        break;
    default: break;
    }
    ns_puts("FAIL protected access did not fault\n");
    ns_exit(1);
}

int main(void)
{
    uint32_t p = (phase & 0xFFFF0000u) == PHASE_MAGIC ? phase & 0xFFu : 0u;

    if (p == 0) {
        failures = 0;
        ns_puts("boot_test: start\n");
        test_calls();
        test_notification();
        test_refusals();
    } else {
        after_restart();
    }
    if (failures) {
        ns_puts("boot_test: FAILED\n");
        ns_exit(1);
    }
    if (p < 4u)
        fault(p + 1u);
    ns_puts("boot_test: PASSED\n");
    ns_exit(0);
}
