/* Device-management calls on the kernel image, run by tests/e2e/an505_sys.sh and the
 * bench/an505_fastirq.sh benchmark (both under -icount shift=0): the board's clock,
 * the system LED and the peek/poke allow list (seen through the FPGA I/O registers),
 * fast interrupts (CMSDK timer 0, IRQ 3, expiring while the kernel erases the 1 MiB
 * external flash: a fast handler runs inside that call, an ordinary one after it; a
 * disabled one stays pending), and the wake reason before and after a deliberate
 * fault. Ends with "sys_test: PASSED" (or FAILED) and the matching semihosting exit
 * status; the test also checks the LED register writes QEMU's FPGA I/O model saw. The
 * timer latencies are printed in ticks of the 20 MHz timer clock. */
#include <stddef.h>
#include <stdint.h>

#include "app_test.h"
#include "console.h"
#include "vectors.h"
#include "mv_syscalls.h"

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define SECURE_DATA 0x38000000u
#define FAULT_MAGIC 0x46415554u

#define TIMER0 0x40000000u /* CMSDK APB timers 0 and 1, made non-secure by the kernel */
#define TIMER1 0x40001000u
#define TIMER_CTRL 0x00u
#define TIMER_VALUE 0x04u
#define TIMER_RELOAD 0x08u
#define TIMER_INTCLEAR 0x0Cu
#define TIMER_EN 1u
#define TIMER_IRQEN 8u
#define TIMER_IRQ 3u
#define TIMER_RELOAD_VAL 0x00FFFFFFu
#define TIMER_DELAY 200u /* ticks (10 us): well inside the erase below */

#define NVIC_ISPR0 0xE000E200u
#define NVIC_IPR(n) (*(volatile uint8_t *)(uintptr_t)(0xE000E400u + (n)))

#define FPGAIO 0x40302000u
#define LED0 (FPGAIO + 0x00u)
#define BUTTON (FPGAIO + 0x08u)
#define PRESCALE (FPGAIO + 0x1Cu)

static volatile uint32_t phase __attribute__((section(".preserve.sys_test")));
static uint32_t failures;
static volatile uint32_t hits, hit_latency, hit_status;
static uint32_t call_ticks, hit_in_call;
static MvExternalFlashHandle flash;
static uint32_t flash_size;

static void check(int ok, const char *what)
{
    if (!app_test_report(ok, what))
        failures++;
}

static uint32_t peek(uint32_t reg)
{
    uint32_t v = 0xdeadbeefu;

    if (mvPeriphPeek32(reg, &v) != MV_STATUS_OKAY)
        check(0, "peek of an allowed register");
    return v;
}

/* ---- wake reason, clocks, LED, peek/poke ---------------------------------------------- */
static void test_wake(enum MvWakeReason want, const char *what)
{
    enum MvWakeReason r = (enum MvWakeReason)0x55;

    check(mvGetWakeReason(&r) == MV_STATUS_OKAY && r == want, what);
    check(mvGetWakeReason((enum MvWakeReason *)SECURE_DATA) == MV_STATUS_PARAMETERFAULT,
          "mvGetWakeReason(secure pointer) -> PARAMETERFAULT");
}

static void test_clocks(void)
{
    uint32_t hz[4] = {0};

    check(mvGetSysClk(&hz[0]) == MV_STATUS_OKAY && hz[0] == 20000000u, "SYSCLK 20 MHz");
    check(mvGetHClk(&hz[1]) == MV_STATUS_OKAY && hz[1] == 20000000u, "HCLK 20 MHz");
    check(mvGetPClk1(&hz[2]) == MV_STATUS_OKAY && hz[2] == 20000000u, "PCLK1 20 MHz");
    check(mvGetPClk2(&hz[3]) == MV_STATUS_OKAY && hz[3] == 20000000u, "PCLK2 20 MHz");
    check(mvGetSysClk((uint32_t *)SECURE_DATA) == MV_STATUS_PARAMETERFAULT,
          "mvGetSysClk(secure pointer) -> PARAMETERFAULT");
}

static void test_led(void)
{
    check((peek(LED0) & 1u) == 1u, "system LED on at boot (FPGAIO LED0 bit 0)");
    check(mvSystemLedEnable(0) == MV_STATUS_OKAY && (peek(LED0) & 1u) == 0u,
          "mvSystemLedEnable(0) turns LED0 bit 0 off");
    check(mvSystemLedEnable(2) == MV_STATUS_PARAMETERFAULT && (peek(LED0) & 1u) == 0u,
          "mvSystemLedEnable(2) -> PARAMETERFAULT, LED unchanged");
    check(mvSystemLedEnable(1) == MV_STATUS_OKAY && (peek(LED0) & 1u) == 1u,
          "mvSystemLedEnable(1) turns it on again");
}

