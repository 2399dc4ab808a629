/* Channels (sys_chan.c, chan*.c) against the fake conn: OPEN/OPEN_OK/DATA/WINDOW/CLOSE
 * on the wire, flow control in both directions, notifications and every validation. */
#include <criterion/criterion.h>
#include <string.h>

#include "fakes.h"
#include "kernel.h"
#include "mvk_limits.h"
#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/wire.h"

static MvNotificationHandle nh;
static MvNetworkHandle net;
static struct MvNotification *ring;

static void boot_with_network(void)
{
    kt_boot();
    nh = kt_notify(9, &ring);
    net = kt_network(nh);
    fake_conn_clear();
}

TestSuite(chan, .init = boot_with_network);

static int ring_has(enum MvEventType ev, uint32_t tag)
{
    for (int i = 0; i < 16; i++)
        if (ring[i].event_type == ev && ring[i].tag == tag)
            return 1;
    return 0;
}

/* Opens a channel and answers OPEN_OK with send credit; returns its wire id. */
static uint16_t open_ok(MvChannelHandle *ch, uint32_t rx, uint32_t tx, uint32_t credit)
{
    const struct fake_frame *f;

    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, rx, tx, ch), MV_STATUS_OKAY);
    f = fake_conn_last(MVP_OPEN);
    cr_assert_not_null(f);
    kt_inject_u32(MVP_OPEN_OK, f->chan, credit);
    return f->chan;
}

Test(chan, open_sends_open_with_type_and_receive_window)
{
    MvChannelHandle ch;
    struct mvp_open o;
    const struct fake_frame *f;

    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_CONFIGFETCH, 2048, 1024, &ch), MV_STATUS_OKAY);
    cr_expect_neq(ch, NULL);
    f = fake_conn_last(MVP_OPEN);
    cr_assert_not_null(f);
    cr_expect_eq(f->chan, 1);
    cr_assert_geq(mvp_open_decode(f->payload, f->len, &o), 0);
    cr_expect_eq(o.chan_type, (uint32_t)MV_CHANNELTYPE_CONFIGFETCH);
    cr_expect_eq(o.window, 2048u);
}

Test(chan, channel_ids_increase_and_are_not_reused)
{
    MvChannelHandle a, b, *pa = kt_alloc(sizeof *pa);

    uint16_t ia = open_ok(&a, 1024, 1024, 100);
    *pa = a;
    cr_assert_eq(mvCloseChannel(pa), MV_STATUS_OKAY);
    uint16_t ib = open_ok(&b, 1024, 1024, 100);
    cr_expect_gt(ib, ia);
}

Test(chan, write_is_held_until_open_ok_then_sent_within_credit)
{
    MvChannelHandle ch;
    uint32_t *avail = kt_alloc(4);
    uint8_t *data = kt_alloc(300);

    memset(data, 'x', 300);
    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 1024, &ch), MV_STATUS_OKAY);
    cr_assert_eq(mvWriteChannel(ch, data, 300, avail), MV_STATUS_OKAY);
    cr_expect_eq(*avail, 724u);
    cr_expect_eq(fake_conn_count_type(MVP_DATA), 0);
    kt_inject_u32(MVP_OPEN_OK, fake_conn_last(MVP_OPEN)->chan, 100);
    cr_expect_eq(fake_conn_count_type(MVP_DATA), 1);
    cr_expect_eq(fake_conn_last(MVP_DATA)->len, 100u);
    kt_inject_u32(MVP_WINDOW, fake_conn_last(MVP_OPEN)->chan, 500);
    cr_expect_eq(fake_conn_count_type(MVP_DATA), 2);
    cr_expect_eq(fake_conn_last(MVP_DATA)->len, 200u);
}

Test(chan, write_all_or_nothing_and_zero_length_queries_space)
{
    MvChannelHandle ch;
    uint32_t *avail = kt_alloc(4);
    uint8_t *data = kt_alloc(2048);

    open_ok(&ch, 1024, 1024, 0);
    cr_assert_eq(mvWriteChannel(ch, data, 0, avail), MV_STATUS_OKAY);
    cr_expect_eq(*avail, 1024u);
    cr_assert_eq(mvWriteChannel(ch, data, 1000, avail), MV_STATUS_OKAY);
    cr_expect_eq(mvWriteChannel(ch, data, 100, avail), MV_STATUS_INVALIDBUFFERSIZE);
    cr_expect_eq(*avail, 24u);
}

