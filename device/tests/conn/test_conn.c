/* The connection state machine against a scripted relay over a plaintext fake
 * transport: connect, HELLO/WELCOME, keepalive, GOAWAY, errors, transmit queue and
 * backoff. Time is passed explicitly, so nothing depends on the wall clock. */
#include <criterion/criterion.h>
#include <string.h>

#include "backoff.h"
#include "conn.h"
#include "conn_diag.h"
#include "conn_limits.h"
#include "fakes.h"
#include "mvp/ctrl.h"
#include "mvp/log.h"
#include "mvp/wire.h"
#include "ws.h"

#define T0 1000000000ull
#define SEC 1000000ull

static struct fake_frame got[FAKE_MAX_FRAMES];

static void setup(void)
{
    fake_relay_reset();
    fake_session_reset();
    fake_rand_value = 0;
    mvk_conn_init();
    mvk_conn_set_io(&fake_io);
}

TestSuite(conn, .init = setup);

/* Drives a fresh connection up to UP at time now. */
static void bring_up(uint64_t now, uint32_t ping_s, uint32_t max_payload)
{
    mvk_conn_set_wanted(1);
    mvk_conn_poll(now);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_CONNECTING);
    cr_assert_eq(fake_relay_accept(NULL), 0, "device sent an upgrade request");
    fake_relay_welcome(ping_s, max_payload);
    mvk_conn_poll(now);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_UP);
}

static int count_type(int n, uint8_t type)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += got[i].type == type;
    return c;
}

Test(conn, idle_until_wanted)
{
    mvk_conn_poll(T0);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_IDLE);
    cr_assert_eq(fr.opens, 0);
    cr_assert_eq(mvk_conn_next_deadline_us(), UINT64_MAX);
    mvk_conn_set_wanted(1);
    cr_assert_eq(mvk_conn_next_deadline_us(), 0, "wanted: poll at once");
}

Test(conn, connects_sends_hello_and_goes_up)
{
    struct mvp_hello h;
    bring_up(T0, 30, 16384);
    int n = fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(n, 1);
    cr_assert_eq(got[0].type, MVP_HELLO);
    cr_assert_eq(got[0].chan, 0);
    cr_assert_eq(mvp_hello_decode(got[0].payload, got[0].len, &h), 0);
    cr_assert_eq(h.boot_id, 0x1122334455667788ull);
    cr_assert_eq(h.log_next_seq, 5);
    cr_assert_eq(h.ver_min, 1);
    cr_assert_eq(h.ver_max, 1);
    /* The firmware name comes from the port. */
    cr_assert_eq(h.fw_version_len, strlen(FAKE_FW_VERSION));
    cr_assert_arr_eq(h.fw_version, FAKE_FW_VERSION, strlen(FAKE_FW_VERSION));
    cr_assert_eq(fs.ups, 1);
    cr_assert_eq(fs.last_welcome.log_acked_seq, 4);
    cr_assert_eq(mvk_conn_stats()->sessions, 1);
}

Test(conn, waits_for_tls_handshake_before_upgrade)
{
    fr.handshake_steps = 3;
    mvk_conn_set_wanted(1);
    for (int i = 0; i < 3; i++) {
        mvk_conn_poll(T0 + (uint64_t)i);
        cr_assert_eq(mvk_conn_state(), MVK_CONN_CONNECTING);
        cr_assert_eq(fr.up_len, 0, "nothing sent before the handshake completes");
    }
    mvk_conn_poll(T0 + 3);
    cr_assert_gt(fr.up_len, 0);
}

Test(conn, tls_failure_backs_off_without_session_down)
{
    fr.hs_result = -1;
    fr.last_error = -0x7780; /* an mbedTLS error: the TLS layer failed */
    mvk_conn_set_wanted(1);
    mvk_conn_poll(T0);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_TLS);
    cr_assert_eq(fs.downs, 0);
    cr_assert_eq(fr.closes, 1);
    cr_assert_eq(mvk_conn_next_deadline_us(), T0 + MVK_BACKOFF_FLOOR_MS * 1000ull);
}