static void test_periph(void)
{
    uint32_t v = 0;

    /* The user LED bit is the application's; the system LED bit is masked. */
    check(mvPeriphPoke32(LED0, 0x3u, 0x2u) == MV_STATUS_OKAY && peek(LED0) == 0x3u,
          "poke LED0: user LED set, system LED bit kept");
    check(mvPeriphPoke32(LED0, 0x3u, 0x0u) == MV_STATUS_OKAY && peek(LED0) == 0x1u,
          "poke LED0: user LED cleared, system LED bit kept");
    check(mvPeriphPoke32(PRESCALE, 0xffffffffu, 1234u) == MV_STATUS_OKAY &&
              peek(PRESCALE) == 1234u && peek(PRESCALE + 0x10000000u) == 1234u,
          "poke PRESCALE, seen through both aliases");
    check(mvPeriphPoke32(BUTTON, 0xffffffffu, 0x3u) == MV_STATUS_OKAY && peek(BUTTON) == 0u,
          "BUTTON is read-only: poke changes nothing");
    check(mvPeriphPeek32(0x50080000u, &v) == MV_STATUS_PERIPHERALACCESSFAULT,
          "secure control block -> PERIPHERALACCESSFAULT");
    check(mvPeriphPoke32(FPGAIO + 0x04u, 1u, 1u) == MV_STATUS_PERIPHERALACCESSFAULT,
          "unlisted FPGAIO offset -> PERIPHERALACCESSFAULT");
    check(mvPeriphPeek32(LED0 + 1u, &v) == MV_STATUS_PERIPHERALACCESSFAULT,
          "misaligned -> PERIPHERALACCESSFAULT");
    check(mvPeriphPeek32(LED0, (uint32_t *)SECURE_DATA) == MV_STATUS_PARAMETERFAULT,
          "peek into secure memory -> PARAMETERFAULT");
    check(mvPeriphPeek32(LED0, NULL) == MV_STATUS_PARAMETERFAULT, "peek to NULL -> PARAMETERFAULT");
}

/* ---- fast interrupts ------------------------------------------------------------------- */
static void timer_handler(void)
{
    uint32_t v = REG32(TIMER0 + TIMER_VALUE);

    REG32(TIMER0 + TIMER_CTRL) = 0;
    REG32(TIMER0 + TIMER_INTCLEAR) = 1;
    /* The counter reads 0 until the first tick after expiry, then counts down from
     * the reload value: ticks of 50 ns since the expiry, to within one. */
    hit_latency = v == 0 ? 0 : TIMER_RELOAD_VAL + 1u - v;
    hit_status = mvNoOp(); /* MICROVISORBUSY while it pre-empts a call */
    hits++;
}

static void arm_timer(void)
{
    REG32(TIMER0 + TIMER_CTRL) = 0;
    REG32(TIMER0 + TIMER_INTCLEAR) = 1;
    REG32(TIMER0 + TIMER_RELOAD) = TIMER_RELOAD_VAL;
    REG32(TIMER0 + TIMER_VALUE) = TIMER_DELAY;
    REG32(TIMER0 + TIMER_CTRL) = TIMER_EN | TIMER_IRQEN;
}

/* Timer 1 runs free as a time stamp (ticks of the 20 MHz clock, counting up). */
static void start_stamp(void)
{
    REG32(TIMER1 + TIMER_RELOAD) = 0xFFFFFFFFu;
    REG32(TIMER1 + TIMER_VALUE) = 0xFFFFFFFFu;
    REG32(TIMER1 + TIMER_CTRL) = TIMER_EN;
}

static uint32_t stamp(void)
{
    return ~REG32(TIMER1 + TIMER_VALUE);
}

/* The kernel busy for ~4 ms of virtual time: erasing the whole external flash. Notes
 * how long the call took; the timer expires 10 us into it. */
static enum MvStatus busy_call(void)
{
    enum MvStatus st;
    uint32_t t0 = stamp();

    st = mvExternalFlashEraseBlocking(flash, 0, flash_size);
    call_ticks = stamp() - t0;
    return st;
}

static void spin(void)
{
    for (volatile uint32_t i = 0; i < 20000u; i++)
        ;
}

static uint32_t timer_pending(void)
{
    return (REG32(NVIC_ISPR0) >> TIMER_IRQ) & 1u;
}

/* Arms the timer, keeps the kernel busy and lets anything deliverable arrive. Sets
 * hit_in_call if the handler ran in the first half of the call: while the kernel was
 * still erasing (an ordinary IRQ can only run once the call ends, when the gateway
 * lowers BASEPRI, which is still inside the call as the application sees it). */
static uint32_t run_during_call(void)
{
    uint32_t before = hits;

    arm_timer();
    check(busy_call() == MV_STATUS_OKAY, "busy call (erase) returns OKAY");
    spin();
    hit_in_call = hits != before && hit_latency < call_ticks / 2u;
    return hits - before;
}

static void setup_flash(void)
{
    struct MvExternalFlashInfo info = {0};

    info.version = 1;
    check(mvExternalFlashOpen(&flash) == MV_STATUS_OKAY, "external flash opened");
    check(mvExternalFlashGetInfo(flash, &info) == MV_STATUS_OKAY && info.v1.size >= 65536u,
          "external flash size");
    flash_size = info.v1.size;
}

