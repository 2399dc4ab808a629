/* The update channel service (PROTOCOL.md 7.4, docs/ota.md): records the state each
 * device reports, offers the bundle the device is targeted at, and streams it from the
 * data dir in UPD_CHUNKs, each only when it fits the channel's credit, so no more than
 * the device's staging window is ever in flight. Chunks are queued only while the
 * session's output queue is below MVR_OUTQ_REFILL and refilled as the transport writes
 * them out (the writable callback), so a device's large window costs the relay no more
 * than that queue. A device can fetch only the bundle the relay offered to it. Reads are
 * pread()s of at most one chunk from a local file.
 * The store work (the device's update row, its reports, the update events) runs off the
 * loop as mvr_store_call jobs: a channel has one in the store at a time and its later
 * messages wait behind it in order, so a FETCH never overtakes the STATUS that leads to
 * the offer it names. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device/session_priv.h"
#include "mv_syscalls.h"
#include "mvp/msg.h"
#include "mvp/update.h"
#include "mvr/log.h"
#include "mvr/store_apps.h"
#include "mvr/util.h"
#include "svc/svc.h"
#include "svc/update_events.h"

#define MVR_UPD_PROGRESS_US 1000000

/* Bytes of bundle per UPD_CHUNK: 8164, not MVP_UPD_MAX_CHUNK, so that a chunk's frame
 * (8 frame + 8 message + 8 chunk header bytes) in a WebSocket message (4-byte header) is
 * exactly 8192 bytes: two full TLS records at the 4 KiB max fragment length the device
 * kernel negotiates, and k chunks coalesced into one message 2k records (dev.c). With
 * 8192-byte chunks every message ended in a 28-byte third record, and the device paid a
 * record (two recv calls and an AEAD pass) for it: a third of its records
 * (bench/README.md, host_ota). Protocol-wise any size up to MVP_UPD_MAX_CHUNK is valid. */
#define MVR_UPD_CHUNK (8192u - 4u - MVP_HDR_LEN - 8u - 8u)

struct upd {
    char offered[35]; /* the bundle offered to this device, "" before an offer */
    uint32_t budget;  /* bytes still allowed this second (with a rate limit) */
    int64_t budget_sec;
    int fd; /* that bundle's file, -1 if none */
    uint32_t size;
    uint32_t next; /* next offset to send while fetching */
    int fetching;
    int64_t status_sec; /* statuses handled in this second (a device's own report rate) */
    uint32_t changes, progress;
    struct upd_op *busy, *waiting, **waiting_tail; /* store work in order (see upd_op) */
    unsigned nwaiting;
    const struct mvr_svc_update_cfg *cfg;
    struct mvr_session *s;
    struct mvr_chan *c;
};

enum upd_op_kind { OP_STATUS, OP_FETCH, OP_KICK };

/* One message of the channel (or a target change) in order: a STATUS's store work runs
 * on a reader thread (inline with SQLite), the rest on the loop when it is its turn. */
struct upd_op {
    struct upd_op *next;
    struct upd *u; /* NULL once the channel closed */
    enum upd_op_kind kind;
    char device_id[35];
    int64_t now;
    /* OP_STATUS request */
    uint8_t state_code;
    uint32_t offset;
    char app[MVP_UPD_MAX_APP_ID + 1], reason[MVP_UPD_MAX_REASON + 1];
    /* results, from the reader thread */
    int reported;  /* the status was stored, or was progress within the second */
    int throttled; /* progress within the second: not stored again */
    unsigned inserted;
    int have_row;
    struct mvr_update row; /* the device's row after the report: what to offer */
    /* OP_FETCH: the message body */
    uint32_t len;
    uint8_t body[];
};

/* Messages waiting behind a store call, per channel: more than a well-behaved device
 * sends in the time of a few slow store calls; beyond it the device is flooding. */
#define MVR_UPD_MAX_WAITING 256u

/* A device reports a handful of changes per update and its download progress every
 * 256 KiB; beyond these rates per second it misbehaves, and each status costs store
 * work and a log line: the rest of that second's statuses are dropped. */
#define MVR_UPD_MAX_CHANGES_PER_S 10u
#define MVR_UPD_MAX_PROGRESS_PER_S 200u

