/* System notifications (sysevent.c): subscription checks and network-source events. */
#include <criterion/criterion.h>

#include "fakes.h"

TestSuite(sysevent, .init = kt_boot);

static struct MvOpenSystemNotificationParams *params(MvNotificationHandle nh, uint32_t src)
{
    struct MvOpenSystemNotificationParams *p = kt_alloc(sizeof *p);

    p->notification_handle = nh;
    p->notification_tag = 5;
    p->notification_source = (enum MvSystemNotificationSource)src;
    return p;
}

Test(sysevent, network_source_is_notified_on_status_change)
{
    struct MvNotification *ring;
    MvNotificationHandle nh = kt_notify(4, &ring);
    MvSystemEventHandle *h = kt_alloc(sizeof *h);

    cr_assert_eq(mvOpenSystemNotification(params(nh, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK), h),
                 MV_STATUS_OKAY);
    cr_expect_neq(*h, NULL);
    kt_network(kt_notify(6, NULL)); /* another app part requests; the status changes */
    cr_expect_eq(ring[0].event_type, MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    cr_expect_eq(ring[0].tag, 5u);
}

Test(sysevent, validation)
{
    MvNotificationHandle nh = kt_notify(4, NULL);
    MvSystemEventHandle *h = kt_alloc(sizeof *h);

    cr_expect_eq(mvOpenSystemNotification(NULL, h), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvOpenSystemNotification(params(nh, 0), (MvSystemEventHandle *)kt_kernel),
                 MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvOpenSystemNotification(params((MvNotificationHandle)(uintptr_t)9, 0), h),
                 MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvOpenSystemNotification(params(nh, 7), h), MV_STATUS_UNAVAILABLE);
}

Test(sysevent, close_zeroes_and_rejects_other_handles)
{
    MvNotificationHandle nh = kt_notify(4, NULL);
    MvSystemEventHandle *h = kt_alloc(sizeof *h);
    MvSystemEventHandle *bad = kt_alloc(sizeof *bad);

    cr_assert_eq(mvOpenSystemNotification(params(nh, MV_SYSTEMNOTIFICATIONSOURCE_UPDATE), h),
                 MV_STATUS_OKAY);
    *bad = (MvSystemEventHandle)nh;
    cr_expect_eq(mvCloseSystemNotification(bad), MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvCloseSystemNotification(NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvCloseSystemNotification(h), MV_STATUS_OKAY);
    cr_expect_eq(*h, NULL);
    cr_expect_eq(mvCloseSystemNotification(h), MV_STATUS_INVALIDHANDLE);
}