/* A handshake that fails without a TLS error means the link never connected (refused,
 * unreachable): reported as a link failure, so the port can say so. */
Test(conn, handshake_failure_without_tls_error_is_a_link_failure)
{
    fr.hs_result = -1;
    fr.last_error = 0;
    mvk_conn_set_wanted(1);
    mvk_conn_poll(T0);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_expect_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_LINK);
    cr_expect_eq(mvk_conn_stats()->last_detail, 0);
}

Test(conn, connect_timeout)
{
    fr.handshake_steps = 1000;
    mvk_conn_set_wanted(1);
    mvk_conn_poll(T0);
    cr_assert_eq(mvk_conn_next_deadline_us(), T0 + MVK_CONN_CONNECT_TIMEOUT_US);
    mvk_conn_poll(T0 + MVK_CONN_CONNECT_TIMEOUT_US - 1);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_CONNECTING);
    mvk_conn_poll(T0 + MVK_CONN_CONNECT_TIMEOUT_US);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_TIMEOUT);
}

Test(conn, welcome_timeout)
{
    mvk_conn_set_wanted(1);
    mvk_conn_poll(T0);
    cr_assert_eq(fake_relay_accept(NULL), 0);
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_CONNECTING);
    mvk_conn_poll(T0 + 1 + MVK_CONN_WELCOME_TIMEOUT_US);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_TIMEOUT);
    cr_assert_eq(fs.ups, 0);
}

Test(conn, bad_upgrade_response_fails)
{
    const char *resp = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";
    mvk_conn_set_wanted(1);
    mvk_conn_poll(T0);
    fake_relay_push((const uint8_t *)resp, strlen(resp));
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_UPGRADE);
}

Test(conn, upgrade_response_with_extension_fails)
{
    mvk_conn_set_wanted(1);
    mvk_conn_poll(T0);
    cr_assert_eq(fake_relay_accept("Sec-WebSocket-Extensions: permessage-deflate\r\n"), 0);
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_UPGRADE);
}

Test(conn, frame_before_welcome_is_a_protocol_error)
{
    const uint8_t w[4] = {0, 0, 16, 0};
    mvk_conn_set_wanted(1);
    mvk_conn_poll(T0);
    cr_assert_eq(fake_relay_accept(NULL), 0);
    fake_relay_frame(MVP_WINDOW, 1, w, sizeof(w));
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_PROTO);
    int n = fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(count_type(n, MVP_ERROR), 1, "device told the relay why");
}

Test(conn, error_instead_of_welcome_fails)
{
    uint8_t p[32];
    struct mvp_error e = {MVP_E_BAD_VERSION, MVP_HELLO, NULL, 0};
    int n = mvp_error_encode(&e, p, sizeof(p));
    mvk_conn_set_wanted(1);
    mvk_conn_poll(T0);
    cr_assert_eq(fake_relay_accept(NULL), 0);
    fake_relay_frame(MVP_ERROR, 0, p, (uint32_t)n);
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_RELAY_ERROR);
    cr_assert_eq(mvk_conn_stats()->errors_rx, 1);
}

Test(conn, ping_is_answered_with_pong)
{
    uint8_t p[8];
    uint64_t v = 0;
    bring_up(T0, 30, 16384);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(mvp_u64_encode(0xabcdef0123456789ull, p, sizeof(p)), 8);
    fake_relay_frame(MVP_PING, 0, p, 8);
    mvk_conn_poll(T0 + SEC);
    int n = fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(n, 1);
    cr_assert_eq(got[0].type, MVP_PONG);
    cr_assert_eq(mvp_u64_decode(got[0].payload, got[0].len, &v), 0);
    cr_assert_eq(v, 0xabcdef0123456789ull);
    cr_assert_eq(fs.nframes, 0, "PING is conn's, not the session's");
}

