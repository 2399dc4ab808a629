/* Validation and behaviour of the misc calls (sys_misc.c), through the real stubs:
 * clocks, peek/poke, fast interrupts, power, restart, testing, external flash, Wi-Fi. */
#include <criterion/criterion.h>
#include <string.h>

#include "api_test.h"
#include "kernel.h"

TestSuite(misc, .init = mvt_reset);

/* The host build's clocks: the nominal 160 MHz of the STM32U585 the host port emulates
 * (its RCC register file describes the same clock tree; docs/device.md). */
Test(misc, clocks_are_the_host_nominal_160_mhz)
{
    uint32_t *hz = mvt_app_alloc(4 * sizeof *hz);

    memset(hz, 0x55, 4 * sizeof *hz);
    cr_assert_eq(mvGetSysClk(&hz[0]), MV_STATUS_OKAY);
    cr_assert_eq(mvGetHClk(&hz[1]), MV_STATUS_OKAY);
    cr_assert_eq(mvGetPClk1(&hz[2]), MV_STATUS_OKAY);
    cr_assert_eq(mvGetPClk2(&hz[3]), MV_STATUS_OKAY);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(hz[i], 160000000u, "clock %d: %u", i, hz[i]);
}

Test(misc, clocks_refuse_bad_pointers)
{
    cr_assert_eq(mvGetSysClk(NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvGetHClk((uint32_t *)mvt_kernel_mem), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvGetPClk1((uint32_t *)(uintptr_t)mvt_app_ro), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvGetPClk2((uint32_t *)(uintptr_t)UINTPTR_MAX), MV_STATUS_PARAMETERFAULT);
}

Test(misc, peek_outside_allow_list_faults)
{
    uint32_t *v = mvt_app_alloc(sizeof *v);

    cr_assert_eq(mvPeriphPeek32(0x40002000u, v), MV_STATUS_PERIPHERALACCESSFAULT);
    cr_assert_eq(mvPeriphPeek32(MVT_PERIPH_REG + 2u, v), MV_STATUS_PERIPHERALACCESSFAULT);
}

Test(misc, peek_allowed_register)
{
    uint32_t *v = mvt_app_alloc(sizeof *v);

    mvt_periph_value = 0x12345678u;
    cr_assert_eq(mvPeriphPeek32(MVT_PERIPH_REG, v), MV_STATUS_OKAY);
    cr_assert_eq(*v, 0x12345678u);
    cr_assert_eq(mvPeriphPeek32(MVT_PERIPH_REG, NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvPeriphPeek32(MVT_PERIPH_REG, (uint32_t *)mvt_kernel_mem),
                 MV_STATUS_PARAMETERFAULT);
}

Test(misc, poke_changes_only_allowed_bits)
{
    mvt_periph_value = 0xabcd0000u;
    /* set all low bits and try to clear the high half: only the low half may change */
    cr_assert_eq(mvPeriphPoke32(MVT_PERIPH_REG, 0xffffffffu, 0x0000ffffu), MV_STATUS_OKAY);
    cr_assert_eq(mvt_periph_value, 0xabcdffffu);
    /* mask 0: xor toggles */
    cr_assert_eq(mvPeriphPoke32(MVT_PERIPH_REG, 0, 0x00000101u), MV_STATUS_OKAY);
    cr_assert_eq(mvt_periph_value, 0xabcdfefeu);
    cr_assert_eq(mvPeriphPoke32(0x40002000u, 0, 1), MV_STATUS_PERIPHERALACCESSFAULT);
    cr_assert_eq(mvPeriphPoke32(MVT_PERIPH_REG + 1u, 0, 1), MV_STATUS_PERIPHERALACCESSFAULT);
}

/* Each call reaches the port: marked fast, live only while enabled and not masked by
 * disable-all, an ordinary disabled IRQ again once cleared. */
Test(misc, fast_interrupt_life_cycle)
{
    cr_assert_eq(mvEnableFastInterrupt(20), MV_STATUS_INVALIDINTERRUPT); /* not fast yet */
    cr_assert_eq(mvSetFastInterrupt(20), MV_STATUS_OKAY);
    cr_expect(mvt_irq_fast(20));
    cr_expect(!mvt_irq_live(20), "set alone does not start it");
    cr_assert_eq(mvEnableFastInterrupt(20), MV_STATUS_OKAY);
    cr_expect(mvt_irq_live(20));
    cr_assert_eq(mvDisableFastInterrupt(20), MV_STATUS_OKAY);
    cr_expect(mvt_irq_fast(20));
    cr_expect(!mvt_irq_live(20));
    cr_assert_eq(mvEnableFastInterrupt(20), MV_STATUS_OKAY);
    cr_assert_eq(mvClearFastInterrupt(20), MV_STATUS_OKAY);
    cr_expect(!mvt_irq_fast(20));
    cr_expect(!mvt_irq_live(20));
    cr_assert_eq(mvClearFastInterrupt(20), MV_STATUS_INVALIDINTERRUPT);
    cr_assert_eq(mvDisableFastInterrupt(20), MV_STATUS_INVALIDINTERRUPT);
}

/* Disable-all masks every enabled fast IRQ and leaves ordinary ones alone; enable-all
 * starts every fast IRQ, including one never enabled on its own. */
Test(misc, disable_all_masks_every_fast_interrupt)
{
    cr_assert_eq(mvSetFastInterrupt(20), MV_STATUS_OKAY);
    cr_assert_eq(mvSetFastInterrupt(21), MV_STATUS_OKAY);
    cr_assert_eq(mvEnableFastInterrupt(20), MV_STATUS_OKAY);
    cr_assert_eq(mvEnableFastInterrupt(21), MV_STATUS_OKAY);
    cr_assert_eq(mvDisableAllFastInterrupts(), MV_STATUS_OKAY);
    cr_expect(!mvt_irq_live(20));
    cr_expect(!mvt_irq_live(21));
    cr_expect(mvt_irq_fast(20) && mvt_irq_fast(21));
    /* Enabling one while all are disabled does not let it through. */
    cr_assert_eq(mvEnableFastInterrupt(20), MV_STATUS_OKAY);
    cr_expect(!mvt_irq_live(20));
    cr_assert_eq(mvSetFastInterrupt(22), MV_STATUS_OKAY);
    cr_assert_eq(mvEnableAllFastInterrupts(), MV_STATUS_OKAY);
    cr_expect(mvt_irq_live(20) && mvt_irq_live(21) && mvt_irq_live(22));
    cr_expect(!mvt_irq_fast(23) && !mvt_irq_live(23));
}

Test(misc, fast_interrupt_refuses_unusable_irqs)
{
    cr_assert_eq(mvSetFastInterrupt(3), MV_STATUS_INVALIDINTERRUPT);     /* port: not app's */
    cr_assert_eq(mvSetFastInterrupt(64), MV_STATUS_INVALIDINTERRUPT);
    cr_assert_eq(mvSetFastInterrupt(0xffffffffu), MV_STATUS_INVALIDINTERRUPT);
}

Test(misc, power_save_checks_mode)
{
    cr_assert_eq(mvPowerSave(MV_POWERSAVINGMODE_SLEEP), MV_STATUS_OKAY);
    cr_assert_eq(mvPowerSave(MV_POWERSAVINGMODE_STOP3), MV_STATUS_OKAY);
    cr_assert_eq(mvPowerSave((enum MvPowerSavingMode)5), MV_STATUS_PARAMETERFAULT);
}

Test(misc, deep_sleep_and_restart_are_unavailable_after_checks)
{
    cr_assert_eq(mvDeepSleep((enum MvDeepSleepMode)2), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvDeepSleep(MV_DEEPSLEEPMODE_STANDBY), MV_STATUS_UNAVAILABLE);
    cr_assert_eq(mvRestart((enum MvRestartMode)1), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvRestart(MV_RESTARTMODE_AUTOAPPLYUPDATE), MV_STATUS_UNAVAILABLE);
}

/* The LED is on after boot; each call reaches the port; a bad value changes nothing. */
Test(misc, led_enable_drives_the_port_led)
{
    cr_assert_eq(mvt_led, 1, "kernel init turns the system LED on");
    cr_assert_eq(mvSystemLedEnable(0), MV_STATUS_OKAY);
    cr_expect_eq(mvt_led, 0);
    cr_assert_eq(mvSystemLedEnable(2), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvt_led, 0);
    cr_assert_eq(mvSystemLedEnable(1), MV_STATUS_OKAY);
    cr_expect_eq(mvt_led, 1);
}

Test(misc, wake_reason_is_cold_boot)
{
    enum MvWakeReason *r = mvt_app_alloc(sizeof *r);

    memset(r, 0x55, sizeof *r);
    cr_assert_eq(mvGetWakeReason(r), MV_STATUS_OKAY);
    cr_assert_eq(*r, MV_WAKEREASON_COLDBOOT);
    cr_assert_eq(mvGetWakeReason(NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvGetWakeReason((enum MvWakeReason *)mvt_kernel_mem), MV_STATUS_PARAMETERFAULT);
}

/* A port that restarted the application after a fault says so; a kernel start is a
 * cold boot again. */
Test(misc, wake_reason_after_an_application_crash)
{
    enum MvWakeReason *r = mvt_app_alloc(sizeof *r);

    mvk_kernel_note_app_crash();
    cr_assert_eq(mvGetWakeReason(r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_WAKEREASON_APPLICATIONCRASH);
    cr_assert_eq(mvk_kernel_init(), 0);
    cr_assert_eq(mvGetWakeReason(r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_WAKEREASON_COLDBOOT);
}

Test(misc, testing_calls_validate_then_are_unavailable)
{
    uint8_t *buf = mvt_app_alloc(1024);

    cr_assert_eq(mvTestingComplete(0), MV_STATUS_UNAVAILABLE);
    cr_assert_eq(mvTestLoggingInit(NULL, 1024), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvTestLoggingInit(mvt_kernel_mem, 16), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvTestLoggingInit(buf + 1, 512), MV_STATUS_INVALIDBUFFERALIGNMENT);
    cr_assert_eq(mvTestLoggingInit(buf, 1024), MV_STATUS_UNAVAILABLE);
    cr_assert_eq(mvTestLog(NULL, 3), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvTestLog(buf, 3), MV_STATUS_UNAVAILABLE);
}

/* ---- external flash ------------------------------------------------------------------ */
static MvExternalFlashHandle *open_flash(void)
{
    MvExternalFlashHandle *h = mvt_app_alloc(sizeof *h);

    cr_assert_eq(mvExternalFlashOpen(h), MV_STATUS_OKAY);
    cr_assert_not_null(*h);
    return h;
}

Test(xflash, open_refuses_bad_pointer)
{
    cr_assert_eq(mvExternalFlashOpen(NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvExternalFlashOpen((MvExternalFlashHandle *)mvt_kernel_mem),
                 MV_STATUS_PARAMETERFAULT);
}

Test(xflash, close_zeroes_handle_and_invalidates_it, .init = mvt_reset)
{
    MvExternalFlashHandle *h = open_flash();
    MvExternalFlashHandle old = *h;
    uint8_t *buf = mvt_app_alloc(4);

    cr_assert_eq(mvExternalFlashClose(h), MV_STATUS_OKAY);
    cr_assert_null(*h);
    cr_assert_eq(mvExternalFlashReadBlocking(old, 0, 4, buf), MV_STATUS_INVALIDHANDLE);
    *h = old;
    cr_assert_eq(mvExternalFlashClose(h), MV_STATUS_INVALIDHANDLE);
    cr_assert_eq(mvExternalFlashClose(NULL), MV_STATUS_PARAMETERFAULT);
}

Test(xflash, erased_reads_ff_and_writes_clear_bits, .init = mvt_reset)
{
    MvExternalFlashHandle *h = open_flash();
    uint8_t *buf = mvt_app_alloc(8);
    uint8_t *data = mvt_app_alloc(8);

    cr_assert_eq(mvExternalFlashEraseBlocking(*h, 4096, 4096), MV_STATUS_OKAY);
    cr_assert_eq(mvExternalFlashReadBlocking(*h, 4096, 8, buf), MV_STATUS_OKAY);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(buf[i], 0xff);
    memcpy(data, "\x0f\xf0\x00\xff" "abcd", 8);
    cr_assert_eq(mvExternalFlashWriteBlocking(*h, 4096, 8, data), MV_STATUS_OKAY);
    memcpy(data, "\xff\x0f\xff\xff\xff\xff\xff\xff", 8);
    cr_assert_eq(mvExternalFlashWriteBlocking(*h, 4096, 8, data), MV_STATUS_OKAY);
    cr_assert_eq(mvExternalFlashReadBlocking(*h, 4096, 8, buf), MV_STATUS_OKAY);
    cr_assert_eq(memcmp(buf, "\x0f\x00\x00\xff" "abcd", 8), 0);
    /* Erasing the written block sets every bit again. */
    cr_assert_eq(mvExternalFlashEraseBlocking(*h, 4096, 4096), MV_STATUS_OKAY);
    cr_assert_eq(mvExternalFlashReadBlocking(*h, 4096, 8, buf), MV_STATUS_OKAY);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(buf[i], 0xff, "byte %d after erase: %#x", i, buf[i]);
}

Test(xflash, ranges_and_alignment_are_checked, .init = mvt_reset)
{
    MvExternalFlashHandle *h = open_flash();
    uint8_t *buf = mvt_app_alloc(16);

    cr_assert_eq(mvExternalFlashReadBlocking(*h, 1u << 20, 1, buf), MV_STATUS_ADDRESSOUTOFRANGE);
    cr_assert_eq(mvExternalFlashReadBlocking(*h, 0xfffffff0u, 0x20, buf),
                 MV_STATUS_ADDRESSOUTOFRANGE); /* address + length wraps */
    cr_assert_eq(mvExternalFlashReadBlocking(*h, (1u << 20) - 16u, 16, buf), MV_STATUS_OKAY);
    cr_assert_eq(mvExternalFlashEraseBlocking(*h, 100, 4096), MV_STATUS_INVALIDBUFFERALIGNMENT);
    cr_assert_eq(mvExternalFlashEraseBlocking(*h, 0, 100), MV_STATUS_INVALIDBUFFERALIGNMENT);
    cr_assert_eq(mvExternalFlashEraseBlocking(*h, 1u << 20, 4096), MV_STATUS_ADDRESSOUTOFRANGE);
    cr_assert_eq(mvExternalFlashWriteBlocking(*h, (1u << 20) - 1u, 2, buf),
                 MV_STATUS_ADDRESSOUTOFRANGE);
}

Test(xflash, buffers_are_checked, .init = mvt_reset)
{
    MvExternalFlashHandle *h = open_flash();
    uint8_t *buf = mvt_app_alloc(16);

    cr_assert_eq(mvExternalFlashReadBlocking(*h, 0, 16, NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvExternalFlashReadBlocking(*h, 0, 16, mvt_kernel_mem), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvExternalFlashReadBlocking(*h, 0, 16, (uint8_t *)(uintptr_t)mvt_app_ro),
                 MV_STATUS_PARAMETERFAULT); /* read-only app memory cannot receive data */
    cr_assert_eq(mvExternalFlashWriteBlocking(*h, 0, 16, mvt_app_ro), MV_STATUS_OKAY);
    cr_assert_eq(mvExternalFlashWriteBlocking(*h, 0, 16, mvt_kernel_mem),
                 MV_STATUS_PARAMETERFAULT);
    /* a range running off the end of app memory, and one that wraps */
    cr_assert_eq(mvExternalFlashWriteBlocking(*h, 0, 16, mvt_app_ro + 250), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvExternalFlashWriteBlocking(*h, 0, 16, (const uint8_t *)(UINTPTR_MAX - 4u)),
                 MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvExternalFlashWriteBlocking(*h, 0, 16, buf), MV_STATUS_OKAY);
}

Test(xflash, wrong_handle_type_is_invalid, .init = mvt_reset)
{
    struct MvNotificationSetup *setup = mvt_app_alloc(sizeof *setup);
    MvNotificationHandle *nh = mvt_app_alloc(sizeof *nh);
    uint8_t *buf = mvt_app_alloc(16);

    setup->irq = 20;
    setup->buffer = mvt_app_alloc(64);
    setup->buffer_size = 64;
    cr_assert_eq(mvSetupNotifications(setup, nh), MV_STATUS_OKAY);
    cr_assert_eq(mvExternalFlashReadBlocking((MvExternalFlashHandle)(void *)*nh, 0, 1, buf),
                 MV_STATUS_INVALIDHANDLE);
    cr_assert_eq(mvExternalFlashReadBlocking(NULL, 0, 1, buf), MV_STATUS_INVALIDHANDLE);
}

Test(xflash, get_info_checks_version, .init = mvt_reset)
{
    MvExternalFlashHandle *h = open_flash();
    struct MvExternalFlashInfo *info = mvt_app_alloc(sizeof *info);

    info->version = 2;
    cr_assert_eq(mvExternalFlashGetInfo(*h, info), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    info->version = 1;
    cr_assert_eq(mvExternalFlashGetInfo(*h, info), MV_STATUS_OKAY);
    cr_assert_eq(info->v1.size, 1u << 20);
    cr_assert_eq(info->v1.num_handles, 1);
    cr_assert_eq(mvExternalFlashGetInfo(*h, NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvExternalFlashGetInfo(*h, (struct MvExternalFlashInfo *)(uintptr_t)mvt_app_ro),
                 MV_STATUS_PARAMETERFAULT);
}

Test(xflash, at_most_32_handles, .init = mvt_reset)
{
    MvExternalFlashHandle *h = mvt_app_alloc(33 * sizeof *h);

    for (int i = 0; i < 32; i++)
        cr_assert_eq(mvExternalFlashOpen(&h[i]), MV_STATUS_OKAY);
    cr_assert_eq(mvExternalFlashOpen(&h[32]), MV_STATUS_TOOMANYCHANNELS);
    cr_assert_eq(mvExternalFlashClose(&h[0]), MV_STATUS_OKAY);
    cr_assert_eq(mvExternalFlashOpen(&h[32]), MV_STATUS_OKAY);
}

/* ---- Wi-Fi ------------------------------------------------------------------------------ */
Test(wifi, validates_then_unavailable, .init = mvt_reset)
{
    struct MvWifiConfig *c = mvt_app_alloc(sizeof *c);
    struct MvWifiConfigOut *o = mvt_app_alloc(sizeof *o);

    cr_assert_eq(mvSetWifiConfig(NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvSetWifiConfig((const struct MvWifiConfig *)mvt_kernel_mem),
                 MV_STATUS_PARAMETERFAULT);
    c->version = 7;
    cr_assert_eq(mvSetWifiConfig(c), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    c->version = 1;
    cr_assert_eq(mvSetWifiConfig(c), MV_STATUS_UNAVAILABLE);
    cr_assert_eq(mvGetWifiConfig(NULL), MV_STATUS_PARAMETERFAULT);
    o->version = 0;
    cr_assert_eq(mvGetWifiConfig(o), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    o->version = 1;
    cr_assert_eq(mvGetWifiConfig(o), MV_STATUS_UNAVAILABLE);
}
