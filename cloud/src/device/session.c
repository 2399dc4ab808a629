/* Device session core: frame dispatch, HELLO/WELCOME, keepalive, output queue.
 * Channel and log frames are handled in session_chan.c and session_log.c. */
#include "mvr/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/log.h"
#include "mvr/metrics.h"
#include "mvr/util.h"
#include "device/session_priv.h"

/* A HELLO waiting for the store: the WELCOME to send and what it reports. */
struct hello_wait {
    struct mvr_session *s; /* NULL once the session ended */
    struct mvp_welcome w;
    char device_id[35], boot_hex[17];
    char fw[4 * MVP_MAX_FW_VERSION + 1];
    int rc;
    uint32_t acked;
    int64_t now; /* when HELLO arrived: the session's last_seen */
};

void mvr_session_init(struct mvr_session *s, const struct mvr_session_env *env,
                      const char *device_id, const char *remote, int64_t now)
{
    memset(s, 0, sizeof *s);
    s->env = env;
    snprintf(s->device_id, sizeof s->device_id, "%s", device_id);
    snprintf(s->remote, sizeof s->remote, "%s", remote ? remote : "");
    mvp_reader_init(&s->rd, NULL, 0, MVP_MAX_FRAME_PAYLOAD); /* buffer: see feed */
    s->outq_tail = &s->outq;
    s->started_us = s->last_rx_us = s->last_ping_us = now;
}

void mvr_session_free(struct mvr_session *s)
{
    struct mvr_out *o;
    while ((o = mvr_session_pop(s)))
        free(o);
    for (int i = 0; s->chans && i < MVR_MAX_CHANNELS; i++) {
        mvr_chan_free(s, s->chans[i]);
        s->chans[i] = NULL;
    }
    free(s->chans);
    s->chans = NULL;
    mvr_sess_log_free(s);
    if (s->hello_job) {
        ((struct hello_wait *)s->hello_job->owner)->s = NULL;
        s->hello_job = NULL;
    }
    free(s->held);
    s->held = NULL;
    free(s->rdbuf);
    s->rdbuf = NULL;
}

struct mvr_out *mvr_session_pop(struct mvr_session *s)
{
    struct mvr_out *o = s->outq;
    if (!o)
        return NULL;
    s->outq = o->next;
    if (!s->outq)
        s->outq_tail = &s->outq;
    s->outq_bytes -= o->len;
    return o;
}

void mvr_session_kick(struct mvr_session *s)
{
    if (s->env->on_output)
        s->env->on_output(s->env->ctx, s);
}

int mvr_session_send(struct mvr_session *s, uint8_t type, uint16_t chan,
                     const uint8_t *payload, uint32_t len)
{
    struct mvr_out *o = malloc(sizeof *o + MVR_OUT_PRE + MVP_HDR_LEN + len);
    if (!o)
        return -1;
    int n = mvp_frame_encode(type, 0, chan, payload, len, o->data + MVR_OUT_PRE,
                             MVP_HDR_LEN + len);
    if (n < 0) {
        free(o);
        return -1;
    }
    o->len = (size_t)n;
    o->next = NULL;
    *s->outq_tail = o;
    s->outq_tail = &o->next;
    s->outq_bytes += o->len;
    mvr_metrics.frames_out++;
    return 0;
}

void mvr_sess_error(struct mvr_session *s, uint32_t code, uint8_t frame_type, const char *msg)
{
    uint8_t buf[8 + 2 + MVP_MAX_ERRMSG];
    size_t ml = strlen(msg);
    struct mvp_error e = {.code = code, .frame_type = frame_type, .msg = (const uint8_t *)msg,
                          .msg_len = (uint16_t)(ml > MVP_MAX_ERRMSG ? MVP_MAX_ERRMSG : ml)};
    int n = mvp_error_encode(&e, buf, sizeof buf);
    if (n >= 0)
        mvr_session_send(s, MVP_ERROR, MVP_CTRL_CHANNEL, buf, (uint32_t)n);
    mvr_log(MVR_WARN, "frame refused", "device=%s frame=%s code=%u reason=\"%s\"",
            s->device_id, mvp_frame_type_name(frame_type), code, msg);
}

int mvr_sess_fatal(struct mvr_session *s, uint32_t code, uint8_t frame_type, const char *msg)
{
    mvr_metrics.errors[MVR_ERRK_MALFORMED_FRAME]++;
    mvr_sess_error(s, code, frame_type, msg);
    s->close = MVR_CLOSE_PROTOCOL;
    return -1;
}

/* On a reader thread (or inline with SQLite). */
static void hello_run(struct mvr_store *st, struct mvr_store_job *j)
{
    struct hello_wait *h = j->owner;
    h->rc = mvr_store_log_max_seq(st, h->device_id, h->boot_hex, &h->acked);
}