static int send_msg(struct mvr_session *s, struct mvr_chan *c, uint8_t type, const uint8_t *body,
                    int len)
{
    uint8_t hdr[8];
    if (len < 0)
        return -1;
    uint8_t *buf = malloc(8 + (size_t)len);
    if (!buf)
        return -1;
    mvp_msg_hdr_encode(type, (uint32_t)len, hdr);
    memcpy(buf, hdr, 8);
    memcpy(buf + 8, body, (size_t)len);
    int rc = mvr_chan_send(s, c, buf, 8 + (size_t)len);
    free(buf);
    return rc;
}

static void drop_bundle(struct upd *u)
{
    if (u->fd >= 0)
        close(u->fd);
    u->fd = -1;
    u->offered[0] = '\0';
    u->fetching = 0;
}

/* Offers the target bundle unless the device already has it (or refused it); row is
 * the device's update row, read off the loop (NULL: none or unreadable). */
static int offer_if_needed(struct upd *u, const struct mvr_update *row_in)
{
    const struct mvr_datadir *dd = u->cfg->dd;
    struct mvr_session *s = u->s;
    struct mvr_chan *c = u->c;
    struct stat stb;
    char path[4096];
    if (!row_in || !row_in->target_app[0])
        return 0;
    const struct mvr_update row = *row_in;
    static const char *const settled[] = {"downloaded", "applied", "failed", "rolled back"};
    for (size_t i = 0; i < sizeof settled / sizeof settled[0]; i++)
        if (!strcmp(row.app_id, row.target_app) && !strcmp(row.state, settled[i]))
            return 0;
    drop_bundle(u);
    if (mvr_app_path(dd, row.target_app, path, sizeof path) < 0 ||
        (u->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(u->fd, &stb) < 0 ||
        stb.st_size <= 0 || stb.st_size > MVP_UPD_MAX_BUNDLE) {
        mvr_log(MVR_ERROR, "update bundle unreadable", "device=%s app=%s", s->device_id,
                row.target_app);
        drop_bundle(u);
        return 0;
    }
    snprintf(u->offered, sizeof u->offered, "%s", row.target_app);
    u->size = (uint32_t)stb.st_size;
    uint8_t body[8 + MVP_UPD_MAX_APP_ID];
    struct mvp_upd_offer o = {u->size, (const uint8_t *)u->offered, (uint16_t)strlen(u->offered)};
    mvr_log(MVR_INFO, "update offered", "device=%s app=%s size=%u", s->device_id, u->offered,
            u->size);
    return send_msg(s, c, MVP_MSG_UPD_OFFER, body, mvp_upd_offer_encode(&o, body, sizeof body));
}

/* Bytes the rate limit allows now (SIZE_MAX without one); the budget refills each
 * second, and the session tick resumes a paced download. */
static size_t allowance(const struct mvr_svc_update_cfg *cfg, struct upd *u)
{
    if (!cfg->rate)
        return SIZE_MAX;
    int64_t sec = mvr_now_us() / 1000000;
    if (sec != u->budget_sec) {
        u->budget_sec = sec;
        u->budget = cfg->rate;
    }
    return u->budget;
}

/* Sends chunks while whole messages fit the device's credit (and the rate limit) and the
 * session's output queue has room. */
static int pump(const struct mvr_svc_update_cfg *cfg, struct mvr_session *s, struct mvr_chan *c)
{
    struct upd *u = c->svc_state;
    static uint8_t data[MVR_UPD_CHUNK], body[MVR_UPD_CHUNK + 8];
    while (u->fetching && u->next < u->size) {
        size_t avail = mvr_chan_avail(c), allowed = allowance(cfg, u);
        if (avail < 8 + 8 + 1 || allowed == 0 || s->outq_bytes >= MVR_OUTQ_REFILL)
            return 0; /* resumed by the window or writable callback, or the tick */
        size_t n = u->size - u->next;
        if (n > MVR_UPD_CHUNK)
            n = MVR_UPD_CHUNK;
        if (n > avail - 16)
            n = avail - 16;
        if (n > allowed)
            n = allowed;
        ssize_t got = pread(u->fd, data, n, u->next);
        if (got <= 0) {
            mvr_log(MVR_ERROR, "update bundle read failed", "device=%s app=%s", s->device_id,
                    u->offered);
            return MVR_SVC_RESET;
        }
        struct mvp_upd_chunk ch = {u->next, data, (uint32_t)got};
        if (send_msg(s, c, MVP_MSG_UPD_CHUNK, body, mvp_upd_chunk_encode(&ch, body, sizeof body)))
            return -1;
        u->next += (uint32_t)got;
        if (cfg->rate)
            u->budget -= (uint32_t)got;
    }
    u->fetching = 0;
    return 0;
}

/* On a reader thread (inline with SQLite): what on_status did with the store. */
static void status_run(struct mvr_store *st, struct mvr_store_job *j)
{
    struct upd_op *op = j->owner;
    const char *state = mvp_upd_state_name(op->state_code);
    struct mvr_update prev;
    int have = mvr_store_update_get(st, op->device_id, &prev) == MVR_OK;
    int changed = !have || strcmp(prev.state, state) || strcmp(prev.app_id, op->app) ||
                  prev.offset != (int64_t)op->offset;
    /* Progress of the same download is stored (and shown) at most once a second: a fast
     * download must not cost two store writes per 64 KiB. */
    op->throttled = have && op->state_code == MVP_UPD_DOWNLOADING &&
                    !strcmp(prev.state, state) && !strcmp(prev.app_id, op->app) &&
                    op->now - prev.updated_at < MVR_UPD_PROGRESS_US;
    if (!op->throttled) {
        if (mvr_store_update_report(st, op->device_id, state, op->app, op->offset, op->reason,
                                    op->now) != MVR_OK)
            return; /* the device reports again after its next connect */
        /* Every change but "nothing to do" shows in the device's log. */
        if (changed && op->state_code != MVP_UPD_IDLE) {
            char at[32] = "";
            if (op->state_code == MVP_UPD_DOWNLOADING)
                snprintf(at, sizeof at, " at offset %u", op->offset);
            op->inserted = mvr_update_event(st, op->device_id, "update: %s %s%s%s%s", state,
                                            op->app, at, op->reason[0] ? ": " : "", op->reason);
        }
    }
    op->reported = 1;
    op->have_row = mvr_store_update_get(st, op->device_id, &op->row) == MVR_OK;
}

/* On the loop, the status's store work done: offer what the row says, if due. */
static int status_done(struct upd *u, const struct upd_op *op)
{
    const struct mvr_update *row = op->have_row ? &op->row : NULL;
    if (!op->reported)
        return 0;
    if (op->throttled)
        return u->offered[0] ? 0 : offer_if_needed(u, row);
    /* A DOWNLOADING status after our offer on this channel is progress; as the first
     * status of a channel (a new session) it asks for the offer again, to resume. */
    if (op->state_code == MVP_UPD_DOWNLOADING && u->offered[0])
        return 0;
    return offer_if_needed(u, row);
}

/* On a reader thread: the row a target change offers. */
static void kick_run(struct mvr_store *st, struct mvr_store_job *j)
{
    struct upd_op *op = j->owner;
    op->have_row = mvr_store_update_get(st, op->device_id, &op->row) == MVR_OK;
}

static struct upd_op *op_new(struct upd *u, enum upd_op_kind kind, const uint8_t *body,
                             uint32_t len)
{
    struct upd_op *op = calloc(1, sizeof *op + len);
    if (!op)
        return NULL;
    op->u = u;
    op->kind = kind;
    snprintf(op->device_id, sizeof op->device_id, "%s", u->s->device_id);
    op->now = mvr_now_us();
    op->len = len;
    if (len)
        memcpy(op->body, body, len);
    return op;
}

static int advance(struct upd *u);

/* Appends op behind the channel's store work and runs what is due. */
static int enqueue(struct upd *u, struct upd_op *op)
{
    if (u->nwaiting >= MVR_UPD_MAX_WAITING) {
        free(op);
        mvr_log(MVR_WARN, "update channel flooded", "device=%s", u->s->device_id);
        return MVR_SVC_RESET;
    }
    *u->waiting_tail = op;
    u->waiting_tail = &op->next;
    u->nwaiting++;
    return advance(u);
}

static int on_status(struct upd *u, const uint8_t *p, uint32_t len)
{
    struct mvp_upd_status m;
    char reason[MVP_UPD_MAX_REASON + 1], esc[4 * MVP_UPD_MAX_REASON + 1];
    if (mvp_upd_status_decode(p, len, &m) < 0)
        return MVR_SVC_RESET;
    int64_t sec = mvr_now_us() / 1000000;
    if (sec != u->status_sec) {
        u->status_sec = sec;
        u->changes = u->progress = 0;
    }
    if (m.state == MVP_UPD_DOWNLOADING ? ++u->progress > MVR_UPD_MAX_PROGRESS_PER_S
                                       : ++u->changes > MVR_UPD_MAX_CHANGES_PER_S)
        return 0;
    struct upd_op *op = op_new(u, OP_STATUS, NULL, 0);
    if (!op)
        return -1;
    op->state_code = m.state;
    op->offset = m.offset;
    snprintf(op->app, sizeof op->app, "%.*s", m.app_id_len, (const char *)m.app_id);
    snprintf(reason, sizeof reason, "%.*s", m.reason_len, (const char *)m.reason);
    memcpy(op->reason, reason, sizeof reason);
    /* Printable ASCII (checked by the decoder), but a '"' must not end the quoted value. */
    mvr_log(m.state == MVP_UPD_FAILED || m.state == MVP_UPD_ROLLEDBACK ? MVR_WARN : MVR_INFO,
            "update state", "device=%s state=\"%s\" app=%s offset=%u reason=\"%s\"",
            u->s->device_id, mvp_upd_state_name(m.state), op->app, m.offset,
            mvr_log_esc(reason, strlen(reason), esc, sizeof esc));
    return enqueue(u, op);
}

static int on_fetch(struct upd *u, const uint8_t *p, uint32_t len)
{
    struct mvr_session *s = u->s;
    struct mvp_upd_fetch f;
    if (mvp_upd_fetch_decode(p, len, &f) < 0)
        return MVR_SVC_RESET;
    /* Only the bundle offered to this device, never one named by the device. */
    if (!u->offered[0] || f.app_id_len != strlen(u->offered) ||
        memcmp(f.app_id, u->offered, f.app_id_len) != 0 || f.offset > u->size) {
        mvr_log(MVR_WARN, "update fetch refused", "device=%s offset=%u", s->device_id, f.offset);
        return MVR_SVC_RESET;
    }
    u->next = f.offset;
    u->fetching = 1;
    return pump(u->cfg, s, u->c);
}

static void op_done(struct mvr_store_job *j);

/* Runs the waiting work in order until one item needs the store (or none is left). */
static int advance(struct upd *u)
{
    while (!u->busy && u->waiting) {
        struct upd_op *op = u->waiting;
        u->waiting = op->next;
        if (!u->waiting)
            u->waiting_tail = &u->waiting;
        u->nwaiting--;
        op->next = NULL;
        if (op->kind == OP_FETCH) {
            int rc = on_fetch(u, op->body, op->len);
            free(op);
            if (rc != 0)
                return rc;
            continue;
        }
        struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_CALL, "", 0);
        if (!j) {
            free(op);
            return -1;
        }
        j->owner = op;
        j->run = op->kind == OP_STATUS ? status_run : kick_run;
        j->done = op_done;
        u->busy = op;
        mvr_store_call(u->s->env->store, j);
    }
    return 0;
}