Test(chan, write_stream_writes_what_fits_and_space_is_notified_later)
{
    MvChannelHandle ch;
    uint32_t *written = kt_alloc(4);
    uint8_t *data = kt_alloc(2048);
    uint16_t id = open_ok(&ch, 1024, 1024, 0);

    cr_assert_eq(mvWriteChannelStream(ch, data, 2000, written), MV_STATUS_OKAY);
    cr_expect_eq(*written, 1024u);
    int before = fake_port_irq_count(9);
    kt_inject_u32(MVP_WINDOW, id, 512);
    cr_expect_eq(fake_conn_last(MVP_DATA)->len, 512u);
    cr_expect_gt(fake_port_irq_count(9), before);
    cr_expect(ring_has(MV_EVENTTYPE_CHANNELDATAWRITESPACE, 42));
}

Test(chan, data_is_readable_and_consumption_grants_window_at_half)
{
    MvChannelHandle ch;
    uint8_t **rp = kt_alloc(sizeof *rp);
    uint32_t *len = kt_alloc(4);
    uint8_t payload[600];
    uint16_t id = open_ok(&ch, 1024, 1024, 0);

    memset(payload, 'a', sizeof payload);
    int before = fake_port_irq_count(9);
    kt_inject(MVP_DATA, id, payload, 600);
    cr_expect_eq(fake_port_irq_count(9), before + 1);
    cr_assert_eq(mvReadChannel(ch, rp, len), MV_STATUS_OKAY);
    cr_expect_eq(*len, 600u);
    cr_expect_eq((*rp)[599], 'a');
    cr_assert_eq(mvReadChannelComplete(ch, 300), MV_STATUS_OKAY);
    cr_expect_eq(fake_conn_count_type(MVP_WINDOW), 0);
    cr_assert_eq(mvReadChannelComplete(ch, 300), MV_STATUS_OKAY);
    cr_assert_eq(fake_conn_count_type(MVP_WINDOW), 1);
    cr_expect_eq(kt_be32(fake_conn_last(MVP_WINDOW)->payload), 600u);
    cr_expect_eq(mvReadChannelComplete(ch, 1), MV_STATUS_INVALIDBUFFERSIZE);
}

