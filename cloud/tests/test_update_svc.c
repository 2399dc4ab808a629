/* Unit tests for the update channel service (svc/update.c) driven through a real
 * session without sockets: the targeted bundle is offered, streamed in consecutive
 * chunks never beyond the device's window, resumed at the device's offset in a new
 * session after a disconnect, and a device cannot fetch any bundle but its own. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mvp/ctrl.h"
#include "mvp/msg.h"
#include "mvp/update.h"
#include "mvr/datadir.h"
#include "mvr/session.h"
#include "mvr/store_apps.h"
#include "mvr/util.h"
#include "svc/svc.h"
#include "svc/update_events.h"

#define BUNDLE_LEN 100000u
#define DEV_WINDOW 4096u
static const char *DEV = "UV00000000000000000000000000000001";
static const char *APP = "AP0123456789abcdef0123456789abcdef";
static const char *OTHER = "AP00000000000000000000000000000000";

static struct mvr_datadir dd;
static struct mvr_svc upd;
static struct mvr_svc_update_cfg upd_cfg;
static struct mvr_session_env env;
static struct mvr_session *s;
static uint8_t bundle[BUNDLE_LEN];
static int64_t now = 1000000;

static void setup(void)
{
    char path[4200], err[256];
    const uint8_t key[32] = {7};
    memset(&dd, 0, sizeof dd);
    strcpy(dd.dir, "/tmp/mvr_upd_XXXXXX");
    cr_assert_not_null(mkdtemp(dd.dir));
    snprintf(path, sizeof path, "%s/t.db", dd.dir);
    cr_assert_eq(mvr_store_open(path, key, &dd.store, err, sizeof err), MVR_OK);
    cr_assert_eq(mvr_store_device_create(dd.store, DEV, 1), MVR_OK);
    for (uint32_t i = 0; i < BUNDLE_LEN; i++)
        bundle[i] = (uint8_t)(i * 7u + (i >> 8));
    snprintf(path, sizeof path, "%s/apps", dd.dir);
    cr_assert_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/apps/%s.mvb", dd.dir, APP);
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(bundle, 1, BUNDLE_LEN, f) == BUNDLE_LEN && fclose(f) == 0);
    struct mvr_app a = {.size = BUNDLE_LEN, .image_size = 1, .created_at = 1};
    strcpy(a.id, APP);
    strcpy(a.name, "t");
    strcpy(a.version, "1");
    strcpy(a.port, "host");
    cr_assert_eq(mvr_store_app_add(dd.store, &a), MVR_OK);
    cr_assert_eq(mvr_store_update_target(dd.store, DEV, APP, 1), MVR_OK);
    upd_cfg = (struct mvr_svc_update_cfg){&dd, 0};
    upd = mvr_svc_update_make(&upd_cfg);
    env = (struct mvr_session_env){.store = dd.store, .ping_interval_s = 30,
                                   .initial_window = 1024, .svc_update = &upd};
    s = NULL;
}

static void end_session(void)
{
    if (s) {
        mvr_session_free(s);
        free(s);
        s = NULL;
    }
}

static void teardown(void)
{
    char cmd[4300];
    end_session();
    mvr_store_close(dd.store);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dd.dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(update_svc, .init = setup, .fini = teardown);

static void feed(uint8_t type, uint16_t chan, const uint8_t *p, uint32_t n)
{
    static uint8_t buf[MVP_HDR_LEN + MVP_MAX_FRAME_PAYLOAD];
    int len = mvp_frame_encode(type, 0, chan, p, n, buf, sizeof buf);
    cr_assert_geq(len, 0);
    cr_assert_eq(mvr_session_feed(s, buf, (size_t)len, ++now), 0);
}

static int pop(struct mvp_hdr *h, uint8_t *payload, size_t cap)
{
    mvr_store_settle(dd.store); /* store calls (WELCOME's lookup) answer from done */
    struct mvr_out *o = mvr_session_pop(s);
    if (!o)
        return 0;
    cr_assert_eq(mvp_hdr_decode(o->data + MVR_OUT_PRE, h, MVP_MAX_FRAME_PAYLOAD), 0);
    cr_assert_leq(h->len, cap);
    memcpy(payload, o->data + MVR_OUT_PRE + MVP_HDR_LEN, h->len);
    free(o);
    return 1;
}

