/* The device-management system calls with little or no network state: bus clocks,
 * peripheral peek/poke (port allow list), fast interrupts, power and restart, the
 * application-test calls, external flash (RAM-backed) and Wi-Fi (absent on our ports).
 * Each mvk_sys_* verifies its arguments first, then calls a trusting implementation. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "appmem.h"
#include "fastirq.h"
#include "kernel.h"
#include "handle.h"
#include "misc.h"
#include "mvk_sys_decl.h"
#include "notify.h"
#include "port.h"
#include "update.h"

/* Bus clocks: fixed per port (ports override with -D). Defaults: an STM32U5 at full
 * speed, which is what Microvisor application code expects to read. */
#ifndef MVK_PORT_SYSCLK_HZ
#define MVK_PORT_SYSCLK_HZ 160000000u
#endif
#ifndef MVK_PORT_HCLK_HZ
#define MVK_PORT_HCLK_HZ 160000000u
#endif
#ifndef MVK_PORT_PCLK1_HZ
#define MVK_PORT_PCLK1_HZ 160000000u
#endif
#ifndef MVK_PORT_PCLK2_HZ
#define MVK_PORT_PCLK2_HZ 160000000u
#endif

/* External flash emulated in kernel RAM; 0 disables it (calls return UNAVAILABLE). */
#ifndef MVK_XFLASH_SIZE
#define MVK_XFLASH_SIZE (1u << 20)
#endif
#define MVK_XFLASH_BLOCK 4096u
#define MVK_XFLASH_MAX_HANDLES 32u
#define MVK_XFLASH_CHIP_ID 0x4d564631u /* "MVF1": an emulated chip */

/* Fast interrupts tracked: IRQ numbers below this bound (Cortex-M: at most 480). */
#define MVK_FASTIRQ_MAX 480u


/* ---- clocks --------------------------------------------------------------------------- */
static enum MvStatus put_hz(uint32_t *hz, uint32_t value)
{
    if (!mvk_app_wr(hz, sizeof *hz))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(hz, &value, sizeof value);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_get_sysclk(uint32_t *hz)
{
    return put_hz(hz, MVK_PORT_SYSCLK_HZ);
}

enum MvStatus mvk_sys_get_hclk(uint32_t *hz)
{
    return put_hz(hz, MVK_PORT_HCLK_HZ);
}

enum MvStatus mvk_sys_get_pclk1(uint32_t *hz)
{
    return put_hz(hz, MVK_PORT_PCLK1_HZ);
}

enum MvStatus mvk_sys_get_pclk2(uint32_t *hz)
{
    return put_hz(hz, MVK_PORT_PCLK2_HZ);
}

/* ---- peripheral registers ------------------------------------------------------------ */
/* The port lists the registers the application may touch and, per register, the bits
 * it may change. Default (host): none, so every access is PERIPHERALACCESSFAULT. */
__attribute__((weak)) volatile uint32_t *mvk_port_periph_reg(uint32_t reg,
                                                             uint32_t *writable_mask)
{
    (void)reg;
    *writable_mask = 0;
    return NULL;
}

enum MvStatus mvk_sys_periph_peek32(uint32_t reg, uint32_t *output)
{
    uint32_t mask, v;
    volatile uint32_t *r;

    if ((reg & 3u) != 0 || (r = mvk_port_periph_reg(reg, &mask)) == NULL)
        return MV_STATUS_PERIPHERALACCESSFAULT;
    if (!mvk_app_wr(output, sizeof *output))
        return MV_STATUS_PARAMETERFAULT;
    v = *r;
    memcpy(output, &v, sizeof v);
    return MV_STATUS_OKAY;
}

/* *reg = (*reg & ~mask) ^ xorvalue, restricted to the bits the app may change. */
enum MvStatus mvk_sys_periph_poke32(uint32_t reg, uint32_t mask, uint32_t xorvalue)
{
    uint32_t allowed, cur, want;
    volatile uint32_t *r;