Test(chan, data_beyond_granted_credit_resets_the_channel)
{
    MvChannelHandle ch;
    enum MvClosureReason *r = kt_alloc(sizeof *r);
    static uint8_t big[1100];
    uint16_t id = open_ok(&ch, 1024, 1024, 0);

    kt_inject(MVP_DATA, id, big, sizeof big);
    cr_assert_eq(mvGetChannelClosureReason(ch, r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_CLOSUREREASON_CHANNELRESETBYSERVER);
    cr_expect_eq(fake_conn_last(MVP_CLOSE)->chan, id);
}

Test(chan, close_by_server_is_reported_and_notified)
{
    MvChannelHandle ch;
    enum MvClosureReason *r = kt_alloc(sizeof *r);
    uint8_t **rp = kt_alloc(sizeof *rp);
    uint32_t *len = kt_alloc(4);
    uint16_t id = open_ok(&ch, 1024, 1024, 10);

    cr_assert_eq(mvGetChannelClosureReason(ch, r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_CLOSUREREASON_NONE);
    kt_inject_u32(MVP_CLOSE, id, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
    cr_assert_eq(mvGetChannelClosureReason(ch, r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
    cr_expect_eq(mvReadChannel(ch, rp, len), MV_STATUS_CHANNELCLOSED);
    cr_expect_eq(mvWriteChannel(ch, (uint8_t *)kt_app, 1, len), MV_STATUS_CHANNELCLOSED);
    cr_expect_eq(fake_conn_count_type(MVP_CLOSE), 0); /* no answer to a CLOSE */
}

Test(chan, open_err_closes_channel)
{
    MvChannelHandle ch;
    enum MvClosureReason *r = kt_alloc(sizeof *r);
    uint8_t buf[64];
    struct mvp_open_err e = {MV_STATUS_UNKNOWNCHANNELENDPOINT, (const uint8_t *)"no", 2};
    int n = mvp_open_err_encode(&e, buf, sizeof buf);

    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 1024, &ch), MV_STATUS_OKAY);
    kt_inject(MVP_OPEN_ERR, fake_conn_last(MVP_OPEN)->chan, buf, (uint32_t)n);
    cr_assert_eq(mvGetChannelClosureReason(ch, r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
    cr_expect(ring_has(MV_EVENTTYPE_CHANNELNOTCONNECTED, 42));
}

Test(chan, session_down_closes_with_network_disconnected)
{
    MvChannelHandle ch;
    enum MvClosureReason *r = kt_alloc(sizeof *r);

    open_ok(&ch, 1024, 1024, 10);
    kt_session_down();
    cr_assert_eq(mvGetChannelClosureReason(ch, r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_CLOSUREREASON_NETWORKDISCONNECTED);
}

Test(chan, app_close_sends_close_and_zeroes_handle)
{
    MvChannelHandle ch, *p = kt_alloc(sizeof *p);
    uint16_t id = open_ok(&ch, 1024, 1024, 10);

    *p = ch;
    cr_assert_eq(mvCloseChannel(p), MV_STATUS_OKAY);
    cr_expect_eq(*p, NULL);
    cr_assert_not_null(fake_conn_last(MVP_CLOSE));
    cr_expect_eq(fake_conn_last(MVP_CLOSE)->chan, id);
    cr_expect_eq(kt_be32(fake_conn_last(MVP_CLOSE)->payload),
                 (uint32_t)MV_CLOSUREREASON_CLOSEDBYAPPLICATION);
    cr_expect_eq(mvCloseChannel(p), MV_STATUS_INVALIDHANDLE);
}

/* Closing before the relay answered the OPEN is a normal race: whatever the relay sent
 * for that id before it saw our CLOSE is discarded, with no ERROR back. */
Test(chan, answers_after_close_before_open_reply_are_quiet)
{
    MvChannelHandle *p = kt_alloc(sizeof *p);
    uint8_t buf[64];
    struct mvp_open_err e = {MV_STATUS_UNAVAILABLE, (const uint8_t *)"no", 2};
    int n = mvp_open_err_encode(&e, buf, sizeof buf);
    uint16_t id1, id2;

    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 1024, p), MV_STATUS_OKAY);
    id1 = fake_conn_last(MVP_OPEN)->chan;
    cr_assert_eq(mvCloseChannel(p), MV_STATUS_OKAY);
    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 1024, p), MV_STATUS_OKAY);
    id2 = fake_conn_last(MVP_OPEN)->chan;
    cr_assert_eq(mvCloseChannel(p), MV_STATUS_OKAY);
    kt_inject_u32(MVP_OPEN_OK, id1, 100);
    kt_inject_u32(MVP_DATA, id1, 7);
    kt_inject_u32(MVP_CLOSE, id1, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
    kt_inject(MVP_OPEN_ERR, id2, buf, (uint32_t)n);
    cr_expect_null(fake_conn_last(MVP_ERROR));
    /* An id never used is still a relay error. */
    kt_inject_u32(MVP_OPEN_OK, (uint16_t)(id2 + 1), 100);
    cr_expect_not_null(fake_conn_last(MVP_ERROR));
}

Test(chan, frames_for_unknown_channel_get_error)
{
    kt_inject_u32(MVP_WINDOW, 77, 100);
    cr_assert_not_null(fake_conn_last(MVP_ERROR));
    cr_expect_eq(kt_be32(fake_conn_last(MVP_ERROR)->payload), (uint32_t)MVP_E_INVALID);
}

Test(chan, blocked_conn_resumes_on_writable)
{
    MvChannelHandle ch;
    uint32_t *avail = kt_alloc(4);
    uint8_t *data = kt_alloc(100);
    uint16_t id = open_ok(&ch, 1024, 1024, 0);

    fake_conn_set_space(0);
    cr_assert_eq(mvWriteChannel(ch, data, 100, avail), MV_STATUS_OKAY);
    kt_inject_u32(MVP_WINDOW, id, 1000);
    cr_expect_eq(fake_conn_count_type(MVP_DATA), 0);
    fake_conn_set_space(UINT32_MAX);
    mvk_session_writable();
    cr_expect_eq(fake_conn_count_type(MVP_DATA), 1);
}

Test(chan, at_most_four_channels)
{
    MvChannelHandle ch;

    for (int i = 0; i < 4; i++)
        cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &ch), MV_STATUS_OKAY);
    cr_expect_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &ch),
                 MV_STATUS_TOOMANYCHANNELS);
}

Test(chan, more_than_eight_opens_per_second_are_rate_limited)
{
    MvChannelHandle ch, *p = kt_alloc(sizeof *p);

    for (int i = 0; i < 8; i++) {
        cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &ch), MV_STATUS_OKAY);
        *p = ch;
        cr_assert_eq(mvCloseChannel(p), MV_STATUS_OKAY);
    }
    cr_expect_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &ch),
                 MV_STATUS_RATELIMITED);
    fake_port_advance(1000001);
    cr_expect_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &ch), MV_STATUS_OKAY);
}

