/* Unit tests for the device session without sockets: frames are fed as bytes and the
 * queued output frames are decoded. Covers HELLO rules, flow control, channel refusal,
 * config fetch limits, log acks and dedup, unknown types and oversized headers. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvp/cfg.h"
#include "mvp/ctrl.h"
#include "mvp/log.h"
#include "mvp/msg.h"
#include "mvr/session.h"

static char dir[] = "/tmp/mvr_sess_XXXXXX";
static struct mvr_store *st;
static struct mvr_session_env env;
static struct mvr_session *s;
static int hellos, log_notes;
static const char *DEV = "UV00000000000000000000000000000001";

static void on_hello(void *ctx, struct mvr_session *x) { (void)ctx; (void)x; hellos++; }
static void on_logs(void *ctx, const char *d) { (void)ctx; (void)d; log_notes++; }

static void setup(void)
{
    char path[256], err[256];
    const uint8_t key[32] = {7};
    strcpy(dir, "/tmp/mvr_sess_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    cr_assert_eq(mvr_store_open(path, key, &st, err, sizeof err), MVR_OK);
    cr_assert_eq(mvr_store_device_create(st, DEV, 1), MVR_OK);
    env = (struct mvr_session_env){.store = st, .ping_interval_s = 30, .initial_window = 1024,
                                   .on_hello = on_hello, .on_logs = on_logs};
    s = malloc(sizeof *s);
    mvr_session_init(s, &env, DEV, "127.0.0.1", 1000000);
    hellos = log_notes = 0;
}

static void teardown(void)
{
    char cmd[300];
    mvr_session_free(s);
    free(s);
    mvr_store_close(st);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(session, .init = setup, .fini = teardown);

static int feed_frame(uint8_t type, uint8_t flags, uint16_t chan, const uint8_t *p, uint32_t n)
{
    static uint8_t buf[MVP_HDR_LEN + MVP_MAX_FRAME_PAYLOAD];
    int len = mvp_frame_encode(type, flags, chan, p, n, buf, sizeof buf);
    cr_assert_geq(len, 0);
    return mvr_session_feed(s, buf, (size_t)len, 2000000);
}

/* Pops the next output frame into *h and payload buf; 0 if the queue is empty. */
static int pop(struct mvp_hdr *h, uint8_t *payload, size_t cap)
{
    mvr_store_settle(st); /* store calls (config fetch) answer from their done */
    struct mvr_out *o = mvr_session_pop(s);
    if (!o)
        return 0;
    cr_assert_eq(mvp_hdr_decode(o->data + MVR_OUT_PRE, h, MVP_MAX_FRAME_PAYLOAD), 0);
    cr_assert_leq(h->len, cap);
    memcpy(payload, o->data + MVR_OUT_PRE + MVP_HDR_LEN, h->len);
    free(o);
    return 1;
}

static void hello(void)
{
    uint8_t b[64];
    struct mvp_hello h = {.ver_min = 1, .ver_max = 1, .boot_id = 0xb007, .log_next_seq = 1};
    int n = mvp_hello_encode(&h, b, sizeof b);
    cr_assert_eq(feed_frame(MVP_HELLO, 0, 0, b, (uint32_t)n), 0);
    struct mvp_hdr hd;
    uint8_t p[64];
    cr_assert(pop(&hd, p, sizeof p));
    cr_assert_eq(hd.type, MVP_WELCOME);
}

static void open_chan(uint16_t id, uint32_t type, uint32_t window)
{
    uint8_t b[64];
    struct mvp_open o = {.chan_type = type, .window = window};
    int n = mvp_open_encode(&o, b, sizeof b);
    cr_assert_eq(feed_frame(MVP_OPEN, 0, id, b, (uint32_t)n), 0);
}

Test(session, frame_before_hello_is_fatal)
{
    uint8_t ping[8] = {0};
    cr_assert_eq(feed_frame(MVP_PING, 0, 0, ping, 8), -1);
    cr_assert_eq(s->close, MVR_CLOSE_PROTOCOL);
    struct mvp_hdr h;
    uint8_t p[300];
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_ERROR);
    cr_assert_eq(hellos, 0);
}