Test(conn, websocket_ping_gets_websocket_pong)
{
    const uint8_t ping[] = {0x89, 2, 'h', 'i'};
    bring_up(T0, 30, 16384);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    fake_relay_push(ping, sizeof(ping));
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(fake_relay_read(got, FAKE_MAX_FRAMES), 0);
    cr_assert_eq(fake_relay_nops, 1);
    cr_assert_eq(fake_relay_ops[0], MVK_WS_OP_PONG);
}

Test(conn, silence_for_three_intervals_reconnects)
{
    uint8_t p[8];
    bring_up(T0, 1, 16384);
    mvk_conn_poll(T0 + 3 * SEC);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_UP, "exactly 3 intervals is still alive");
    cr_assert_eq(mvk_conn_next_deadline_us(), T0 + 3 * SEC + 1);
    (void)mvp_u64_encode(1, p, sizeof(p));
    fake_relay_frame(MVP_PING, 0, p, 8);
    mvk_conn_poll(T0 + 3 * SEC);
    mvk_conn_poll(T0 + 6 * SEC);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_UP, "traffic reset the silence timer");
    mvk_conn_poll(T0 + 6 * SEC + 1);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_KEEPALIVE);
    cr_assert_eq(fs.downs, 1);
}

Test(conn, goaway_closes_and_waits_retry_after)
{
    uint8_t p[64];
    struct mvp_goaway g = {1, 2000, (const uint8_t *)"drain", 5};
    int n = mvp_goaway_encode(&g, p, sizeof(p));
    bring_up(T0, 30, 16384);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    fake_relay_frame(MVP_GOAWAY, 0, p, (uint32_t)n);
    mvk_conn_poll(T0 + SEC);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(fs.downs, 1);
    cr_assert_eq(mvk_conn_next_deadline_us(), T0 + SEC + 2000 * 1000ull);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(fake_relay_nops, 1);
    cr_assert_eq(fake_relay_ops[0], MVK_WS_OP_CLOSE);
    mvk_conn_poll(T0 + SEC + 1999 * 1000ull);
    cr_assert_eq(fr.opens, 1);
    mvk_conn_poll(T0 + SEC + 2000 * 1000ull);
    cr_assert_eq(fr.opens, 2, "reconnects after retry_after_ms");
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_REPLACED, "reason 1 is REPLACED");
}

Test(conn, goaway_reason_tells_shutdown_from_replacement)
{
    uint8_t p[64];
    struct mvp_goaway g = {MVP_GOAWAY_SHUTDOWN, 1000, (const uint8_t *)"bye", 3};
    int n = mvp_goaway_encode(&g, p, sizeof(p));
    bring_up(T0, 30, 16384);
    fake_relay_frame(MVP_GOAWAY, 0, p, (uint32_t)n);
    mvk_conn_poll(T0 + SEC);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_GOAWAY);
    cr_assert_str_eq(mvk_conn_fail_name(MVK_CONN_FAIL_REPLACED), "replaced");
}

Test(conn, session_frames_are_forwarded)
{
    const uint8_t data[3] = {9, 8, 7};
    uint8_t ack[16];
    int n = mvp_log_ack_encode(0x1122334455667788ull, 9, ack, sizeof(ack));
    bring_up(T0, 30, 16384);
    fake_relay_frame(MVP_DATA, 3, data, sizeof(data));
    fake_relay_frame(MVP_LOG_ACK, 0, ack, (uint32_t)n);
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(fs.nframes, 2);
    cr_assert_eq(fs.frames[0].type, MVP_DATA);
    cr_assert_eq(fs.frames[0].chan, 3);
    cr_assert_arr_eq(fs.frames[0].payload, data, 3);
    cr_assert_eq(fs.frames[1].type, MVP_LOG_ACK);
}

