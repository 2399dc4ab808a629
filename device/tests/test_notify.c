/* Notification system calls: validation order and posting into the app ring. */
#include <criterion/criterion.h>
#include <string.h>

#include "fakes.h"
#include "kernel.h"
#include "mvk_limits.h"

TestSuite(notify, .init = kt_boot);

static struct MvNotificationSetup *setup_in_app(uint32_t irq, uint32_t entries)
{
    struct MvNotificationSetup *s = kt_alloc(sizeof *s);

    s->irq = irq;
    s->buffer = kt_alloc(entries * 16u);
    s->buffer_size = entries * 16u;
    return s;
}

Test(notify, setup_returns_handle_and_trigger_writes_ring_and_raises_irq)
{
    struct MvNotificationSetup *s = setup_in_app(5, 2);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    fake_port_set_now(1234);
    cr_assert_eq(mvSetupNotifications(s, h), MV_STATUS_OKAY);
    cr_assert_neq(*h, NULL);
    cr_assert_eq(mvTempTriggerNotification(*h, MV_EVENTTYPE_CHANNELDATAREADABLE, 99),
                 MV_STATUS_OKAY);
    cr_expect_eq(s->buffer[0].event_type, MV_EVENTTYPE_CHANNELDATAREADABLE);
    cr_expect_eq(s->buffer[0].tag, 99u);
    cr_expect_eq(s->buffer[0].microseconds, 1234u);
    cr_expect_eq(fake_port_irq_count(5), 1);
}

Test(notify, ring_wraps_over_oldest_entry)
{
    struct MvNotificationSetup *s = setup_in_app(1, 2);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    cr_assert_eq(mvSetupNotifications(s, h), MV_STATUS_OKAY);
    for (uint32_t tag = 1; tag <= 3; tag++)
        mvTempTriggerNotification(*h, MV_EVENTTYPE_NETWORKSTATUSCHANGED, tag);
    cr_expect_eq(s->buffer[0].tag, 3u);
    cr_expect_eq(s->buffer[1].tag, 2u);
}

Test(notify, null_and_kernel_pointers_are_parameter_faults)
{
    struct MvNotificationSetup *s = setup_in_app(1, 2);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    cr_expect_eq(mvSetupNotifications(NULL, h), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvSetupNotifications(s, NULL), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvSetupNotifications((void *)kt_kernel, h), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvSetupNotifications(s, (void *)kt_ro), MV_STATUS_PARAMETERFAULT);
    s->buffer = (struct MvNotification *)kt_kernel;
    cr_expect_eq(mvSetupNotifications(s, h), MV_STATUS_PARAMETERFAULT);
}

Test(notify, wrapped_buffer_range_is_a_parameter_fault)
{
    struct MvNotificationSetup *s = setup_in_app(1, 2);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    s->buffer = (struct MvNotification *)(UINTPTR_MAX & ~(uintptr_t)15);
    s->buffer_size = 64;
    cr_expect_eq(mvSetupNotifications(s, h), MV_STATUS_PARAMETERFAULT);
}

Test(notify, size_must_be_multiple_of_16_and_at_least_32)
{
    struct MvNotificationSetup *s = setup_in_app(1, 4);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    s->buffer_size = 16;
    cr_expect_eq(mvSetupNotifications(s, h), MV_STATUS_INVALIDBUFFERSIZE);
    s->buffer_size = 40;
    cr_expect_eq(mvSetupNotifications(s, h), MV_STATUS_INVALIDBUFFERSIZE);
}

Test(notify, misaligned_buffer_is_refused)
{
    struct MvNotificationSetup *s = setup_in_app(1, 4);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    s->buffer = (struct MvNotification *)((uint8_t *)s->buffer + 4);
    s->buffer_size = 32;
    cr_expect_eq(mvSetupNotifications(s, h), MV_STATUS_INVALIDBUFFERALIGNMENT);
}

Test(notify, invalid_or_used_irq_is_refused)
{
    struct MvNotificationSetup *a = setup_in_app(3, 2), *b = setup_in_app(3, 2);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    a->irq = 1000;
    cr_expect_eq(mvSetupNotifications(a, h), MV_STATUS_INVALIDINTERRUPT);
    a->irq = 3;
    cr_assert_eq(mvSetupNotifications(a, h), MV_STATUS_OKAY);
    cr_expect_eq(mvSetupNotifications(b, h), MV_STATUS_INVALIDINTERRUPT);
}