/* On the loop: finish the item that was in the store, then what waited behind it. */
static void op_done(struct mvr_store_job *j)
{
    struct upd_op *op = j->owner;
    struct upd *u = op->u;
    int ran = j->status == MVR_OK;
    mvr_store_job_free(j);
    if (!u) { /* the channel closed meanwhile */
        free(op);
        return;
    }
    u->busy = NULL;
    struct mvr_session *s = u->s;
    if (op->inserted && s->env->on_logs)
        s->env->on_logs(s->env->ctx, s->device_id);
    int rc = 0;
    if (ran)
        rc = op->kind == OP_STATUS ? status_done(u, op)
                                   : offer_if_needed(u, op->have_row ? &op->row : NULL);
    free(op);
    if (rc == 0)
        rc = advance(u);
    if (rc == -1)
        s->close = MVR_CLOSE_PROTOCOL; /* out of memory: end the session */
    else if (rc != 0)
        mvr_chan_close(s, u->c, MV_CLOSUREREASON_CHANNELRESETBYSERVER); /* frees u */
    mvr_session_kick(s);
}

static uint32_t upd_open(void *ctx, struct mvr_session *s, struct mvr_chan *c,
                         const uint8_t *endpoint, size_t endpoint_len, const char **why)
{
    (void)endpoint;
    struct upd *u = calloc(1, sizeof *u);
    if (endpoint_len) {
        free(u);
        *why = "the update channel has no endpoint";
        return MV_STATUS_UNKNOWNCHANNELENDPOINT;
    }
    if (!u) {
        *why = "out of memory";
        return MV_STATUS_UNAVAILABLE;
    }
    u->fd = -1;
    u->waiting_tail = &u->waiting;
    u->cfg = ctx;
    u->s = s;
    u->c = c;
    c->svc_state = u;
    return 0;
}