Test(session, welcome_carries_window_and_no_acked_seq)
{
    uint8_t b[64];
    struct mvp_hello h = {.ver_min = 1, .ver_max = 3, .boot_id = 5, .log_next_seq = 1};
    int n = mvp_hello_encode(&h, b, sizeof b);
    cr_assert_eq(feed_frame(MVP_HELLO, 0, 0, b, (uint32_t)n), 0);
    struct mvp_hdr hd;
    uint8_t p[64];
    struct mvp_welcome w;
    cr_assert(pop(&hd, p, sizeof p));
    cr_assert_eq(mvp_welcome_decode(p, hd.len, &w), 0);
    cr_assert_eq(w.version, 1);
    cr_assert_eq(w.initial_window, 1024);
    cr_assert_eq(w.flags & MVP_WELCOME_LOG_ACKED_VALID, 0);
    cr_assert_eq(hellos, 1);
}

Test(session, data_beyond_credit_resets_channel)
{
    hello();
    open_chan(1, 3, 4096);
    struct mvp_hdr h;
    uint8_t p[64];
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_OPEN_OK);
    static uint8_t big[2000];
    cr_assert_eq(feed_frame(MVP_DATA, 0, 1, big, sizeof big), 0);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_CLOSE);
    cr_assert_eq(h.chan, 1);
    uint32_t reason;
    cr_assert_eq(mvp_u32_decode(p, h.len, &reason), 0);
    cr_assert_eq(reason, 2);
    /* The channel is gone: more DATA is answered with ERROR, the session lives on. */
    cr_assert_eq(feed_frame(MVP_DATA, 0, 1, big, 10), 0);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_ERROR);
    cr_assert_eq(s->close, MVR_CLOSE_NONE);
}

Test(session, window_granted_after_half_consumed)
{
    hello();
    open_chan(1, 3, 4096);
    struct mvp_hdr h;
    uint8_t p[8192];
    cr_assert(pop(&h, p, sizeof p));
    /* Two requests of > 256 bytes each: 512+ of 1024 consumed -> WINDOW. */
    struct mvp_cfg_key k[4];
    char key[100];
    memset(key, 'k', sizeof key);
    for (int i = 0; i < 4; i++)
        k[i] = (struct mvp_cfg_key){.scope = 0, .store = 1, .key = (const uint8_t *)key,
                                    .key_len = sizeof key};
    uint8_t msg[1024];
    int bl = mvp_cfg_req_encode(k, 4, msg + 8, sizeof msg - 8);
    cr_assert_gt(bl, 256);
    mvp_msg_hdr_encode(MVP_MSG_CFG_REQUEST, (uint32_t)bl, msg);
    cr_assert_eq(feed_frame(MVP_DATA, 0, 1, msg, 8u + (uint32_t)bl), 0);
    cr_assert_eq(feed_frame(MVP_DATA, 0, 1, msg, 8u + (uint32_t)bl), 0);
    int windows = 0, data = 0;
    while (pop(&h, p, sizeof p)) {
        windows += h.type == MVP_WINDOW;
        data += h.type == MVP_DATA;
    }
    cr_assert_eq(windows, 1);
    cr_assert_eq(data, 2);
}

Test(session, cfg_response_too_large_for_window)
{
    char big[1100];
    memset(big, 'x', sizeof big);
    cr_assert_eq(mvr_store_kv_put(st, MVR_KV_CONFIG, NULL, "big", big, sizeof big, 1), MVR_OK);
    hello();
    open_chan(1, 3, 1024); /* the smallest window; the answer needs more */
    struct mvp_hdr h;
    uint8_t p[256];
    cr_assert(pop(&h, p, sizeof p));
    struct mvp_cfg_key k = {.scope = 0, .store = 1, .key = (const uint8_t *)"big", .key_len = 3};
    uint8_t msg[64];
    int bl = mvp_cfg_req_encode(&k, 1, msg + 8, sizeof msg - 8);
    mvp_msg_hdr_encode(MVP_MSG_CFG_REQUEST, (uint32_t)bl, msg);
    cr_assert_eq(feed_frame(MVP_DATA, 0, 1, msg, 8u + (uint32_t)bl), 0);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_DATA);
    struct mvp_cfg_item items[1];
    uint8_t result;
    size_t n = 9;
    cr_assert_eq(mvp_cfg_resp_decode(p + 8, h.len - 8, &result, items, 1, &n), 0);
    cr_assert_eq(result, 1);
    cr_assert_eq(n, 0);
}

