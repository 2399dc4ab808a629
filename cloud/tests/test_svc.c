/* Unit tests for the channel-service interface (svc/svc.h) as the session drives it: a
 * registered service is asked to open, gets each typed message whole, hears about new
 * credit, and is told to release its state on every way a channel can end. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvp/ctrl.h"
#include "mvp/msg.h"
#include "mvr/session.h"
#include "device/session_priv.h"

static char dir[] = "/tmp/mvr_svc_XXXXXX";
static struct mvr_store *st;
static struct mvr_session_env env;
static struct mvr_session *s;
static const char *DEV = "UV00000000000000000000000000000001";

static struct {
    int opens, msgs, windows, closes, kicks;
    uint32_t refuse;     /* status open() answers */
    int reset_next;      /* msg() answers MVR_SVC_RESET */
    uint8_t last_type;   /* type of the last message seen */
    uint32_t last_len;
    int state;           /* pointed to by c->svc_state */
} fk;

static uint32_t fk_open(void *ctx, struct mvr_session *x, struct mvr_chan *c,
                        const uint8_t *ep, size_t ep_len, const char **why)
{
    (void)ctx, (void)x, (void)ep, (void)ep_len;
    fk.opens++;
    *why = "fake refusal";
    if (!fk.refuse)
        c->svc_state = &fk.state;
    return fk.refuse;
}

static int fk_msg(void *ctx, struct mvr_session *x, struct mvr_chan *c, const struct mvp_frame *m)
{
    (void)ctx, (void)x;
    cr_assert_eq(c->svc_state, &fk.state);
    fk.msgs++;
    fk.last_type = m->hdr.type;
    fk.last_len = m->hdr.len;
    return fk.reset_next ? MVR_SVC_RESET : 0;
}

static void fk_window(void *ctx, struct mvr_session *x, struct mvr_chan *c)
{
    (void)ctx, (void)x, (void)c;
    fk.windows++;
}

static void fk_close(void *ctx, struct mvr_session *x, struct mvr_chan *c)
{
    (void)ctx, (void)x;
    cr_assert_eq(c->svc_state, &fk.state);
    fk.closes++;
}

static void on_output(void *ctx, struct mvr_session *x) { (void)ctx, (void)x; fk.kicks++; }

static const struct mvr_svc fake = {.name = "fake", .open = fk_open, .msg = fk_msg,
                                    .window = fk_window, .close = fk_close};