Test(notify, buffer_already_in_use_is_refused)
{
    struct MvNotificationSetup *a = setup_in_app(3, 2), *b = setup_in_app(4, 2);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    cr_assert_eq(mvSetupNotifications(a, h), MV_STATUS_OKAY);
    b->buffer = a->buffer + 1; /* overlaps a's ring */
    cr_expect_eq(mvSetupNotifications(b, h), MV_STATUS_BUFFERALREADYINUSE);
}

Test(notify, at_most_32_centers)
{
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    for (uint32_t i = 0; i < MVK_MAX_NOTIFY; i++)
        cr_assert_eq(mvSetupNotifications(setup_in_app(i, 2), h), MV_STATUS_OKAY);
    cr_expect_eq(mvSetupNotifications(setup_in_app(31, 2), h),
                 MV_STATUS_TOOMANYNOTIFICATIONBUFFERS);
}

Test(notify, close_zeroes_handle_and_frees_irq_and_buffer)
{
    struct MvNotificationSetup *s = setup_in_app(3, 2);
    MvNotificationHandle *h = kt_alloc(sizeof *h);
    MvNotificationHandle old;

    cr_assert_eq(mvSetupNotifications(s, h), MV_STATUS_OKAY);
    old = *h;
    cr_assert_eq(mvCloseNotifications(h), MV_STATUS_OKAY);
    cr_expect_eq(*h, NULL);
    cr_expect_eq(mvTempTriggerNotification(old, MV_EVENTTYPE_NOEVENT, 0),
                 MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvSetupNotifications(s, h), MV_STATUS_OKAY);
}

Test(notify, close_checks_pointer_and_handle)
{
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    cr_expect_eq(mvCloseNotifications(NULL), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvCloseNotifications((void *)kt_ro), MV_STATUS_PARAMETERFAULT);
    *h = (MvNotificationHandle)(uintptr_t)0x1234;
    cr_expect_eq(mvCloseNotifications(h), MV_STATUS_INVALIDHANDLE);
}

Test(notify, handle_of_another_type_is_invalid)
{
    MvNotificationHandle nh = kt_notify(2, NULL);
    MvNetworkHandle net = kt_network(nh);

    cr_expect_eq(mvTempTriggerNotification((MvNotificationHandle)net, MV_EVENTTYPE_NOEVENT, 0),
                 MV_STATUS_INVALIDHANDLE);
}

/* A fast interrupt runs the app's own handler: the kernel must not take it for a
 * notification center, until the app clears it. */
Test(notify, fast_interrupt_irq_is_refused_until_cleared)
{
    struct MvNotificationSetup *s = setup_in_app(7, 2);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    cr_assert_eq(mvSetFastInterrupt(7), MV_STATUS_OKAY);
    cr_expect_eq(mvSetupNotifications(s, h), MV_STATUS_INVALIDINTERRUPT);
    cr_expect_null(*h);
    s->irq = 8; /* only that IRQ is refused */
    cr_expect_eq(mvSetupNotifications(s, h), MV_STATUS_OKAY);
    cr_assert_eq(mvCloseNotifications(h), MV_STATUS_OKAY);
    cr_assert_eq(mvClearFastInterrupt(7), MV_STATUS_OKAY);
    s->irq = 7;
    cr_expect_eq(mvSetupNotifications(s, h), MV_STATUS_OKAY);
}

/* The other direction: an IRQ a notification center raises cannot be made fast. */
Test(notify, notification_irq_cannot_become_fast)
{
    struct MvNotificationSetup *s = setup_in_app(9, 2);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    cr_assert_eq(mvSetupNotifications(s, h), MV_STATUS_OKAY);
    cr_expect_eq(mvSetFastInterrupt(9), MV_STATUS_INVALIDINTERRUPT);
    cr_expect_eq(mvSetFastInterrupt(10), MV_STATUS_OKAY);
    cr_assert_eq(mvCloseNotifications(h), MV_STATUS_OKAY);
    cr_expect_eq(mvSetFastInterrupt(9), MV_STATUS_OKAY);
}

/* A fresh kernel forgets fast interrupts set before it started. */
Test(notify, kernel_init_clears_fast_interrupts)
{
    struct MvNotificationSetup *s = setup_in_app(11, 2);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    cr_assert_eq(mvSetFastInterrupt(11), MV_STATUS_OKAY);
    cr_assert_eq(mvk_kernel_init(), 0);
    cr_expect_eq(mvSetupNotifications(s, h), MV_STATUS_OKAY);
}