/* A new session of the device up to an open update channel (id 1) with window. */
static void connect_device_window(uint32_t window)
{
    uint8_t b[64], p[64];
    struct mvp_hdr h;
    struct mvp_hello hello = {.ver_min = 1, .ver_max = 1, .boot_id = 0xb007, .log_next_seq = 1};
    s = malloc(sizeof *s);
    mvr_session_init(s, &env, DEV, "127.0.0.1", now);
    int n = mvp_hello_encode(&hello, b, sizeof b);
    feed(MVP_HELLO, 0, b, (uint32_t)n);
    cr_assert(pop(&h, p, sizeof p) && h.type == MVP_WELCOME);
    struct mvp_open o = {.chan_type = MVP_CHAN_UPDATE, .window = window};
    n = mvp_open_encode(&o, b, sizeof b);
    feed(MVP_OPEN, 1, b, (uint32_t)n);
    cr_assert(pop(&h, p, sizeof p));
    cr_assert_eq(h.type, MVP_OPEN_OK, "update channel refused (type %u)", h.type);
}

static void connect_device(void)
{
    connect_device_window(DEV_WINDOW);
}

static void send_msg(uint8_t type, const uint8_t *body, int len)
{
    uint8_t buf[512];
    cr_assert_geq(len, 0);
    int n = mvp_msg_encode(type, body, (uint32_t)len, buf, sizeof buf);
    cr_assert_gt(n, 0);
    feed(MVP_DATA, 1, buf, (uint32_t)n);
}

static void send_status(uint8_t state, uint32_t offset, const char *id)
{
    uint8_t b[256];
    struct mvp_upd_status m = {.state = state, .offset = offset, .app_id = (const uint8_t *)id,
                               .app_id_len = (uint16_t)strlen(id)};
    send_msg(MVP_MSG_UPD_STATUS, b, mvp_upd_status_encode(&m, b, sizeof b));
}

static void send_fetch(uint32_t offset, const char *id)
{
    uint8_t b[128];
    struct mvp_upd_fetch f = {offset, (const uint8_t *)id, (uint16_t)strlen(id)};
    send_msg(MVP_MSG_UPD_FETCH, b, mvp_upd_fetch_encode(&f, b, sizeof b));
}

/* Every DATA byte the relay queued on channel 1 (typed messages back to back); the
 * count of other frames goes to *other, the type of the last one to *other_type. */
static size_t drain(uint8_t *out, size_t cap, int *other, uint8_t *other_type)
{
    static uint8_t p[MVP_MAX_FRAME_PAYLOAD];
    struct mvp_hdr h;
    size_t n = 0;
    *other = 0;
    while (pop(&h, p, sizeof p)) {
        if (h.type == MVP_DATA && h.chan == 1) {
            cr_assert_leq(n + h.len, cap);
            memcpy(out + n, p, h.len);
            n += h.len;
        } else {
            (*other)++;
            *other_type = h.type;
        }
    }
    return n;
}

static void expect_offer(void)
{
    uint8_t out[256], ot = 0;
    int other = 0;
    size_t n = drain(out, sizeof out, &other, &ot);
    struct mvp_upd_offer o;
    cr_assert_gt(n, 8);
    cr_assert_eq(out[0], MVP_MSG_UPD_OFFER);
    cr_assert_eq(mvp_upd_offer_decode(out + 8, n - 8, &o), 0);
    cr_assert_eq(o.size, BUNDLE_LEN);
    cr_assert_eq(o.app_id_len, strlen(APP));
    cr_assert_eq(memcmp(o.app_id, APP, o.app_id_len), 0);
}

/* Checks the chunks in buf[0..n) continue the bundle at *next; returns the count. */
static int check_chunks(const uint8_t *buf, size_t n, uint32_t *next)
{
    int count = 0;
    size_t pos = 0;
    while (pos < n) {
        struct mvp_hdr h;
        struct mvp_upd_chunk c;
        cr_assert_leq(pos + 8, n);
        cr_assert_eq(mvp_hdr_decode(buf + pos, &h, MVP_MAX_MSG_PAYLOAD), 0);
        cr_assert_eq(h.type, MVP_MSG_UPD_CHUNK);
        cr_assert_leq(pos + 8 + h.len, n, "a chunk split across the window");
        cr_assert_eq(mvp_upd_chunk_decode(buf + pos + 8, h.len, &c), 0);
        cr_assert_eq(c.offset, *next, "chunk at %u, expected %u", c.offset, *next);
        cr_assert_eq(memcmp(c.data, bundle + c.offset, c.len), 0);
        *next += c.len;
        pos += 8 + h.len;
        count++;
    }
    return count;
}