    if ((reg & 3u) != 0 || (r = mvk_port_periph_reg(reg, &allowed)) == NULL)
        return MV_STATUS_PERIPHERALACCESSFAULT;
    cur = *r;
    want = (cur & ~mask) ^ xorvalue;
    /* A read-only register is not written at all (a write may have side effects). */
    if (allowed != 0)
        *r = (cur & ~allowed) | (want & allowed);
    return MV_STATUS_OKAY;
}

/* ---- fast interrupts ----------------------------------------------------------------- */
/* The kernel keeps the three settings (marked fast, individually enabled, all disabled)
 * and tells the port the outcome for one IRQ after every change: fast (it belongs to
 * the low-latency class: on a Cortex-M its NVIC priority) and live (fast, enabled and
 * not masked by mvDisableAllFastInterrupts: it is enabled in the interrupt controller
 * and may pre-empt the kernel). The port does the work; a port without fast
 * interrupts keeps the weak default, and the calls then answer UNAVAILABLE. */
static struct {
    uint32_t fast[MVK_FASTIRQ_MAX / 32u];    /* marked fast by mvSetFastInterrupt */
    uint32_t enabled[MVK_FASTIRQ_MAX / 32u]; /* individually enabled */
    int all_disabled;
} fastirq;

__attribute__((weak)) int mvk_port_fastirq(uint32_t irq, int fast, int live)
{
    (void)irq;
    (void)fast;
    (void)live;
    return -1;
}

static uint32_t bit(uint32_t irq)
{
    return 1u << (irq % 32u);
}

void mvk_fastirq_init(void)
{
    memset(&fastirq, 0, sizeof fastirq);
}

int mvk_fastirq_is_fast(uint32_t irq)
{
    return irq < MVK_FASTIRQ_MAX && (fastirq.fast[irq / 32u] & bit(irq)) != 0;
}

static int fastirq_live(uint32_t irq)
{
    return mvk_fastirq_is_fast(irq) && (fastirq.enabled[irq / 32u] & bit(irq)) != 0 &&
           !fastirq.all_disabled;
}

/* Hands the IRQ's current state to the port; UNAVAILABLE if the port has none. */
static enum MvStatus fastirq_apply(uint32_t irq)
{
    if (mvk_port_fastirq(irq, mvk_fastirq_is_fast(irq), fastirq_live(irq)) != 0)
        return MV_STATUS_UNAVAILABLE;
    return MV_STATUS_OKAY;
}

static void fastirq_apply_all(void)
{
    for (uint32_t irq = 0; irq < MVK_FASTIRQ_MAX; irq++)
        if (mvk_fastirq_is_fast(irq))
            (void)fastirq_apply(irq);
}

/* The IRQ must be one the port lets the application use; the others additionally
 * require it to be fast already. */
static enum MvStatus fastirq_check(uint32_t irq, int must_be_fast)
{
    if (irq >= MVK_FASTIRQ_MAX || !mvk_port_irq_valid(irq))
        return MV_STATUS_INVALIDINTERRUPT;
    if (must_be_fast && !mvk_fastirq_is_fast(irq))
        return MV_STATUS_INVALIDINTERRUPT;
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_set_fast_interrupt(uint32_t irqn)
{
    enum MvStatus st = fastirq_check(irqn, 0);

    /* A notification center already raises this IRQ: it cannot also be fast. */
    if (st == MV_STATUS_OKAY && mvk_notify_irq_in_use(irqn))
        st = MV_STATUS_INVALIDINTERRUPT;
    if (st != MV_STATUS_OKAY || mvk_fastirq_is_fast(irqn))
        return st;
    fastirq.fast[irqn / 32u] |= bit(irqn);
    fastirq.enabled[irqn / 32u] &= ~bit(irqn);
    st = fastirq_apply(irqn);
    if (st != MV_STATUS_OKAY)
        fastirq.fast[irqn / 32u] &= ~bit(irqn);
    return st;
}

enum MvStatus mvk_sys_clear_fast_interrupt(uint32_t irqn)
{
    enum MvStatus st = fastirq_check(irqn, 1);