static int welcome(struct mvr_session *s, struct hello_wait *h, int64_t now)
{
    if (h->rc == MVR_OK) {
        h->w.log_acked_seq = h->acked;
        h->w.flags |= MVP_WELCOME_LOG_ACKED_VALID;
    } else if (h->rc != MVR_ST_NOTFOUND) {
        return mvr_sess_fatal(s, MVP_E_INVALID, MVP_HELLO, "relay store unavailable");
    }
    s->hello_done = 1;
    mvr_session_note_seen(s, now, 1);
    if (s->env->on_hello)
        s->env->on_hello(s->env->ctx, s);
    uint8_t buf[64];
    int n = mvp_welcome_encode(&h->w, buf, sizeof buf);
    if (n < 0 || mvr_session_send(s, MVP_WELCOME, MVP_CTRL_CHANNEL, buf, (uint32_t)n) < 0)
        return -1;
    mvr_log(MVR_INFO, "device session", "device=%s boot=%s remote=%s fw=\"%s\"", s->device_id,
            s->boot_hex, s->remote, h->fw);
    return 0;
}

/* On the loop: send WELCOME, then process what the device sent meanwhile. */
static void hello_done(struct mvr_store_job *j)
{
    struct hello_wait *h = j->owner;
    struct mvr_session *s = h->s;
    if (j->status != MVR_OK)
        h->rc = MVR_ST_ERROR; /* the store is closing */
    mvr_store_job_free(j);
    if (!s) {
        free(h);
        return;
    }
    s->hello_job = NULL;
    int64_t now = h->now;
    int rc = welcome(s, h, now);
    free(h);
    if (rc < 0 && !s->close)
        s->close = MVR_CLOSE_PROTOCOL;
    mvr_session_release_held(s);
    mvr_session_kick(s);
}

void mvr_session_release_held(struct mvr_session *s)
{
    uint8_t *held = s->held;
    size_t len = s->held_len;
    s->held = NULL;
    s->held_len = 0;
    if (!s->close && len)
        mvr_session_feed(s, held, len, mvr_now_us());
    free(held);
}

void mvr_session_refuse(struct mvr_session *s, const char *why)
{
    mvr_sess_error(s, MVP_E_INVALID, 0, why);
    s->close = MVR_CLOSE_POLICY;
}

static int on_hello(struct mvr_session *s, const struct mvp_frame *f, int64_t now)
{
    struct mvp_hello h;
    int rc = mvp_hello_decode(f->payload, f->hdr.len, &h);
    if (rc < 0)
        return mvr_sess_fatal(s, (uint32_t)-rc, MVP_HELLO, "malformed HELLO");
    int ver = mvp_version_negotiate(MVP_PROTO_VERSION, MVP_PROTO_VERSION, h.ver_min, h.ver_max);
    if (ver < 0)
        return mvr_sess_fatal(s, MVP_E_BAD_VERSION, MVP_HELLO, "no common protocol version");
    s->boot_id = h.boot_id;
    uint8_t raw[8];
    for (int i = 0; i < 8; i++)
        raw[i] = (uint8_t)(h.boot_id >> (56 - 8 * i));
    mvr_hex(raw, 8, s->boot_hex);
    struct hello_wait *hw = calloc(1, sizeof *hw);
    struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_CALL, "", 0);
    if (!hw || !j) {
        free(hw);
        mvr_store_job_free(j);
        return -1;
    }
    hw->s = s;
    hw->now = now;
    hw->w = (struct mvp_welcome){.version = (uint8_t)ver, .server_time_us = (uint64_t)now,
                                 .max_payload = MVP_MAX_FRAME_PAYLOAD,
                                 .initial_window = s->env->initial_window,
                                 .ping_interval_s = s->env->ping_interval_s};
    snprintf(hw->device_id, sizeof hw->device_id, "%s", s->device_id);
    snprintf(hw->boot_hex, sizeof hw->boot_hex, "%s", s->boot_hex);
    mvr_log_esc(h.fw_version, h.fw_version_len, hw->fw, sizeof hw->fw);
    j->owner = hw;
    j->run = hello_run;
    j->done = hello_done;
    s->hello_job = j;
    mvr_store_call(s->env->store, j);
    return 0;
}

static int on_ping(struct mvr_session *s, const struct mvp_frame *f)
{
    uint64_t v;
    uint8_t buf[8];
    if (mvp_u64_decode(f->payload, f->hdr.len, &v) < 0)
        return mvr_sess_fatal(s, MVP_E_INVALID, f->hdr.type, "malformed PING");
    int n = mvp_u64_encode(v, buf, sizeof buf);
    return n < 0 ? -1 : mvr_session_send(s, MVP_PONG, MVP_CTRL_CHANNEL, buf, (uint32_t)n);
}