static void grant(uint32_t credit)
{
    uint8_t b[4];
    int n = mvp_window_encode(credit, b, sizeof b);
    feed(MVP_WINDOW, 1, b, (uint32_t)n);
}

Test(update_svc, offers_the_target_and_streams_within_the_window)
{
    static uint8_t buf[BUNDLE_LEN * 2];
    uint32_t next = 0;
    uint8_t ot = 0;
    int other = 0;
    connect_device();
    send_status(MVP_UPD_IDLE, 0, "");
    expect_offer();
    send_fetch(0, APP);
    size_t n = drain(buf, sizeof buf, &other, &ot);
    cr_assert_leq(n, DEV_WINDOW, "%zu bytes in flight beyond the device's window", n);
    cr_assert_gt(check_chunks(buf, n, &next), 0);
    /* Nothing more without credit; each grant brings at most that much. */
    cr_assert_eq(drain(buf, sizeof buf, &other, &ot), 0);
    while (next < BUNDLE_LEN) {
        grant(DEV_WINDOW);
        n = drain(buf, sizeof buf, &other, &ot);
        cr_assert_leq(n, DEV_WINDOW);
        cr_assert_gt(n, 0, "stalled at %u", next);
        check_chunks(buf, n, &next);
    }
    cr_assert_eq(next, BUNDLE_LEN);
}

/* A window larger than the bundle: the relay still queues only about MVR_OUTQ_REFILL and
 * refills as the transport writes (mvr_session_drained), not the whole credit at once. */
Test(update_svc, a_large_window_is_filled_as_the_transport_drains)
{
    static uint8_t buf[BUNDLE_LEN * 2];
    uint32_t next = 0;
    uint8_t ot = 0;
    int other = 0, rounds = 0;
    connect_device_window(1u << 20);
    send_status(MVP_UPD_IDLE, 0, "");
    expect_offer();
    send_fetch(0, APP);
    cr_assert_lt(s->outq_bytes, BUNDLE_LEN, "%zu bytes queued at once", s->outq_bytes);
    while (next < BUNDLE_LEN) {
        cr_assert_leq(s->outq_bytes, MVR_OUTQ_REFILL + MVP_HDR_LEN + 8 + 8 + MVP_UPD_MAX_CHUNK);
        size_t n = drain(buf, sizeof buf, &other, &ot);
        cr_assert_gt(n, 0, "stalled at %u", next);
        check_chunks(buf, n, &next);
        cr_assert_eq(drain(buf, sizeof buf, &other, &ot), 0, "queued without a write");
        mvr_session_drained(s);
        rounds++;
    }
    cr_assert_eq(next, BUNDLE_LEN);
    cr_assert_geq(rounds, 2);
}

/* A chunk's frame in a WebSocket message (4-byte header) is exactly two TLS records of
 * 4 KiB, the max fragment length the device kernel negotiates: no short third record per
 * chunk for the device to receive and decrypt (update.c). */
Test(update_svc, a_chunk_frame_fills_whole_tls_records)
{
    static uint8_t p[MVP_MAX_FRAME_PAYLOAD];
    struct mvp_hdr h;
    int whole = 0;
    connect_device_window(1u << 20);
    send_status(MVP_UPD_IDLE, 0, "");
    expect_offer();
    send_fetch(0, APP);
    while (pop(&h, p, sizeof p)) {
        struct mvp_hdr m;
        struct mvp_upd_chunk c;
        if (h.type != MVP_DATA)
            continue;
        cr_assert_eq(mvp_hdr_decode(p, &m, MVP_MAX_MSG_PAYLOAD), 0);
        cr_assert_eq(mvp_upd_chunk_decode(p + 8, m.len, &c), 0);
        if (c.offset + c.len < BUNDLE_LEN) {
            cr_assert_eq(4 + MVP_HDR_LEN + h.len, 2 * 4096, "chunk of %u bytes", c.len);
            whole++;
        }
    }
    cr_assert_geq(whole, 2);
}