Test(conn, unknown_types_answered_unless_ignorable)
{
    const uint8_t unknown[] = {0x82, 8, 0x7f, 0, 0, 0, 0, 0, 0, 0};
    const uint8_t ignorable[] = {0x82, 8, 0x7e, MVP_FLAG_IGNORABLE, 0, 0, 0, 0, 0, 0};
    struct mvp_error e;
    bring_up(T0, 30, 16384);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    fake_relay_push(unknown, sizeof(unknown));
    fake_relay_push(ignorable, sizeof(ignorable));
    mvk_conn_poll(T0 + 1);
    int n = fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(n, 1);
    cr_assert_eq(got[0].type, MVP_ERROR);
    cr_assert_eq(mvp_error_decode(got[0].payload, got[0].len, &e), 0);
    cr_assert_eq(e.code, MVP_E_UNKNOWN_TYPE);
    cr_assert_eq(e.frame_type, 0x7f);
    cr_assert_eq(fs.nframes, 0);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_UP);
}

Test(conn, frames_may_span_and_share_websocket_messages)
{
    /* Two DATA frames in one message, the second split over a second message. */
    uint8_t a[MVP_HDR_LEN + 2], b[MVP_HDR_LEN + 4];
    uint8_t m1[2 + sizeof(a) + 5], m2[2 + sizeof(b) - 5];
    (void)mvp_frame_encode(MVP_DATA, 0, 1, (const uint8_t *)"xy", 2, a, sizeof(a));
    (void)mvp_frame_encode(MVP_DATA, 0, 2, (const uint8_t *)"abcd", 4, b, sizeof(b));
    m1[0] = 0x82;
    m1[1] = (uint8_t)(sizeof(m1) - 2);
    memcpy(m1 + 2, a, sizeof(a));
    memcpy(m1 + 2 + sizeof(a), b, 5);
    m2[0] = 0x82;
    m2[1] = (uint8_t)(sizeof(m2) - 2);
    memcpy(m2 + 2, b + 5, sizeof(b) - 5);
    bring_up(T0, 30, 16384);
    fake_relay_push(m1, sizeof(m1));
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(fs.nframes, 1);
    fake_relay_push(m2, sizeof(m2));
    mvk_conn_poll(T0 + 2);
    cr_assert_eq(fs.nframes, 2);
    cr_assert_eq(fs.frames[1].chan, 2);
    cr_assert_arr_eq(fs.frames[1].payload, "abcd", 4);
}

Test(conn, oversized_frame_header_closes)
{
    const uint8_t big[] = {0x82, 8, MVP_DATA, 0, 0, 1, 0, 0, 0x40, 0x01}; /* 16385 */
    bring_up(T0, 30, 16384);
    fake_relay_push(big, sizeof(big));
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_PROTO);
    cr_assert_eq(fs.downs, 1);
}

Test(conn, websocket_violation_closes_with_code)
{
    const uint8_t text[] = {0x81, 1, 'x'};
    bring_up(T0, 30, 16384);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    fake_relay_push(text, sizeof(text));
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_WS);
    cr_assert_eq(mvk_conn_stats()->last_detail, -MVK_WS_E_TEXT);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(fake_relay_nops, 1);
    cr_assert_eq(fake_relay_ops[0], MVK_WS_OP_CLOSE);
}

Test(conn, relay_close_and_link_loss_reconnect)
{
    const uint8_t close[] = {0x88, 2, 0x03, 0xe9};
    bring_up(T0, 30, 16384);
    fake_relay_push(close, sizeof(close));
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_CLOSED);
    cr_assert_eq(mvk_conn_stats()->last_detail, 1001);
    cr_assert_eq(fs.downs, 1);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(fake_relay_ops[fake_relay_nops - 1], MVK_WS_OP_CLOSE, "close answered");
    /* Next attempt, then the link drops while up. */
    mvk_conn_poll(mvk_conn_next_deadline_us());
    cr_assert_eq(fake_relay_accept(NULL), 0);
    fake_relay_welcome(30, 16384);
    mvk_conn_poll(T0 + SEC);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_UP);
    fr.closed = 1;
    mvk_conn_poll(T0 + 2 * SEC);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(fs.downs, 2);
    cr_assert_eq(fs.ups, 2);
}