static int on_unknown(struct mvr_session *s, const struct mvp_frame *f)
{
    if (f->hdr.flags & MVP_FLAG_IGNORABLE)
        return 0;
    mvr_metrics.errors[MVR_ERRK_UNKNOWN_TYPE]++;
    mvr_sess_error(s, MVP_E_UNKNOWN_TYPE, f->hdr.type, "unknown frame type");
    return 0;
}

static int on_device_error(struct mvr_session *s, const struct mvp_frame *f)
{
    struct mvp_error e;
    if (mvp_error_decode(f->payload, f->hdr.len, &e) < 0)
        return mvr_sess_fatal(s, MVP_E_INVALID, MVP_ERROR, "malformed ERROR");
    char msg[4 * MVP_MAX_ERRMSG + 1];
    mvr_log(MVR_WARN, "device reported error", "device=%s code=%u frame=%s msg=\"%s\"",
            s->device_id, e.code, mvp_frame_type_name(e.frame_type),
            mvr_log_esc(e.msg, e.msg_len, msg, sizeof msg));
    return 0;
}

static int dispatch(struct mvr_session *s, const struct mvp_frame *f, int64_t now)
{
    uint8_t t = f->hdr.type;
    if (!s->hello_done && t != MVP_HELLO)
        return mvr_sess_fatal(s, MVP_E_INVALID, t, "HELLO must be the first frame");
    int ctrl = t == MVP_HELLO || t == MVP_LOG || t == MVP_PING || t == MVP_PONG ||
               t == MVP_ERROR;
    if (ctrl && f->hdr.chan != MVP_CTRL_CHANNEL)
        return mvr_sess_fatal(s, MVP_E_INVALID, t, "control frame on a channel");
    switch (t) {
    case MVP_HELLO:
        if (s->hello_done || s->hello_job)
            return mvr_sess_fatal(s, MVP_E_INVALID, t, "duplicate HELLO");
        return on_hello(s, f, now);
    case MVP_PING: return on_ping(s, f);
    case MVP_PONG: return 0; /* any frame refreshes last_rx_us */
    case MVP_LOG: return mvr_sess_on_log(s, f, now);
    case MVP_OPEN: return mvr_sess_on_open(s, f);
    case MVP_DATA: return mvr_sess_on_data(s, f);
    case MVP_WINDOW: return mvr_sess_on_window(s, f);
    case MVP_CLOSE: return mvr_sess_on_close(s, f);
    case MVP_ERROR: return on_device_error(s, f);
    case MVP_WELCOME:
    case MVP_OPEN_OK:
    case MVP_OPEN_ERR:
    case MVP_LOG_ACK:
    case MVP_GOAWAY:
        mvr_sess_error(s, MVP_E_INVALID, t, "frame type not accepted from a device");
        return 0;
    default: return on_unknown(s, f);
    }
}

void mvr_session_note_seen(struct mvr_session *s, int64_t now, int meta)
{
    struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_SEEN, s->device_id, now);
    if (!j) /* metadata only: a lost update is corrected by the next one */
        return;
    j->session_us = s->started_us;
    if (meta) {
        snprintf(j->boot_id, sizeof j->boot_id, "%s", s->boot_hex);
        snprintf(j->remote_addr, sizeof j->remote_addr, "%s", s->remote);
    }
    mvr_store_submit(s->env->store, j);
}

/* An idle connection holds no frame buffer: it is allocated when bytes arrive and freed
 * again once the reader is between frames, so memory per connection is what the
 * connection is doing, not its worst case (MVP_MAX_FRAME_PAYLOAD). */
static int rdbuf_get(struct mvr_session *s)
{
    if (!s->rdbuf && !(s->rdbuf = malloc(MVP_MAX_FRAME_PAYLOAD)))
        return -1;
    s->rd.buf = s->rdbuf;
    s->rd.cap = MVP_MAX_FRAME_PAYLOAD;
    return 0;
}

static void rdbuf_shrink(struct mvr_session *s)
{
    if (s->rdbuf && mvp_reader_idle(&s->rd)) {
        free(s->rdbuf);
        s->rdbuf = s->rd.buf = NULL;
        s->rd.cap = 0;
    }
}

static int feed_frames(struct mvr_session *s, const uint8_t *in, size_t len, int64_t now);

/* Keeps bytes that arrive while HELLO or the admission waits for the store (reading is
 * paused then, but lws may already hold more). Bounded by one frame: a device sends
 * HELLO and waits for WELCOME. */
static int hold(struct mvr_session *s, const uint8_t *in, size_t len)
{
    if (s->held_len + len > MVP_HDR_LEN + MVP_MAX_FRAME_PAYLOAD)
        return mvr_sess_fatal(s, MVP_E_INVALID, 0, "frames before WELCOME");
    uint8_t *nb = realloc(s->held, s->held_len + len);
    if (!nb)
        return -1;
    memcpy(nb + s->held_len, in, len);
    s->held = nb;
    s->held_len += len;
    return 0;
}