Test(session, refused_channel_types)
{
    hello();
    open_chan(1, 2, 4096);
    open_chan(2, 0, 4096);
    open_chan(2, 3, 4096); /* id not increasing */
    struct mvp_hdr h;
    uint8_t p[300];
    struct mvp_open_err e;
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_OPEN_ERR);
    cr_assert_eq(mvp_open_err_decode(p, h.len, &e), 0);
    cr_assert_eq(e.status, 0xa);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(mvp_open_err_decode(p, h.len, &e), 0);
    cr_assert_eq(e.status, 0xd);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_ERROR);
}

static int send_logs(uint32_t first, uint32_t n)
{
    uint8_t b[1024];
    struct mvp_log_writer lw;
    mvp_log_writer_init(&lw, b, sizeof b, 0xb007);
    for (uint32_t i = 0; i < n; i++) {
        struct mvp_log_rec r = {.seq = first + i, .kind = MVP_LOG_KIND_MSG,
                                .msg = (const uint8_t *)"m", .msg_len = 1};
        cr_assert_eq(mvp_log_writer_add(&lw, &r), 0);
    }
    int len = mvp_log_writer_end(&lw);
    return feed_frame(MVP_LOG, 0, 0, b, (uint32_t)len);
}

Test(session, log_batch_acked_and_duplicates_not_renotified)
{
    hello();
    cr_assert_eq(send_logs(1, 3), 0);
    mvr_store_sync(st);
    mvr_store_poll(st);
    struct mvp_hdr h;
    uint8_t p[64];
    uint64_t boot;
    uint32_t seq;
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_LOG_ACK);
    cr_assert_eq(mvp_log_ack_decode(p, h.len, &boot, &seq), 0);
    cr_assert_eq(seq, 3);
    cr_assert_eq(log_notes, 1);
    cr_assert_eq(send_logs(1, 3), 0);
    mvr_store_sync(st);
    mvr_store_poll(st);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_LOG_ACK, "duplicates are still acknowledged");
    cr_assert_eq(log_notes, 1, "nothing new stored, nothing to fan out");
}

Test(session, unknown_and_ignorable_types)
{
    hello();
    cr_assert_eq(feed_frame(0x70, MVP_FLAG_IGNORABLE, 0, NULL, 0), 0);
    struct mvp_hdr h;
    uint8_t p[300];
    cr_assert_eq(pop(&h, p, sizeof p), 0);
    cr_assert_eq(feed_frame(0x70, 0, 0, NULL, 0), 0);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_ERROR);
    struct mvp_error e;
    cr_assert_eq(mvp_error_decode(p, h.len, &e), 0);
    cr_assert_eq(e.code, MVP_E_UNKNOWN_TYPE);
    cr_assert_eq(e.frame_type, 0x70);
}

Test(session, oversized_header_closes)
{
    hello();
    uint8_t hdr[8] = {MVP_DATA, 0, 0, 1, 0, 0, 0x40, 1}; /* len 16385 */
    cr_assert_eq(mvr_session_feed(s, hdr, sizeof hdr, 3000000), -1);
    cr_assert_eq(s->close, MVR_CLOSE_PROTOCOL);
}

Test(session, silence_and_missing_hello_time_out)
{
    cr_assert_eq(mvr_session_tick(s, 1000000 + 5 * 1000000LL), 0);
    cr_assert_eq(mvr_session_tick(s, 1000000 + 11 * 1000000LL), -1);
}

Test(session, ping_sent_each_interval_and_idle_closes)
{
    hello(); /* last_rx at 2 s */
    cr_assert_eq(mvr_session_tick(s, 2000000 + 31 * 1000000LL), 0);
    struct mvp_hdr h;
    uint8_t p[16];
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_PING);
    cr_assert_eq(mvr_session_tick(s, 2000000 + 91 * 1000000LL), -1);
}

/* The 1 Hz sweep skips a session until mvr_session_idle_until: nothing may fall due
 * earlier (the PING, the silence limit), and a session with anything going on is due
 * every tick. */