Test(conn, backoff_grows_and_resets_after_a_session)
{
    uint64_t now = T0;
    fake_rand_value = UINT32_MAX;
    fr.open_rc = -1;
    mvk_conn_set_wanted(1);
    for (uint32_t k = 0; k < 8; k++) {
        mvk_conn_poll(now);
        cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
        uint64_t d = mvk_conn_next_deadline_us() - now;
        cr_assert_eq(d, mvk_backoff_delay_ms(k, MVK_BACKOFF_CAP_MS, UINT32_MAX) * 1000ull,
                     "attempt %u", k);
        now += d;
    }
    fr.open_rc = 0;
    mvk_conn_poll(now);
    cr_assert_eq(fake_relay_accept(NULL), 0);
    fake_relay_welcome(30, 16384);
    mvk_conn_poll(now);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_UP);
    fr.closed = 1;
    mvk_conn_poll(now + 1);
    cr_assert_eq(mvk_conn_next_deadline_us() - (now + 1),
                 mvk_backoff_delay_ms(0, MVK_BACKOFF_RECENT_CAP_MS, UINT32_MAX) * 1000ull,
                 "reset after a session");
}

/* After a session ends, a relay restart should not cost up to 30 s: the ceiling stays at
 * the recent cap for MVK_BACKOFF_RECENT_US, then grows to the full cap again. */
Test(conn, backoff_stays_low_right_after_a_session)
{
    uint64_t now = T0;
    fake_rand_value = UINT32_MAX;
    bring_up(now, 30, 16384);
    fr.closed = 1;
    fr.open_rc = -1;
    uint64_t down = now + 1;
    mvk_conn_poll(down);
    now = down;
    uint32_t k = 0;
    for (; now - down < MVK_BACKOFF_RECENT_US; k++) {
        uint64_t d = mvk_conn_next_deadline_us() - now;
        cr_assert_eq(d, mvk_backoff_delay_ms(k, MVK_BACKOFF_RECENT_CAP_MS, UINT32_MAX) * 1000ull,
                     "attempt %u, %llu us after the session", k,
                     (unsigned long long)(now - down));
        now += d;
        mvk_conn_poll(now);
    }
    cr_assert_gt(k, 8, "many attempts within the minute, each under the recent cap");
    uint64_t d = mvk_conn_next_deadline_us() - now;
    cr_assert_eq(d, mvk_backoff_delay_ms(k, MVK_BACKOFF_CAP_MS, UINT32_MAX) * 1000ull,
                 "a minute later the full cap applies again");
    cr_assert_gt(d, (MVK_BACKOFF_FLOOR_MS + MVK_BACKOFF_RECENT_CAP_MS) * 1000ull);
}

Test(conn, send_needs_a_session_and_coalesces)
{
    cr_assert_eq(mvk_conn_send(MVP_DATA, 1, (const uint8_t *)"a", 1), -1);
    cr_assert_eq(mvk_conn_send_space(), 0);
    bring_up(T0, 30, 16384);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(mvk_conn_send(MVP_DATA, 1, (const uint8_t *)"a", 1), 0);
    cr_assert_eq(mvk_conn_send(MVP_DATA, 2, (const uint8_t *)"bc", 2), 0);
    cr_assert_eq(mvk_conn_next_deadline_us(), 0, "queued output: poll at once");
    mvk_conn_poll(T0 + 1);
    int n = fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(n, 2);
    cr_assert_eq(fake_relay_nops, 1, "both frames in one WebSocket message");
    cr_assert_eq(got[1].chan, 2);
    cr_assert_arr_eq(got[1].payload, "bc", 2);
}

Test(conn, max_payload_from_welcome_bounds_sends)
{
    static uint8_t big[4000];
    bring_up(T0, 30, MVP_MIN_FRAME_PAYLOAD);
    cr_assert_eq(mvk_conn_send_space(), MVP_MIN_FRAME_PAYLOAD);
    cr_assert_eq(mvk_conn_send(MVP_DATA, 1, big, MVP_MIN_FRAME_PAYLOAD + 1), -1);
    cr_assert_eq(mvk_conn_send(MVP_DATA, 1, big, MVP_MIN_FRAME_PAYLOAD), 0);
}

