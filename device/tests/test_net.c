/* Network requests (sys_net.c, net.c): reference count, status, notifications and the
 * wanted flag handed to conn. */
#include <criterion/criterion.h>

#include "fakes.h"
#include "kernel.h"

TestSuite(network, .init = kt_boot);

static struct MvRequestNetworkParams *params(MvNotificationHandle nh)
{
    struct MvRequestNetworkParams *p = kt_alloc(sizeof *p);

    p->version = 1;
    p->v1.notification_handle = nh;
    p->v1.notification_tag = 11;
    return p;
}

Test(network, request_makes_conn_wanted_and_status_connecting)
{
    MvNotificationHandle nh = kt_notify(1, NULL);
    MvNetworkHandle *h = kt_alloc(sizeof *h);
    enum MvNetworkStatus *st = kt_alloc(sizeof *st);

    cr_assert_eq(mvRequestNetwork(params(nh), h), MV_STATUS_OKAY);
    cr_expect(fake_conn_wanted());
    cr_assert_eq(mvGetNetworkStatus(*h, st), MV_STATUS_OKAY);
    cr_expect_eq(*st, MV_NETWORKSTATUS_CONNECTING);
}

Test(network, session_up_notifies_requester_and_reports_connected)
{
    struct MvNotification *ring;
    MvNotificationHandle nh = kt_notify(1, &ring);
    MvNetworkHandle *h = kt_alloc(sizeof *h);
    enum MvNetworkStatus *st = kt_alloc(sizeof *st);

    cr_assert_eq(mvRequestNetwork(params(nh), h), MV_STATUS_OKAY);
    int before = fake_port_irq_count(1);
    kt_session_up(0, 0);
    cr_expect_eq(fake_port_irq_count(1), before + 1);
    cr_assert_eq(mvGetNetworkStatus(*h, st), MV_STATUS_OKAY);
    cr_expect_eq(*st, MV_NETWORKSTATUS_CONNECTED);
    cr_expect_eq(ring[1].event_type, MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    cr_expect_eq(ring[1].tag, 11u);
}

Test(network, conn_state_change_is_noticed_by_kernel_poll)
{
    MvNotificationHandle nh = kt_notify(1, NULL);
    MvNetworkHandle *h = kt_alloc(sizeof *h);

    cr_assert_eq(mvRequestNetwork(params(nh), h), MV_STATUS_OKAY);
    int before = fake_port_irq_count(1);
    fake_conn_set_state(MVK_CONN_UP);
    mvk_kernel_poll(0);
    cr_expect_eq(fake_port_irq_count(1), before + 1);
}

Test(network, release_zeroes_handle_and_drops_want)
{
    MvNotificationHandle nh = kt_notify(1, NULL);
    MvNetworkHandle *h = kt_alloc(sizeof *h);
    enum MvNetworkReason *r = kt_alloc(sizeof *r);
    uint32_t *n = kt_alloc(sizeof *n);

    cr_assert_eq(mvRequestNetwork(params(nh), h), MV_STATUS_OKAY);
    cr_assert_eq(mvGetNetworkReasons(r, n), MV_STATUS_OKAY);
    cr_expect_eq(*n, 1u);
    cr_expect(*r & MV_NETWORKREASON_USINGNETWORK);
    cr_assert_eq(mvReleaseNetwork(h), MV_STATUS_OKAY);
    cr_expect_eq(*h, NULL);
    cr_expect_not(fake_conn_wanted());
    cr_assert_eq(mvGetNetworkReasons(r, n), MV_STATUS_OKAY);
    cr_expect_eq(*n, 0u);
    cr_expect_eq(mvReleaseNetwork(h), MV_STATUS_INVALIDHANDLE);
}

Test(network, reasons_say_never_used_before_any_request)
{
    enum MvNetworkReason *r = kt_alloc(sizeof *r);
    uint32_t *n = kt_alloc(sizeof *n);

    cr_assert_eq(mvGetNetworkReasons(r, n), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_NETWORKREASON_NEVERUSEDNETWORKAPI);
    cr_expect_eq(mvGetNetworkReasons(NULL, n), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvGetNetworkReasons(r, (uint32_t *)kt_kernel), MV_STATUS_PARAMETERFAULT);
}

Test(network, request_validation)
{
    MvNotificationHandle nh = kt_notify(1, NULL);
    MvNetworkHandle *h = kt_alloc(sizeof *h);
    struct MvRequestNetworkParams *p = params(nh);

    cr_expect_eq(mvRequestNetwork(NULL, h), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvRequestNetwork((void *)kt_kernel, h), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvRequestNetwork(p, (MvNetworkHandle *)kt_ro), MV_STATUS_PARAMETERFAULT);
    p->version = 2;
    cr_expect_eq(mvRequestNetwork(p, h), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    p->version = 1;
    p->v1.notification_handle = (MvNotificationHandle)(uintptr_t)77;
    cr_expect_eq(mvRequestNetwork(p, h), MV_STATUS_INVALIDHANDLE);
}

Test(network, status_checks_handle_type_and_pointer)
{
    MvNotificationHandle nh = kt_notify(1, NULL);
    MvNetworkHandle *h = kt_alloc(sizeof *h);
    enum MvNetworkStatus *st = kt_alloc(sizeof *st);

    cr_assert_eq(mvRequestNetwork(params(nh), h), MV_STATUS_OKAY);
    cr_expect_eq(mvGetNetworkStatus((MvNetworkHandle)nh, st), MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvGetNetworkStatus(*h, NULL), MV_STATUS_PARAMETERFAULT);
}