static void put_latency(const char *name, uint32_t ticks)
{
    ns_puts(" ");
    ns_puts(name);
    ns_puts("=");
    ns_put_dec(ticks);
}

static void test_fast_irq(void)
{
    uint32_t idle, normal, fast, n;

    setup_flash();
    start_stamp();
    check(ns_irq_attach(TIMER_IRQ, timer_handler) == 0, "timer IRQ attached");
    arm_timer();
    while (hits == 0)
        ;
    idle = hit_latency;

    n = run_during_call();
    check(n == 1u && hit_in_call == 0u, "ordinary IRQ: handled after the busy call returned");
    normal = hit_latency;
    if (n != 1u || hit_in_call != 0u) {
        ns_puts("  delivered ");
        ns_put_dec(n);
        ns_puts(" in call ");
        ns_put_dec(hit_in_call);
        ns_puts("\n");
    }

    check(mvSetFastInterrupt(TIMER_IRQ) == MV_STATUS_OKAY, "mvSetFastInterrupt");
    check(NVIC_IPR(TIMER_IRQ) == 0u, "fast IRQ at NS priority 0");
    check(run_during_call() == 0u && timer_pending(), "set but not enabled: not delivered");
    check(mvEnableFastInterrupt(TIMER_IRQ) == MV_STATUS_OKAY && hits > 0u,
          "mvEnableFastInterrupt delivers the pending one");
    check(run_during_call() == 1u && hit_in_call == 1u,
          "fast IRQ: handled while the kernel was busy");
    check(hit_status == MV_STATUS_MICROVISORBUSY, "system call from inside: MICROVISORBUSY");
    fast = hit_latency;
    check(fast < normal, "fast latency below ordinary latency");

    check(mvDisableFastInterrupt(TIMER_IRQ) == MV_STATUS_OKAY, "mvDisableFastInterrupt");
    check(run_during_call() == 0u && timer_pending(), "disabled: not delivered, pending");
    check(mvEnableFastInterrupt(TIMER_IRQ) == MV_STATUS_OKAY && !timer_pending(),
          "enabled again: the pending one delivered");

    check(mvDisableAllFastInterrupts() == MV_STATUS_OKAY, "mvDisableAllFastInterrupts");
    check(run_during_call() == 0u && timer_pending(), "all disabled: not delivered");
    check(mvEnableAllFastInterrupts() == MV_STATUS_OKAY && !timer_pending(),
          "mvEnableAllFastInterrupts: delivered");

    check(mvClearFastInterrupt(TIMER_IRQ) == MV_STATUS_OKAY &&
              NVIC_IPR(TIMER_IRQ) == 0x80u,
          "mvClearFastInterrupt: ordinary priority again");
    check(ns_irq_attach(TIMER_IRQ, timer_handler) == 0 && run_during_call() == 1u &&
              hit_in_call == 0u,
          "cleared: handled after the call again");
    check(mvSetFastInterrupt(96u) == MV_STATUS_INVALIDINTERRUPT &&
              mvSetFastInterrupt(34u) == MV_STATUS_INVALIDINTERRUPT,
          "IRQ beyond the NVIC / the kernel's link UART -> INVALIDINTERRUPT");

    ns_puts("sys_test: latency ticks");
    put_latency("idle", idle);
    put_latency("fast", fast);
    put_latency("normal", normal);
    put_latency("call", call_ticks);
    ns_puts("\n");
    /* Left fast and enabled for the restart check. */
    check(mvSetFastInterrupt(TIMER_IRQ) == MV_STATUS_OKAY &&
              mvEnableFastInterrupt(TIMER_IRQ) == MV_STATUS_OKAY,
          "fast again before the fault");
}

static void finish(void)
{
    ns_puts(failures ? "sys_test: FAILED\n" : "sys_test: PASSED\n");
    ns_exit(failures ? 1u : 0u);
}

int main(void)
{
    if (phase == FAULT_MAGIC) {
        phase = 0;
        ns_puts("sys_test: restarted after the fault\n");
        test_wake(MV_WAKEREASON_APPLICATIONCRASH, "wake reason APPLICATIONCRASH after the fault");
        check(NVIC_IPR(TIMER_IRQ) == 0x80u, "the restart made the fast IRQ ordinary");
        check((peek(LED0) & 1u) == 1u, "system LED on again after the restart");
        /* Final state: system LED off, user LED on (0x2). */
        check(mvPeriphPoke32(LED0, 0x2u, 0x2u) == MV_STATUS_OKAY &&
                  mvSystemLedEnable(0) == MV_STATUS_OKAY && peek(LED0) == 0x2u,
              "LED0 = 0x2 (system off, user on)");
        finish();
    }
    ns_puts("sys_test: start\n");
    test_wake(MV_WAKEREASON_COLDBOOT, "wake reason COLDBOOT at first start");
    test_clocks();
    test_led();
    test_periph();
    test_fast_irq();
    if (failures)
        finish();
    ns_puts("sys_test: reading secure memory, expecting a restart\n");
    phase = FAULT_MAGIC;
    (void)*(volatile uint32_t *)SECURE_DATA;
    check(0, "secure read did not fault");
    finish();
}