Test(session, idle_until_is_the_next_ping_or_the_silence_limit)
{
    struct mvp_hdr h;
    uint8_t p[16];
    cr_assert_eq(mvr_session_idle_until(s), 0, "no WELCOME yet: every tick");
    hello(); /* last_rx at 2 s, last_ping at 1 s (connect) */
    int64_t t = mvr_session_idle_until(s);
    cr_assert_eq(t, 31000000);
    cr_assert_eq(mvr_session_tick(s, t - 1), 0);
    cr_assert_eq(mvr_session_pop(s), NULL, "nothing before the due time");
    cr_assert_eq(mvr_session_tick(s, t), 0);
    cr_assert_eq(mvr_session_idle_until(s), 0, "a queued PING: every tick");
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_PING);
    cr_assert_eq(mvr_session_idle_until(s), 61000000);
    cr_assert_eq(mvr_session_tick(s, 61000000), 0);
    cr_assert(pop(&h, p, sizeof p));
    /* silent since 2 s: the limit (3 intervals) comes before the next PING at 121 s */
    cr_assert_eq(mvr_session_idle_until(s), 91000000);
    cr_assert_eq(mvr_session_tick(s, 91000000), 0);
    cr_assert(pop(&h, p, sizeof p));
    t = mvr_session_idle_until(s);
    cr_assert_eq(t, 92000001);
    cr_assert_eq(mvr_session_tick(s, t - 1), 0);
    cr_assert_eq(mvr_session_tick(s, t), -1);
    cr_assert_eq(mvr_session_idle_until(s), 0, "closing: every tick");
}

Test(session, idle_until_zero_with_a_channel_open)
{
    hello();
    open_chan(1, 3, 4096); /* config fetch, as above */
    struct mvp_hdr h;
    uint8_t p[64];
    while (pop(&h, p, sizeof p))
        ;
    cr_assert_eq(mvr_session_idle_until(s), 0);
}

Test(session, malformed_config_request_resets_channel)
{
    hello();
    open_chan(1, 3, 4096);
    struct mvp_hdr h;
    uint8_t p[64];
    cr_assert(pop(&h, p, sizeof p));
    uint8_t msg[8 + 3] = {0};
    mvp_msg_hdr_encode(MVP_MSG_CFG_REQUEST, 3, msg); /* count 0: invalid */
    cr_assert_eq(feed_frame(MVP_DATA, 0, 1, msg, sizeof msg), 0);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_CLOSE);
    cr_assert_eq(s->close, MVR_CLOSE_NONE);
}

Test(session, unknown_channel_type_refused_on_that_channel_only)
{
    /* OPEN{chan_type 9, window 4096, endpoint ""} by hand: our encoder refuses type 9. */
    const uint8_t open9[] = {0, 0, 0, 9, 0, 0, 0x10, 0, 0, 0};
    struct mvp_hdr h;
    uint8_t p[300];
    struct mvp_open_err e;

    hello();
    cr_assert_eq(feed_frame(MVP_OPEN, 0, 1, open9, sizeof open9), 0);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_OPEN_ERR);
    cr_assert_eq(h.chan, 1);
    cr_assert_eq(mvp_open_err_decode(p, h.len, &e), 0);
    cr_assert_eq(e.status, 0xe); /* MV_STATUS_UNKNOWNCHANNELTYPE */
    /* The session goes on: a config channel still opens. */
    open_chan(2, 3, 4096);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_OPEN_OK);
    cr_assert_eq(h.chan, 2);
}

/* The device may close a channel before our OPEN_OK/OPEN_ERR reached it: its CLOSE for
 * a refused or already closed id is the normal race and gets no ERROR. */