static int upd_msg(void *ctx, struct mvr_session *s, struct mvr_chan *c, const struct mvp_frame *m)
{
    (void)ctx, (void)s;
    struct upd *u = c->svc_state;
    switch (m->hdr.type) {
    case MVP_MSG_UPD_STATUS: return on_status(u, m->payload, m->hdr.len);
    case MVP_MSG_UPD_FETCH: {
        struct upd_op *op = op_new(u, OP_FETCH, m->payload, m->hdr.len);
        return op ? enqueue(u, op) : -1;
    }
    default: return MVR_SVC_RESET;
    }
}

static void upd_window(void *ctx, struct mvr_session *s, struct mvr_chan *c)
{
    if (pump(ctx, s, c) != 0)
        mvr_chan_close(s, c, MV_CLOSUREREASON_CHANNELRESETBYSERVER);
}

static void upd_writable(void *ctx, struct mvr_session *s, struct mvr_chan *c)
{
    struct upd *u = c->svc_state;
    if (u && u->fetching && pump(ctx, s, c) != 0)
        mvr_chan_close(s, c, MV_CLOSUREREASON_CHANNELRESETBYSERVER);
}

static void upd_tick(void *ctx, struct mvr_session *s, struct mvr_chan *c, int64_t now)
{
    (void)now;
    struct upd *u = c->svc_state;
    if (u && u->fetching && pump(ctx, s, c) != 0)
        mvr_chan_close(s, c, MV_CLOSUREREASON_CHANNELRESETBYSERVER);
}

