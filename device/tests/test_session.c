/* Session glue (session.c): HELLO fields, frame dispatch, unknown frame types, and the
 * typed-message API of chan.h used by the HTTP/MQTT/config modules. */
#include <criterion/criterion.h>
#include <string.h>

#include "chan.h"
#include "fakes.h"
#include "mvp/frame.h"
#include "mvp/msg.h"
#include "mvp/wire.h"

TestSuite(session, .init = kt_boot);

Test(session, boot_id_is_random_nonzero_and_log_seq_starts_at_one)
{
    cr_expect_neq(mvk_session_boot_id(), 0u);
    cr_expect_eq(mvk_session_log_next_seq(), 1u);
}

Test(session, unknown_type_is_answered_with_error)
{
    kt_session_up(0, 0);
    kt_inject(0x7f, 0, NULL, 0);
    const struct fake_frame *f = fake_conn_last(MVP_ERROR);
    cr_assert_not_null(f);
    cr_expect_eq(kt_be32(f->payload), (uint32_t)MVP_E_UNKNOWN_TYPE);
    cr_expect_eq(f->payload[4], 0x7f);
}

Test(session, ignorable_unknown_type_is_skipped)
{
    struct mvp_hdr h = {0x7e, MVP_FLAG_IGNORABLE, 0, 0};

    kt_session_up(0, 0);
    mvk_session_frame(&h, NULL);
    cr_expect_eq(fake_conn_count_type(MVP_ERROR), 0);
}

Test(session, relay_error_frame_is_not_answered)
{
    kt_session_up(0, 0);
    kt_inject(MVP_ERROR, 0, (const uint8_t *)"\0\0\0\7\6\0\0\0\0\0", 10);
    cr_expect_eq(fake_conn_count(), 0);
}

Test(session, channel_frame_on_control_channel_gets_error)
{
    kt_session_up(0, 0);
    kt_inject_u32(MVP_DATA, 0, 1);
    cr_expect_eq(fake_conn_count_type(MVP_ERROR), 1);
}

/* --- typed messages --- */
static MvChannelHandle typed_channel(uint16_t *id)
{
    MvNotificationHandle nh = kt_notify(3, NULL);
    MvNetworkHandle net = kt_network(nh);
    MvChannelHandle ch;

    cr_assert_eq(kt_open(nh, net, MV_CHANNELTYPE_HTTP, 1024, 256, &ch), MV_STATUS_OKAY);
    *id = fake_conn_last(MVP_OPEN)->chan;
    kt_inject_u32(MVP_OPEN_OK, *id, 65536);
    return ch;
}

Test(session, typed_lookup_checks_type_and_state)
{
    uint16_t id;
    MvChannelHandle ch = typed_channel(&id);
    struct mvk_chan *c;

    cr_expect_eq(mvk_chan_lookup(ch, MV_CHANNELTYPE_HTTP, &c), MV_STATUS_OKAY);
    cr_expect_eq(mvk_chan_lookup(ch, MV_CHANNELTYPE_MQTT, &c), MV_STATUS_INVALIDHANDLE);
    cr_expect_eq(mvk_chan_lookup(NULL, MV_CHANNELTYPE_HTTP, &c), MV_STATUS_INVALIDHANDLE);
    kt_inject_u32(MVP_CLOSE, id, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
    cr_expect_eq(mvk_chan_lookup(ch, MV_CHANNELTYPE_HTTP, &c), MV_STATUS_CHANNELCLOSED);
}

Test(session, send_msg_frames_body_and_is_all_or_nothing)
{
    uint16_t id;
    MvChannelHandle ch = typed_channel(&id);
    struct mvk_chan *c;
    static uint8_t body[300];

    cr_assert_eq(mvk_chan_lookup(ch, MV_CHANNELTYPE_HTTP, &c), MV_STATUS_OKAY);
    cr_assert_eq(mvk_chan_send_msg(c, MVP_MSG_HTTP_REQUEST, (const uint8_t *)"abc", 3),
                 MV_STATUS_OKAY);
    const struct fake_frame *f = fake_conn_last(MVP_DATA);
    cr_assert_not_null(f);
    cr_expect_eq(f->len, 11u);
    cr_expect_eq(f->payload[0], MVP_MSG_HTTP_REQUEST);
    cr_expect_eq(kt_be32(f->payload + 4), 3u);
    cr_expect_eq(memcmp(f->payload + 8, "abc", 3), 0);
    cr_expect_eq(mvk_chan_send_msg(c, MVP_MSG_HTTP_REQUEST, body, sizeof body),
                 MV_STATUS_INVALIDBUFFERSIZE);
}

Test(session, peek_waits_for_a_complete_message_then_consume_grants_credit)
{
    uint16_t id;
    MvChannelHandle ch = typed_channel(&id);
    struct mvk_chan *c;
    uint8_t msg[8 + 600] = {MVP_MSG_HTTP_RESPONSE, 0, 0, 0, 0, 0, 0x02, 0x58};
    uint8_t t;
    const uint8_t *b;
    uint32_t n;

    cr_assert_eq(mvk_chan_lookup(ch, MV_CHANNELTYPE_HTTP, &c), MV_STATUS_OKAY);
    msg[8] = 'x';
    int irqs = fake_port_irq_count(3);
    kt_inject(MVP_DATA, id, msg, 100);
    cr_expect_eq(mvk_chan_peek_msg(c, &t, &b, &n), MV_STATUS_RESPONSENOTPRESENT);
    cr_expect_eq(fake_port_irq_count(3), irqs); /* partial message: nothing readable */
    kt_inject(MVP_DATA, id, msg + 100, sizeof msg - 100);
    cr_expect_eq(fake_port_irq_count(3), irqs + 1);
    cr_assert_eq(mvk_chan_peek_msg(c, &t, &b, &n), MV_STATUS_OKAY);
    cr_expect_eq(t, MVP_MSG_HTTP_RESPONSE);
    cr_expect_eq(n, 600u);
    cr_expect_eq(b[0], 'x');
    mvk_chan_consume_msg(c);
    cr_expect_eq(mvk_chan_peek_msg(c, &t, &b, &n), MV_STATUS_RESPONSENOTPRESENT);
    cr_assert_not_null(fake_conn_last(MVP_WINDOW));
    cr_expect_eq(kt_be32(fake_conn_last(MVP_WINDOW)->payload), 608u);
}