    if (st != MV_STATUS_OKAY)
        return st;
    fastirq.fast[irqn / 32u] &= ~bit(irqn);
    fastirq.enabled[irqn / 32u] &= ~bit(irqn);
    return fastirq_apply(irqn);
}

static enum MvStatus fastirq_set_enabled(uint32_t irqn, int on)
{
    enum MvStatus st = fastirq_check(irqn, 1);

    if (st != MV_STATUS_OKAY)
        return st;
    if (on)
        fastirq.enabled[irqn / 32u] |= bit(irqn);
    else
        fastirq.enabled[irqn / 32u] &= ~bit(irqn);
    return fastirq_apply(irqn);
}

enum MvStatus mvk_sys_enable_fast_interrupt(uint32_t irqn)
{
    return fastirq_set_enabled(irqn, 1);
}

enum MvStatus mvk_sys_disable_fast_interrupt(uint32_t irqn)
{
    return fastirq_set_enabled(irqn, 0);
}

/* Enable-all also enables each fast IRQ (Microvisor: either call starts a fast
 * interrupt); disable-all masks them without forgetting which were enabled. */
enum MvStatus mvk_sys_disable_all_fast_interrupts(void)
{
    fastirq.all_disabled = 1;
    fastirq_apply_all();
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_enable_all_fast_interrupts(void)
{
    fastirq.all_disabled = 0;
    for (uint32_t w = 0; w < MVK_FASTIRQ_MAX / 32u; w++)
        fastirq.enabled[w] = fastirq.fast[w];
    fastirq_apply_all();
    return MV_STATUS_OKAY;
}

/* ---- power, restart, testing --------------------------------------------------------- */
/* The system LED shows the kernel's state; mvSystemLedEnable lets the application turn
 * it off. The port drives it (a board LED, or a log line and status file on the host);
 * a port without one keeps the weak default and the call answers UNAVAILABLE. */
__attribute__((weak)) int mvk_port_system_led(int on)
{
    (void)on;
    return -1;
}

/* No low-power states on our ports: after validation, power save returns at once
 * (the caller's next interrupt would have woken it anyway). */
enum MvStatus mvk_sys_power_save(enum MvPowerSavingMode mode)
{
    if ((uint32_t)mode > (uint32_t)MV_POWERSAVINGMODE_STOP3)
        return MV_STATUS_PARAMETERFAULT;
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_system_led_enable(uint32_t enable)
{
    if (enable > 1u)
        return MV_STATUS_PARAMETERFAULT;
    return mvk_port_system_led(enable == 1u) == 0 ? MV_STATUS_OKAY : MV_STATUS_UNAVAILABLE;
}

/* Deep sleep ends in a reboot, which the host and QEMU ports cannot do in place. */
enum MvStatus mvk_sys_deep_sleep(enum MvDeepSleepMode mode)
{
    if ((uint32_t)mode > (uint32_t)MV_DEEPSLEEPMODE_SHUTDOWN)
        return MV_STATUS_PARAMETERFAULT;
    return MV_STATUS_UNAVAILABLE;
}

/* Without deep sleep or remote restarts a boot is a cold boot, unless the port restarted
 * the application after a fault. */
static enum MvWakeReason wake_reason = MV_WAKEREASON_COLDBOOT;

void mvk_misc_init(void)
{
    wake_reason = MV_WAKEREASON_COLDBOOT;
    (void)mvk_port_system_led(1); /* on at boot, as on a Microvisor board */
}

void mvk_kernel_note_app_crash(void)
{
    wake_reason = MV_WAKEREASON_APPLICATIONCRASH;
    mvk_update_note_app_fault(); /* a fault of an app on trial counts towards rollback */
}

void mvk_kernel_note_app_update(void)
{
    wake_reason = MV_WAKEREASON_COLDBOOT;
}

enum MvStatus mvk_sys_get_wake_reason(enum MvWakeReason *mode)
{
    enum MvWakeReason r = wake_reason;