static void setup(void)
{
    char path[256], err[256];
    const uint8_t key[32] = {7};
    strcpy(dir, "/tmp/mvr_svc_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    cr_assert_eq(mvr_store_open(path, key, &st, err, sizeof err), MVR_OK);
    cr_assert_eq(mvr_store_device_create(st, DEV, 1), MVR_OK);
    env = (struct mvr_session_env){.store = st, .ping_interval_s = 30, .initial_window = 1024,
                                   .on_output = on_output};
    env.svc[MV_CHANNELTYPE_HTTP] = &fake;
    memset(&fk, 0, sizeof fk);
    s = malloc(sizeof *s);
    mvr_session_init(s, &env, DEV, "127.0.0.1", 1000000);
}

static void teardown(void)
{
    char cmd[300];
    if (s)
        mvr_session_free(s);
    free(s);
    mvr_store_close(st);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(svc, .init = setup, .fini = teardown);

static int feed(uint8_t type, uint16_t chan, const uint8_t *p, uint32_t n)
{
    static uint8_t buf[MVP_HDR_LEN + MVP_MAX_FRAME_PAYLOAD];
    int len = mvp_frame_encode(type, 0, chan, p, n, buf, sizeof buf);
    cr_assert_geq(len, 0);
    return mvr_session_feed(s, buf, (size_t)len, 2000000);
}

static uint32_t u32_at(const uint8_t *p)
{
    uint32_t v = 0;
    cr_assert_eq(mvp_u32_decode(p, 4, &v), 0);
    return v;
}

/* Pops output frames until one of type t; its first u32 (0 when it has none). */
static int expect(uint8_t t, uint32_t *u32)
{
    struct mvr_out *o;
    mvr_store_settle(st); /* store calls (WELCOME's lookup) answer from their done */
    while ((o = mvr_session_pop(s))) {
        struct mvp_hdr h;
        cr_assert_eq(mvp_hdr_decode(o->data + MVR_OUT_PRE, &h, MVP_MAX_FRAME_PAYLOAD), 0);
        int hit = h.type == t;
        if (hit && u32)
            *u32 = h.len >= 4 ? u32_at(o->data + MVR_OUT_PRE + MVP_HDR_LEN) : 0;
        free(o);
        if (hit)
            return 1;
    }
    return 0;
}

static void hello_and_open(uint16_t id, uint32_t type)
{
    uint8_t b[64];
    struct mvp_hello h = {.ver_min = 1, .ver_max = 1, .boot_id = 9, .log_next_seq = 1};
    int n = mvp_hello_encode(&h, b, sizeof b);
    cr_assert_eq(feed(MVP_HELLO, 0, b, (uint32_t)n), 0);
    mvr_store_settle(st); /* WELCOME: the device waits for it before opening channels */
    struct mvp_open o = {.chan_type = type, .window = 4096};
    n = mvp_open_encode(&o, b, sizeof b);
    cr_assert_eq(feed(MVP_OPEN, id, b, (uint32_t)n), 0);
}

static void send_msg(uint16_t chan, uint8_t type, uint32_t len)
{
    uint8_t b[8 + 64] = {0};
    cr_assert_leq(len, 64);
    mvp_msg_hdr_encode(type, len, b);
    cr_assert_eq(feed(MVP_DATA, chan, b, 8 + len), 0);
}

Test(svc, registered_service_opens_and_gets_whole_messages)
{
    hello_and_open(1, MV_CHANNELTYPE_HTTP);
    cr_assert_eq(fk.opens, 1);
    cr_assert(expect(MVP_OPEN_OK, NULL));
    send_msg(1, MVP_MSG_HTTP_REQUEST, 40);
    cr_assert_eq(fk.msgs, 1);
    cr_assert_eq(fk.last_type, MVP_MSG_HTTP_REQUEST);
    cr_assert_eq(fk.last_len, 40);
}

Test(svc, refusal_from_open_is_sent_and_nothing_is_kept)
{
    fk.refuse = MV_STATUS_UNAVAILABLE;
    hello_and_open(1, MV_CHANNELTYPE_HTTP);
    uint32_t status = 0;
    cr_assert(expect(MVP_OPEN_ERR, &status));
    cr_assert_eq(status, MV_STATUS_UNAVAILABLE);
    cr_assert_eq(fk.closes, 0); /* never opened, so nothing to release */
    send_msg(1, MVP_MSG_HTTP_REQUEST, 4);
    cr_assert_eq(fk.msgs, 0);
}

Test(svc, unregistered_type_is_unavailable)
{
    hello_and_open(1, MV_CHANNELTYPE_MQTT);
    uint32_t status = 0;
    cr_assert(expect(MVP_OPEN_ERR, &status));
    cr_assert_eq(status, MV_STATUS_UNAVAILABLE);
    cr_assert_eq(fk.opens, 0);
}

Test(svc, reset_from_msg_closes_channel_and_releases_state)
{
    hello_and_open(1, MV_CHANNELTYPE_HTTP);
    fk.reset_next = 1;
    send_msg(1, MVP_MSG_HTTP_REQUEST, 4);
    uint32_t reason = 0;
    cr_assert(expect(MVP_CLOSE, &reason));
    cr_assert_eq(reason, MV_CLOSUREREASON_CHANNELRESETBYSERVER);
    cr_assert_eq(fk.closes, 1);
}

Test(svc, device_close_and_session_end_release_state)
{
    hello_and_open(1, MV_CHANNELTYPE_HTTP);
    uint8_t r[4];
    mvp_u32_encode(MV_CLOSUREREASON_CLOSEDBYAPPLICATION, r, sizeof r);
    cr_assert_eq(feed(MVP_CLOSE, 1, r, 4), 0);
    cr_assert_eq(fk.closes, 1);
    struct mvp_open o = {.chan_type = MV_CHANNELTYPE_HTTP, .window = 4096};
    uint8_t b[64];
    int n = mvp_open_encode(&o, b, sizeof b);
    cr_assert_eq(feed(MVP_OPEN, 2, b, (uint32_t)n), 0);
    mvr_session_free(s);
    free(s);
    s = NULL;
    cr_assert_eq(fk.closes, 2);
}

Test(svc, window_after_flush_reaches_service)
{
    hello_and_open(1, MV_CHANNELTYPE_HTTP);
    uint8_t w[4];
    mvp_u32_encode(100, w, sizeof w);
    cr_assert_eq(feed(MVP_WINDOW, 1, w, 4), 0);
    cr_assert_eq(fk.windows, 1);
}

Test(svc, close_from_service_sends_reason_and_kicks)
{
    hello_and_open(1, MV_CHANNELTYPE_HTTP);
    cr_assert(expect(MVP_OPEN_OK, NULL));
    struct mvr_chan *c = NULL;
    for (int i = 0; i < MVR_MAX_CHANNELS; i++)
        if (s->chans[i])
            c = s->chans[i];
    cr_assert_not_null(c);
    cr_assert_eq(mvr_chan_close(s, c, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER), 0);
    uint32_t reason = 0;
    cr_assert(expect(MVP_CLOSE, &reason));
    cr_assert_eq(reason, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
    cr_assert_eq(fk.closes, 1);
    cr_assert_geq(fk.kicks, 1);
}