Test(chan, open_needs_connected_network)
{
    MvChannelHandle ch;

    kt_session_down();
    cr_expect_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &ch),
                 MV_STATUS_NETWORKNOTCONNECTED);
}

static struct MvOpenChannelParams *good_params(void)
{
    struct MvOpenChannelParams *p = kt_alloc(sizeof *p);

    p->version = 1;
    p->v1.notification_handle = nh;
    p->v1.network_handle = net;
    p->v1.receive_buffer = kt_alloc(1024);
    p->v1.receive_buffer_len = 1024;
    p->v1.send_buffer = kt_alloc(1024);
    p->v1.send_buffer_len = 1024;
    p->v1.channel_type = MV_CHANNELTYPE_OPAQUEBYTES;
    return p;
}

Test(chan, open_validation_order)
{
    MvChannelHandle *h = kt_alloc(sizeof *h);
    struct MvOpenChannelParams *p = good_params();

    cr_expect_eq(mvOpenChannel(NULL, h), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvOpenChannel((void *)kt_kernel, h), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvOpenChannel(p, (MvChannelHandle *)kt_ro), MV_STATUS_PARAMETERFAULT);
    p->version = 0;
    cr_expect_eq(mvOpenChannel(p, h), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    p->version = 1;
    p->v1.network_handle = (MvNetworkHandle)nh; /* wrong type */
    cr_expect_eq(mvOpenChannel(p, h), MV_STATUS_INVALIDHANDLE);
    p->v1.network_handle = net;
    p->v1.channel_type = (enum MvChannelType)4;
    cr_expect_eq(mvOpenChannel(p, h), MV_STATUS_UNKNOWNCHANNELTYPE);
    p->v1.channel_type = MV_CHANNELTYPE_OPAQUEBYTES;
    p->v1.receive_buffer += 2;
    cr_expect_eq(mvOpenChannel(p, h), MV_STATUS_INVALIDBUFFERALIGNMENT);
    p->v1.receive_buffer -= 2;
    p->v1.receive_buffer_len = 512;
    cr_expect_eq(mvOpenChannel(p, h), MV_STATUS_INVALIDBUFFERSIZE);
    p->v1.receive_buffer_len = 1024;
    p->v1.send_buffer = kt_kernel;
    cr_expect_eq(mvOpenChannel(p, h), MV_STATUS_PARAMETERFAULT);
    p->v1.send_buffer = (uint8_t *)(UINTPTR_MAX & ~(uintptr_t)3);
    cr_expect_eq(mvOpenChannel(p, h), MV_STATUS_PARAMETERFAULT);
    p->v1.send_buffer = p->v1.receive_buffer;
    cr_expect_eq(mvOpenChannel(p, h), MV_STATUS_BUFFERALREADYINUSE);
    p->v1.send_buffer = kt_alloc(1024);
    p->v1.endpoint.data = kt_kernel;
    p->v1.endpoint.length = 4;
    cr_expect_eq(mvOpenChannel(p, h), MV_STATUS_PARAMETERFAULT);
    p->v1.endpoint.length = 0;
    cr_expect_eq(mvOpenChannel(p, h), MV_STATUS_OKAY);
    /* The same buffers cannot back a second channel. */
    cr_expect_eq(mvOpenChannel(p, h), MV_STATUS_BUFFERALREADYINUSE);
}

Test(chan, calls_on_wrong_or_stale_handles)
{
    MvChannelHandle ch, *p = kt_alloc(sizeof *p);
    uint8_t **rp = kt_alloc(sizeof *rp);
    uint32_t *len = kt_alloc(4);

    open_ok(&ch, 1024, 1024, 0);
    cr_expect_eq(mvReadChannel((MvChannelHandle)net, rp, len), MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvReadChannel(ch, NULL, len), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvReadChannel(ch, rp, (uint32_t *)kt_kernel), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvWriteChannel(ch, kt_kernel, 4, len), MV_STATUS_PARAMETERFAULT);
    *p = ch;
    cr_assert_eq(mvCloseChannel(p), MV_STATUS_OKAY);
    cr_expect_eq(mvReadChannel(ch, rp, len), MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvWriteChannel(ch, kt_app, 1, len), MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvReadChannelComplete(ch, 0), MV_STATUS_INVALIDHANDLE);
}

/* Drives the kernel loop at fake time t (the open timeout reads the same clock). */
static void poll_at(uint64_t t)
{
    fake_port_set_now(t);
    mvk_kernel_poll(t);
}

Test(chan, unanswered_open_times_out_with_close_and_notification)
{
    MvChannelHandle ch;
    enum MvClosureReason *r = kt_alloc(sizeof *r);
    uint16_t id;

    fake_port_set_now(5000000);
    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 1024, &ch), MV_STATUS_OKAY);
    id = fake_conn_last(MVP_OPEN)->chan;
    cr_expect_eq(mvk_kernel_next_deadline_us(), 5000000 + MVK_CHAN_OPEN_TIMEOUT_US);
    poll_at(5000000 + MVK_CHAN_OPEN_TIMEOUT_US - 1);
    cr_assert_eq(mvGetChannelClosureReason(ch, r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_CLOSUREREASON_NONE);
    cr_expect(!ring_has(MV_EVENTTYPE_CHANNELNOTCONNECTED, 42));
    cr_expect_eq(fake_conn_count_type(MVP_CLOSE), 0);

    poll_at(5000000 + MVK_CHAN_OPEN_TIMEOUT_US);
    cr_assert_eq(mvGetChannelClosureReason(ch, r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_CLOSUREREASON_CONNECTIONTERMINATED);
    cr_expect(ring_has(MV_EVENTTYPE_CHANNELNOTCONNECTED, 42));
    cr_assert_not_null(fake_conn_last(MVP_CLOSE));
    cr_expect_eq(fake_conn_last(MVP_CLOSE)->chan, id);
    cr_expect_eq(kt_be32(fake_conn_last(MVP_CLOSE)->payload),
                 (uint32_t)MV_CLOSUREREASON_CONNECTIONTERMINATED);
    cr_expect_eq(mvk_kernel_next_deadline_us(), UINT64_MAX);
    cr_expect_eq(mvWriteChannel(ch, (uint8_t *)kt_app, 1, kt_alloc(4)), MV_STATUS_CHANNELCLOSED);
    /* A late answer crossed our CLOSE: discarded quietly. */
    kt_inject_u32(MVP_OPEN_OK, id, 100);
    cr_expect_null(fake_conn_last(MVP_ERROR));
}

Test(chan, answered_open_does_not_time_out)
{
    MvChannelHandle ch;
    enum MvClosureReason *r = kt_alloc(sizeof *r);

    fake_port_set_now(1000);
    open_ok(&ch, 1024, 1024, 10);
    cr_expect_eq(mvk_kernel_next_deadline_us(), UINT64_MAX);
    poll_at(1000 + 3 * MVK_CHAN_OPEN_TIMEOUT_US);
    cr_assert_eq(mvGetChannelClosureReason(ch, r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_CLOSUREREASON_NONE);
    cr_expect_eq(fake_conn_count_type(MVP_CLOSE), 0);
}

Test(chan, open_never_sent_times_out_without_close_frame)
{
    MvChannelHandle ch;
    enum MvClosureReason *r = kt_alloc(sizeof *r);

    fake_port_set_now(1000);
    fake_conn_set_space(0); /* conn never has room: the OPEN stays queued */
    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 1024, &ch), MV_STATUS_OKAY);
    cr_expect_eq(fake_conn_count_type(MVP_OPEN), 0);
    poll_at(1000 + MVK_CHAN_OPEN_TIMEOUT_US);
    cr_assert_eq(mvGetChannelClosureReason(ch, r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_CLOSUREREASON_CONNECTIONTERMINATED);
    fake_conn_set_space(UINT32_MAX);
    mvk_session_writable();
    cr_expect_eq(fake_conn_count_type(MVP_OPEN), 0);
    cr_expect_eq(fake_conn_count_type(MVP_CLOSE), 0);
}

Test(chan, earliest_open_deadline_is_the_kernel_deadline)
{
    MvChannelHandle a, b;
    enum MvClosureReason *r = kt_alloc(sizeof *r);

    fake_port_set_now(1000);
    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &a), MV_STATUS_OKAY);
    fake_port_set_now(4000);
    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_OPAQUEBYTES, 1024, 64, &b), MV_STATUS_OKAY);
    cr_expect_eq(mvk_kernel_next_deadline_us(), 1000 + MVK_CHAN_OPEN_TIMEOUT_US);
    poll_at(1000 + MVK_CHAN_OPEN_TIMEOUT_US);
    cr_expect_eq(mvk_kernel_next_deadline_us(), 4000 + MVK_CHAN_OPEN_TIMEOUT_US);
    cr_assert_eq(mvGetChannelClosureReason(b, r), MV_STATUS_OKAY);
    cr_expect_eq(*r, MV_CLOSUREREASON_NONE);
}