    if (r == MV_WAKEREASON_COLDBOOT && mvk_update_just_applied())
        r = MV_WAKEREASON_APPLICATIONUPDATE;
    if (!mvk_app_wr(mode, sizeof *mode))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(mode, &r, sizeof r);
    return MV_STATUS_OKAY;
}

/* Applies a downloaded update (and does not return then); without one there is nothing
 * to apply, and the ports cannot restart in place: UNAVAILABLE. */
enum MvStatus mvk_sys_restart(enum MvRestartMode mode)
{
    if (mode != MV_RESTARTMODE_AUTOAPPLYUPDATE)
        return MV_STATUS_PARAMETERFAULT;
    return mvk_update_restart();
}

/* The application-testing calls only exist while a test image runs before the final
 * application is installed; our kernels never run in that mode. */
enum MvStatus mvk_sys_testing_complete(uint32_t status)
{
    (void)status;
    return MV_STATUS_UNAVAILABLE;
}

enum MvStatus mvk_sys_test_logging_init(uint8_t *buffer, uint32_t length_bytes)
{
    if (!mvk_app_wr(buffer, length_bytes))
        return MV_STATUS_PARAMETERFAULT;
    if (((uintptr_t)buffer & 3u) != 0)
        return MV_STATUS_INVALIDBUFFERALIGNMENT;
    return MV_STATUS_UNAVAILABLE;
}

enum MvStatus mvk_sys_test_log(const uint8_t *message, uint16_t length_bytes)
{
    if (!mvk_app_rd(message, length_bytes))
        return MV_STATUS_PARAMETERFAULT;
    return MV_STATUS_UNAVAILABLE;
}

/* ---- external flash ------------------------------------------------------------------ */
#if MVK_XFLASH_SIZE > 0
/* NOR semantics: erased bytes read 0xff, writes can only clear bits. */
static uint8_t xflash[MVK_XFLASH_SIZE];
static int xflash_ready;
#endif
static uint32_t xflash_handles;

static int xflash_range(uint32_t address, uint32_t length)
{
    return address <= MVK_XFLASH_SIZE && length <= MVK_XFLASH_SIZE - address;
}

static int xflash_handle(MvExternalFlashHandle handle)
{
    uint32_t idx;

    return mvk_handle_lookup(mvk_handle_value(handle), MVK_H_FLASH, &idx) == 0;
}

enum MvStatus mvk_sys_external_flash_open(MvExternalFlashHandle *handle)
{
    uint32_t h;
    void *p;