Test(session, close_after_refusal_or_close_is_quiet)
{
    const uint8_t open9[] = {0, 0, 0, 9, 0, 0, 0x10, 0, 0, 0};
    uint8_t reason[4] = {0, 0, 0, 6};
    struct mvp_hdr h;
    uint8_t p[300];

    hello();
    cr_assert_eq(feed_frame(MVP_OPEN, 0, 1, open9, sizeof open9), 0);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_OPEN_ERR);
    cr_assert_eq(feed_frame(MVP_CLOSE, 0, 1, reason, 4), 0);
    open_chan(2, 3, 4096);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_OPEN_OK);
    cr_assert_eq(feed_frame(MVP_CLOSE, 0, 2, reason, 4), 0);
    cr_assert_eq(feed_frame(MVP_CLOSE, 0, 2, reason, 4), 0);
    cr_assert(!pop(&h, p, sizeof p));
    /* An id never opened is still an error. */
    cr_assert_eq(feed_frame(MVP_CLOSE, 0, 9, reason, 4), 0);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_ERROR);
    cr_assert_eq(s->close, MVR_CLOSE_NONE);
}

/* WELCOME waits for the store's answer (mvr_store_call): a frame that arrives in the same
 * read as HELLO is held, reading pauses, and the frame is served after WELCOME. */
Test(session, frames_behind_hello_are_held_until_welcome)
{
    uint8_t hb[64], buf[256], p[64];
    struct mvp_hello h = {.ver_min = 1, .ver_max = 1, .boot_id = 0xb007, .log_next_seq = 1};
    int hn = mvp_hello_encode(&h, hb, sizeof hb);
    int n1 = mvp_frame_encode(MVP_HELLO, 0, 0, hb, (uint32_t)hn, buf, sizeof buf);
    uint8_t pb[8];
    mvp_u64_encode(7, pb, sizeof pb);
    int n2 = mvp_frame_encode(MVP_PING, 0, 0, pb, 8, buf + n1, sizeof buf - (size_t)n1);
    cr_assert(n1 > 0 && n2 > 0);
    cr_assert_eq(mvr_session_feed(s, buf, (size_t)(n1 + n2), 2000000), 0);
    cr_assert(s->hello_job != NULL, "WELCOME waits for the store");
    cr_assert(mvr_session_store_wait(s), "reading pauses meanwhile");
    cr_assert_null(mvr_session_pop(s), "nothing is sent before the store answered");
    struct mvp_hdr hd;
    cr_assert(pop(&hd, p, sizeof p)); /* pop polls the store first */
    cr_assert_eq(hd.type, MVP_WELCOME);
    cr_assert(pop(&hd, p, sizeof p));
    cr_assert_eq(hd.type, MVP_PONG);
    cr_assert_not(mvr_session_store_wait(s));
}

/* While the transport's device lookup is pending (device/admit.c sets admit_job), HELLO
 * waits in the session: no WELCOME until the lookup admits the device; a refusal sends
 * ERROR, closes with policy violation and never processes the held HELLO. */
Test(session, frames_wait_for_admission_and_a_refusal_drops_them)
{
    uint8_t b[64], p[300];
    struct mvp_hdr hd;
    struct mvp_hello h = {.ver_min = 1, .ver_max = 1, .boot_id = 9, .log_next_seq = 1};
    int n = mvp_hello_encode(&h, b, sizeof b);
    struct mvr_store_job pending = {0};
    s->admit_job = &pending;
    cr_assert(mvr_session_store_wait(s), "reading goes on during the lookup");
    cr_assert_eq(feed_frame(MVP_HELLO, 0, 0, b, (uint32_t)n), 0);
    cr_assert_not(pop(&hd, p, sizeof p), "WELCOME before the device was admitted");
    s->admit_job = NULL;
    mvr_session_release_held(s);
    cr_assert(pop(&hd, p, sizeof p));
    cr_assert_eq(hd.type, MVP_WELCOME);
    cr_assert_eq(hellos, 1);

    mvr_session_free(s);
    mvr_session_init(s, &env, DEV, "127.0.0.1", 1000000);
    s->admit_job = &pending;
    cr_assert_eq(feed_frame(MVP_HELLO, 0, 0, b, (uint32_t)n), 0);
    s->admit_job = NULL;
    mvr_session_refuse(s, "device not provisioned");
    mvr_session_release_held(s);
    cr_assert(pop(&hd, p, sizeof p));
    cr_assert_eq(hd.type, MVP_ERROR);
    cr_assert_not(pop(&hd, p, sizeof p), "the held HELLO was processed after a refusal");
    cr_assert_eq(s->close, MVR_CLOSE_POLICY);
    cr_assert_eq(hellos, 1);
}