Test(conn, full_queue_returns_minus_two_then_writable)
{
    static uint8_t big[MVP_MAX_FRAME_PAYLOAD];
    bring_up(T0, 30, MVP_MAX_FRAME_PAYLOAD);
    fr.send_limit = 0; /* the link takes nothing for now */
    mvk_conn_poll(T0 + 1);
    int sent = 0;
    /* Fill the queue, let one batch move into the (stuck) wire buffer, fill again. */
    for (int round = 0; round < 2; round++) {
        while (mvk_conn_send(MVP_DATA, 1, big, sizeof(big)) == 0)
            sent++;
        cr_assert_eq(mvk_conn_send(MVP_DATA, 1, big, sizeof(big)), -2);
        cr_assert_lt(mvk_conn_send_space(), sizeof(big));
        mvk_conn_poll(T0 + 2);
        cr_assert_eq(fs.writables, 1, "writable once a whole frame fits, not before");
    }
    cr_assert_geq(sent, 2);
    cr_assert_eq(mvk_conn_send(MVP_DATA, 1, big, sizeof(big)), -2, "still stuck");
    fr.send_limit = (size_t)-1;
    mvk_conn_poll(T0 + 3);
    cr_assert_eq(fs.writables, 2);
    cr_assert_eq(mvk_conn_send(MVP_DATA, 1, big, sizeof(big)), 0);
    mvk_conn_poll(T0 + 4);
    int n = fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(count_type(n, MVP_DATA), sent + 1, "every queued frame arrived intact");
}

Test(conn, partial_sends_resume_where_they_stopped)
{
    bring_up(T0, 30, 16384);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    fr.send_limit = 5;
    cr_assert_eq(mvk_conn_send(MVP_DATA, 7, (const uint8_t *)"hello world", 11), 0);
    mvk_conn_poll(T0 + 1);
    cr_assert_neq(mvk_conn_next_deadline_us(), 0, "waiting for the link, not spinning");
    fr.send_limit = (size_t)-1;
    mvk_conn_poll(T0 + 2);
    int n = fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(n, 1);
    cr_assert_arr_eq(got[0].payload, "hello world", 11);
}

Test(conn, not_wanted_closes_cleanly)
{
    bring_up(T0, 30, 16384);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    mvk_conn_set_wanted(0);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_IDLE);
    cr_assert_eq(fs.downs, 1);
    cr_assert_eq(fr.closes, 1);
    (void)fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(fake_relay_nops, 1);
    cr_assert_eq(fake_relay_ops[0], MVK_WS_OP_CLOSE);
    mvk_conn_poll(T0 + 100 * SEC);
    cr_assert_eq(fr.opens, 1, "stays idle");
}

Test(conn, session_hanging_up_mid_batch_stops_processing)
{
    const uint8_t data[1] = {1};
    bring_up(T0, 30, 16384);
    fs.drop_on_frame = 1;
    fake_relay_frame(MVP_DATA, 1, data, 1);
    fake_relay_frame(MVP_DATA, 1, data, 1);
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_IDLE);
    cr_assert_eq(fs.nframes, 1);
    cr_assert_eq(fs.downs, 1);
}

Test(conn, session_may_send_from_session_up)
{
    fs.send_on_up = 1;
    bring_up(T0, 30, 16384);
    int n = fake_relay_read(got, FAKE_MAX_FRAMES);
    cr_assert_eq(count_type(n, MVP_DATA), 1);
}

Test(conn, second_welcome_is_a_protocol_error)
{
    bring_up(T0, 30, 16384);
    fake_relay_welcome(30, 16384);
    mvk_conn_poll(T0 + 1);
    cr_assert_eq(mvk_conn_state(), MVK_CONN_BACKOFF);
    cr_assert_eq(mvk_conn_stats()->last_fail, MVK_CONN_FAIL_PROTO);
}