    if (MVK_XFLASH_SIZE == 0)
        return MV_STATUS_UNAVAILABLE;
    if (!mvk_app_wr(handle, sizeof *handle))
        return MV_STATUS_PARAMETERFAULT;
    if (xflash_handles >= MVK_XFLASH_MAX_HANDLES || mvk_handle_alloc(MVK_H_FLASH, 0, &h) != 0)
        return MV_STATUS_TOOMANYCHANNELS;
#if MVK_XFLASH_SIZE > 0
    if (!xflash_ready) {
        memset(xflash, 0xff, sizeof xflash);
        xflash_ready = 1;
    }
#endif
    xflash_handles++;
    p = mvk_handle_ptr(h);
    memcpy(handle, &p, sizeof p);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_external_flash_close(MvExternalFlashHandle *handle)
{
    MvExternalFlashHandle h;
    void *zero = NULL;

    if (!mvk_app_wr(handle, sizeof *handle))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(&h, handle, sizeof h);
    if (!xflash_handle(h))
        return MV_STATUS_INVALIDHANDLE;
    mvk_handle_free(mvk_handle_value(h));
    xflash_handles--;
    memcpy(handle, &zero, sizeof zero);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_external_flash_read_blocking(MvExternalFlashHandle handle,
                                                   uint32_t address, uint32_t length,
                                                   uint8_t *buffer)
{
    if (!xflash_handle(handle))
        return MV_STATUS_INVALIDHANDLE;
    if (!xflash_range(address, length))
        return MV_STATUS_ADDRESSOUTOFRANGE;
    if (!mvk_app_wr(buffer, length))
        return MV_STATUS_PARAMETERFAULT;
#if MVK_XFLASH_SIZE > 0
    memcpy(buffer, &xflash[address], length);
#endif
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_external_flash_erase_blocking(MvExternalFlashHandle handle,
                                                    uint32_t address, uint32_t length)
{
    if (!xflash_handle(handle))
        return MV_STATUS_INVALIDHANDLE;
    if (!xflash_range(address, length))
        return MV_STATUS_ADDRESSOUTOFRANGE;
    if (address % MVK_XFLASH_BLOCK != 0 || length % MVK_XFLASH_BLOCK != 0)
        return MV_STATUS_INVALIDBUFFERALIGNMENT;
#if MVK_XFLASH_SIZE > 0
    memset(&xflash[address], 0xff, length);
#endif
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_external_flash_write_blocking(MvExternalFlashHandle handle,
                                                    uint32_t address, uint32_t length,
                                                    const uint8_t *buffer)
{
    if (!xflash_handle(handle))
        return MV_STATUS_INVALIDHANDLE;
    if (!xflash_range(address, length))
        return MV_STATUS_ADDRESSOUTOFRANGE;
    if (!mvk_app_rd(buffer, length))
        return MV_STATUS_PARAMETERFAULT;
#if MVK_XFLASH_SIZE > 0
    for (uint32_t i = 0; i < length; i++)
        xflash[address + i] &= buffer[i];
#endif
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_external_flash_get_info(MvExternalFlashHandle handle,
                                              struct MvExternalFlashInfo *info)
{
    struct MvExternalFlashInfo in;

    if (!xflash_handle(handle))
        return MV_STATUS_INVALIDHANDLE;
    if (!mvk_app_wr(info, sizeof *info))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(&in, info, sizeof in); /* read the version once */
    if (in.version != 1u)
        return MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION;
    in.v1.chip_id = MVK_XFLASH_CHIP_ID;
    in.v1.size = MVK_XFLASH_SIZE;
    in.v1.num_handles = xflash_handles;
    memcpy(info, &in, sizeof in);
    return MV_STATUS_OKAY;
}

/* ---- Wi-Fi: no radio on the host or the emulated board ------------------------------- */
/* Structures are copied whole: the app's pointer need not be aligned, and no member
 * access may assume it is. */
enum MvStatus mvk_sys_set_wifi_config(const struct MvWifiConfig *params)
{
    struct MvWifiConfig c;

    if (!mvk_app_rd(params, sizeof *params))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(&c, params, sizeof c);
    if (c.version != 1u)
        return MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION;
    return MV_STATUS_UNAVAILABLE;
}

enum MvStatus mvk_sys_get_wifi_config(const struct MvWifiConfigOut *params)
{
    struct MvWifiConfigOut c;

    if (!mvk_app_rd(params, sizeof *params))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(&c, params, sizeof c);
    if (c.version != 1u)
        return MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION;
    return MV_STATUS_UNAVAILABLE;
}

/* ---- application restart -------------------------------------------------------------- */
/* The flash handles themselves are freed with the rest of the handle table
 * (mvk_kernel_app_reset). */
/* Fast IRQs go back to ordinary ones in the port before the kernel forgets them, and
 * the system LED is on again (the setting belonged to the old application). */
void mvk_misc_app_reset(void)
{
    uint32_t was[MVK_FASTIRQ_MAX / 32u];

    memcpy(was, fastirq.fast, sizeof was);
    mvk_fastirq_init();
    for (uint32_t irq = 0; irq < MVK_FASTIRQ_MAX; irq++)
        if (was[irq / 32u] & bit(irq))
            (void)mvk_port_fastirq(irq, 0, 0);
    (void)mvk_port_system_led(1);
    xflash_handles = 0;
}