Test(update_svc, resumes_at_the_device_offset_after_a_disconnect)
{
    static uint8_t buf[BUNDLE_LEN * 2];
    uint32_t next = 0;
    uint8_t ot = 0;
    int other = 0;
    struct mvr_update u;
    connect_device();
    send_status(MVP_UPD_IDLE, 0, "");
    expect_offer();
    send_fetch(0, APP);
    check_chunks(buf, drain(buf, sizeof buf, &other, &ot), &next);
    cr_assert(next > 0 && next < BUNDLE_LEN);
    end_session(); /* the connection drops mid-download */

    connect_device();
    send_status(MVP_UPD_DOWNLOADING, next, APP);
    mvr_store_settle(dd.store); /* the report is stored on a reader thread */
    cr_assert_eq(mvr_store_update_get(dd.store, DEV, &u), MVR_OK);
    cr_assert_str_eq(u.state, "downloading");
    cr_assert_eq(u.offset, next);
    expect_offer(); /* the first status of a session gets the offer, to resume */
    uint32_t resume = next;
    send_fetch(resume, APP);
    size_t n = drain(buf, sizeof buf, &other, &ot);
    cr_assert_gt(n, 0);
    check_chunks(buf, n, &next); /* starts exactly at the resume offset */
    /* Later statuses while downloading are progress: no second offer mid-stream. */
    send_status(MVP_UPD_DOWNLOADING, next, APP);
    cr_assert_eq(drain(buf, sizeof buf, &other, &ot), 0);
    cr_assert_gt(next, resume);
}

Test(update_svc, a_device_cannot_fetch_another_bundle)
{
    static uint8_t buf[BUNDLE_LEN];
    uint8_t ot = 0;
    int other = 0;
    connect_device();
    send_status(MVP_UPD_IDLE, 0, "");
    expect_offer();
    send_fetch(0, OTHER);
    cr_assert_eq(drain(buf, sizeof buf, &other, &ot), 0, "bytes of a bundle not offered");
    cr_assert_eq(other, 1);
    cr_assert_eq(ot, MVP_CLOSE, "the channel is reset");
}

Test(update_svc, a_fetch_beyond_the_end_or_before_an_offer_is_refused)
{
    static uint8_t buf[BUNDLE_LEN];
    uint8_t ot = 0;
    int other = 0;
    connect_device();
    send_fetch(0, APP); /* before any offer */
    cr_assert_eq(drain(buf, sizeof buf, &other, &ot), 0);
    cr_assert_eq(ot, MVP_CLOSE);
    end_session();
    connect_device();
    send_status(MVP_UPD_IDLE, 0, "");
    expect_offer();
    send_fetch(BUNDLE_LEN + 1, APP);
    cr_assert_eq(drain(buf, sizeof buf, &other, &ot), 0);
    cr_assert_eq(ot, MVP_CLOSE);
}

static int events;
static char last_event[256];

static int event_cb(void *ctx, const struct mvr_log_row *r)
{
    (void)ctx;
    events++;
    snprintf(last_event, sizeof last_event, "%.*s", (int)r->msg_len, (const char *)r->msg);
    return 0;
}

Test(update_svc, no_offer_once_settled_and_failures_are_stored)
{
    static uint8_t buf[256];
    uint8_t b[256], ot = 0;
    int other = 0;
    struct mvr_update u;
    connect_device();
    struct mvp_upd_status m = {.state = MVP_UPD_FAILED, .app_id = (const uint8_t *)APP,
                               .app_id_len = (uint16_t)strlen(APP),
                               .reason = (const uint8_t *)"bad signature", .reason_len = 13};
    send_msg(MVP_MSG_UPD_STATUS, b, mvp_upd_status_encode(&m, b, sizeof b));
    cr_assert_eq(drain(buf, sizeof buf, &other, &ot), 0, "a refused bundle offered again");
    cr_assert_eq(mvr_store_update_get(dd.store, DEV, &u), MVR_OK);
    cr_assert_str_eq(u.state, "failed");
    cr_assert_str_eq(u.reason, "bad signature");
    cr_assert_str_eq(u.target_app, APP);
    /* The change shows in the device's log, under the relay's pseudo boot id. */
    struct mvr_log_query q = {.boot_id = MVR_UPDATE_BOOT, .limit = 10};
    events = 0;
    cr_assert_eq(mvr_store_logs_query(dd.store, DEV, &q, event_cb, NULL), MVR_OK);
    cr_assert_eq(events, 1);
    cr_assert_str_eq(last_event, "update: failed AP0123456789abcdef0123456789abcdef: bad signature");
    /* The same report again is no new event. */
    send_msg(MVP_MSG_UPD_STATUS, b, mvp_upd_status_encode(&m, b, sizeof b));
    mvr_store_settle(dd.store);
    events = 0;
    cr_assert_eq(mvr_store_logs_query(dd.store, DEV, &q, event_cb, NULL), MVR_OK);
    cr_assert_eq(events, 1);
}