static void upd_close(void *ctx, struct mvr_session *s, struct mvr_chan *c)
{
    (void)ctx, (void)s;
    struct upd *u = c->svc_state;
    if (!u)
        return;
    if (u->busy)
        u->busy->u = NULL; /* its completion only frees it */
    for (struct upd_op *op = u->waiting, *next; op; op = next) {
        next = op->next;
        free(op);
    }
    drop_bundle(u);
    free(u);
    c->svc_state = NULL;
}

void mvr_svc_update_kick(struct mvr_session *s)
{
    for (int i = 0; s->chans && i < MVR_MAX_CHANNELS; i++) {
        struct mvr_chan *c = s->chans[i];
        if (c && c->type == MVP_CHAN_UPDATE && c->svc && c->svc->ctx && c->svc_state) {
            struct upd *u = c->svc_state;
            struct upd_op *op = op_new(u, OP_KICK, NULL, 0);
            if (!op || enqueue(u, op) != 0)
                mvr_chan_close(s, c, MV_CLOSUREREASON_CHANNELRESETBYSERVER);
        }
    }
}

struct mvr_svc mvr_svc_update_make(const struct mvr_svc_update_cfg *cfg)
{
    return (struct mvr_svc){.name = "update",
                            .open = upd_open,
                            .msg = upd_msg,
                            .window = upd_window,
                            .close = upd_close,
                            .tick = upd_tick,
                            .writable = upd_writable,
                            .ctx = (void *)cfg,
                            .max_msg = 8 + 8 + MVP_UPD_MAX_APP_ID + MVP_UPD_MAX_REASON};
}