int mvr_session_feed(struct mvr_session *s, const uint8_t *in, size_t len, int64_t now)
{
    if (s->close)
        return -1;
    s->last_rx_us = now;
    if (!len)
        return 0;
    if (s->hello_job || s->admit_job)
        return hold(s, in, len);
    if (rdbuf_get(s) < 0)
        return -1;
    int rc = feed_frames(s, in, len, now);
    rdbuf_shrink(s);
    return rc;
}

static int feed_frames(struct mvr_session *s, const uint8_t *in, size_t len, int64_t now)
{
    while (len) {
        size_t used = 0;
        struct mvp_frame f;
        int rc = mvp_reader_feed(&s->rd, in, len, &used, &f);
        in += used;
        len -= used;
        if (rc < 0)
            return mvr_sess_fatal(s, (uint32_t)-rc, 0, "bad frame header");
        if (rc == 1) {
            mvr_metrics.frames_in++;
            if (dispatch(s, &f, now) < 0) {
                if (!s->close)
                    s->close = MVR_CLOSE_PROTOCOL;
                return -1;
            }
            if (s->hello_job && len)
                return hold(s, in, len);
        }
    }
    return 0;
}

int mvr_session_tick(struct mvr_session *s, int64_t now)
{
    int64_t iv = (int64_t)s->env->ping_interval_s * 1000000;
    if (s->close)
        return -1;
    if (!s->hello_done && now - s->started_us > MVR_HELLO_TIMEOUT_S * 1000000LL) {
        mvr_log(MVR_WARN, "no HELLO in time", "device=%s", s->device_id);
        s->close = MVR_CLOSE_PROTOCOL;
        return -1;
    }
    if (s->hello_done && now - s->last_rx_us > 3 * iv) {
        mvr_log(MVR_WARN, "device silent, closing", "device=%s", s->device_id);
        s->close = MVR_CLOSE_NORMAL;
        return -1;
    }
    for (int i = 0; s->chans && i < MVR_MAX_CHANNELS; i++) /* paced services (updates) */
        if (s->chans[i] && s->chans[i]->svc && s->chans[i]->svc->tick)
            s->chans[i]->svc->tick(s->chans[i]->svc->ctx, s, s->chans[i], now);
    if (s->hello_done && now - s->last_ping_us >= iv) {
        uint8_t buf[8];
        int n = mvp_u64_encode(++s->ping_seq, buf, sizeof buf);
        s->last_ping_us = now;
        if (n < 0 || mvr_session_send(s, MVP_PING, MVP_CTRL_CHANNEL, buf, (uint32_t)n) < 0)
            return -1;
    }
    return 0;
}

int64_t mvr_session_idle_until(const struct mvr_session *s)
{
    if (!s->hello_done || s->close || s->chans || s->outq || s->rdbuf || s->held ||
        s->log_job || s->log_next || s->hello_job || s->admit_job)
        return 0;
    int64_t iv = (int64_t)s->env->ping_interval_s * 1000000;
    int64_t ping = s->last_ping_us + iv, silent = s->last_rx_us + 3 * iv + 1;
    return ping < silent ? ping : silent;
}

void mvr_session_drained(struct mvr_session *s)
{
    for (int i = 0; s->chans && i < MVR_MAX_CHANNELS; i++)
        if (s->outq_bytes < MVR_OUTQ_REFILL && s->chans[i] && s->chans[i]->svc &&
            s->chans[i]->svc->writable)
            s->chans[i]->svc->writable(s->chans[i]->svc->ctx, s, s->chans[i]);
}

void mvr_session_goaway(struct mvr_session *s, uint32_t retry_after_ms, const char *why)
{
    mvr_session_goaway_reason(s, MVP_GOAWAY_SHUTDOWN, retry_after_ms, why);
}

void mvr_session_goaway_reason(struct mvr_session *s, uint32_t reason, uint32_t retry_after_ms,
                               const char *why)
{
    uint8_t buf[8 + 2 + MVP_MAX_ERRMSG];
    size_t ml = strlen(why);
    struct mvp_goaway g = {.reason = reason, .retry_after_ms = retry_after_ms,
                           .msg = (const uint8_t *)why,
                           .msg_len = (uint16_t)(ml > MVP_MAX_ERRMSG ? MVP_MAX_ERRMSG : ml)};
    int n = mvp_goaway_encode(&g, buf, sizeof buf);
    if (n >= 0)
        mvr_session_send(s, MVP_GOAWAY, MVP_CTRL_CHANNEL, buf, (uint32_t)n);
    s->close = MVR_CLOSE_NORMAL;
}