Test(update_svc, a_rate_limit_paces_the_download)
{
    static uint8_t buf[BUNDLE_LEN * 2];
    uint32_t next = 0;
    uint8_t ot = 0;
    int other = 0;
    upd_cfg.rate = 1000;
    connect_device();
    send_status(MVP_UPD_IDLE, 0, "");
    expect_offer();
    send_fetch(0, APP);
    check_chunks(buf, drain(buf, sizeof buf, &other, &ot), &next);
    /* Within one second no more than the rate, however much credit the device has. */
    cr_assert_gt(next, 0);
    cr_assert_leq(next, 1000u, "%u bytes sent in the first second at 1000 B/s", next);
}

Test(update_svc, a_status_flood_costs_at_most_a_few_store_writes)
{
    static uint8_t buf[256];
    uint8_t b[256], ot = 0;
    int other = 0;
    connect_device();
    int64_t t0 = mvr_now_us();
    /* Alternating states would each be a change: only the first few are stored. */
    for (int i = 0; i < 200; i++) {
        struct mvp_upd_status m = {.state = (uint8_t)(i % 2 ? MVP_UPD_FAILED : MVP_UPD_APPLIED),
                                   .app_id = (const uint8_t *)OTHER,
                                   .app_id_len = (uint16_t)strlen(OTHER)};
        send_msg(MVP_MSG_UPD_STATUS, b, mvp_upd_status_encode(&m, b, sizeof b));
        drain(buf, sizeof buf, &other, &ot);
    }
    struct mvr_log_query q = {.boot_id = MVR_UPDATE_BOOT, .limit = 1000};
    events = 0;
    cr_assert_eq(mvr_store_logs_query(dd.store, DEV, &q, event_cb, NULL), MVR_OK);
    /* At most 10 per wall-clock second the flood spans (a slow sanitizer run spans more). */
    int64_t secs = (mvr_now_us() - t0) / 1000000 + 2;
    cr_assert_leq(events, 10 * secs, "%d events stored for a flood of 200 statuses", events);
    cr_assert_lt(10 * secs, 200, "the flood was too slow to test anything");
    cr_assert_gt(events, 0);
}

/* The store work of a STATUS completes later (on a reader thread, its completion from
 * mvr_store_poll): a FETCH sent right behind it waits for it instead of being judged
 * before the offer exists. */
Test(update_svc, messages_wait_in_order_behind_a_store_call)
{
    static uint8_t buf[BUNDLE_LEN * 2];
    uint8_t b[128];
    uint32_t next = 0;
    uint8_t ot = 0;
    int other = 0;
    connect_device();
    send_status(MVP_UPD_IDLE, 0, "");
    struct mvp_upd_fetch f = {0, (const uint8_t *)APP, (uint16_t)strlen(APP)};
    send_msg(MVP_MSG_UPD_FETCH, b, mvp_upd_fetch_encode(&f, b, sizeof b));
    size_t n = drain(buf, sizeof buf, &other, &ot);
    cr_assert_eq(other, 0, "the channel was reset (frame type %u)", ot);
    cr_assert_gt(n, 8);
    cr_assert_eq(buf[0], MVP_MSG_UPD_OFFER);
    struct mvp_hdr h;
    cr_assert_eq(mvp_hdr_decode(buf, &h, MVP_MAX_MSG_PAYLOAD), 0);
    size_t off = 8 + h.len;
    cr_assert_gt(check_chunks(buf + off, n - off, &next), 0, "no chunk after the offer");
}
