/* Channels of a device session: OPEN/OPEN_OK/OPEN_ERR, DATA with per-channel credit in
 * both directions (as yamux/HTTP/2), WINDOW top-ups and CLOSE. Typed messages in the
 * DATA stream are reassembled with mvp_reader and handed to the channel's service. */
#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvp/msg.h"
#include "mvp/update.h"
#include "mvr/log.h"
#include "mvr/metrics.h"
#include "device/session_priv.h"

void mvr_chan_free(struct mvr_session *s, struct mvr_chan *c)
{
    if (!c)
        return;
    if (c->svc && c->svc->close)
        c->svc->close(c->svc->ctx, s, c);
    free(c->rdbuf);
    free(c->tx_pending);
    free(c);
}

static struct mvr_chan **find_slot(struct mvr_session *s, uint16_t id)
{
    for (int i = 0; s->chans && i < MVR_MAX_CHANNELS; i++)
        if (s->chans[i] && s->chans[i]->id == id)
            return &s->chans[i];
    return NULL;
}

static void drop(struct mvr_session *s, uint16_t id)
{
    struct mvr_chan **slot = find_slot(s, id);
    if (slot) {
        struct mvr_chan *c = *slot;
        *slot = NULL; /* first: svc->close must not find the channel half gone */
        mvr_chan_free(s, c);
    }
}

static int send_u32(struct mvr_session *s, uint8_t type, uint16_t chan, uint32_t v)
{
    uint8_t buf[4];
    int n = mvp_u32_encode(v, buf, sizeof buf);
    return n < 0 ? -1 : mvr_session_send(s, type, chan, buf, (uint32_t)n);
}

static int refuse(struct mvr_session *s, uint16_t chan, uint32_t status, const char *why)
{
    uint8_t buf[4 + 2 + MVP_MAX_ERRMSG];
    struct mvp_open_err e = {.status = status, .msg = (const uint8_t *)why,
                             .msg_len = (uint16_t)strlen(why)};
    int n = mvp_open_err_encode(&e, buf, sizeof buf);
    mvr_log(MVR_INFO, "channel refused", "device=%s chan=%u status=%u reason=\"%s\"",
            s->device_id, chan, status, why);
    return n < 0 ? -1 : mvr_session_send(s, MVP_OPEN_ERR, chan, buf, (uint32_t)n);
}

/* The service behind a channel type, or NULL with an OPEN_ERR status and text. */
static const struct mvr_svc *find_service(const struct mvr_session *s, uint32_t type,
                                          uint32_t *status, const char **why)
{
    const struct mvr_svc *svc = type < MVR_SVC_TYPES ? s->env->svc[type] : NULL;
    if (!svc && type == MV_CHANNELTYPE_CONFIGFETCH)
        svc = &mvr_svc_cfgfetch;
    if (type == MVP_CHAN_UPDATE)
        svc = s->env->svc_update;
    if (svc)
        return svc;
    if (type == MV_CHANNELTYPE_OPAQUEBYTES) {
        *status = MV_STATUS_UNKNOWNCHANNELENDPOINT;
        *why = "no such endpoint";
    } else if (type < MVR_SVC_TYPES) {
        *status = MV_STATUS_UNAVAILABLE;
        *why = "service not available on this relay";
    } else {
        *status = MV_STATUS_UNKNOWNCHANNELTYPE;
        *why = "unknown channel type";
    }
    return NULL;
}

int mvr_sess_on_open(struct mvr_session *s, const struct mvp_frame *f)
{
    struct mvp_open o;
    const char *why = "";
    uint16_t id = f->hdr.chan;
    if (mvp_open_decode(f->payload, f->hdr.len, &o) < 0)
        return mvr_sess_fatal(s, MVP_E_INVALID, MVP_OPEN, "malformed OPEN");
    if (id == 0 || id <= s->last_chan_id) {
        mvr_metrics.errors[MVR_ERRK_UNKNOWN_CHANNEL]++;
        mvr_sess_error(s, MVP_E_INVALID, MVP_OPEN, "channel id reused or not increasing");
        return 0;
    }
    s->last_chan_id = id; /* the id is used up even if the open is refused */
    uint32_t status = 0;
    const struct mvr_svc *svc = find_service(s, o.chan_type, &status, &why);
    if (!svc)
        return refuse(s, id, status, why);
    if (!s->chans && !(s->chans = calloc(MVR_MAX_CHANNELS, sizeof *s->chans)))
        return -1;
    struct mvr_chan **slot = NULL;
    for (int i = 0; !slot && i < MVR_MAX_CHANNELS; i++)
        if (!s->chans[i])
            slot = &s->chans[i];
    if (!slot)
        return refuse(s, id, MV_STATUS_TOOMANYCHANNELS, "too many open channels");
    struct mvr_chan *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    c->rdmax = svc->max_msg ? svc->max_msg : CHAN_MSG_MAX;
    c->id = id;
    c->type = o.chan_type;
    c->window = c->rx_credit = s->env->initial_window;
    c->tx_credit = o.window;
    status = svc->open(svc->ctx, s, c, o.endpoint, o.endpoint_len, &why);
    if (status) {
        free(c);
        return refuse(s, id, status, why);
    }
    c->svc = svc;
    *slot = c;
    return send_u32(s, MVP_OPEN_OK, id, s->env->initial_window);
}

static struct mvr_chan *lookup(struct mvr_session *s, const struct mvp_frame *f)
{
    struct mvr_chan **slot = f->hdr.chan ? find_slot(s, f->hdr.chan) : NULL;
    if (!slot) {
        mvr_metrics.errors[MVR_ERRK_UNKNOWN_CHANNEL]++;
        mvr_sess_error(s, MVP_E_INVALID, f->hdr.type, "unknown or closed channel");
        return NULL;
    }
    return *slot;
}

/* A channel-level failure resets only that channel, never the connection. */
static int reset(struct mvr_session *s, struct mvr_chan *c, const char *why)
{
    uint16_t id = c->id;
    mvr_log(MVR_WARN, "channel reset", "device=%s chan=%u reason=\"%s\"", s->device_id, id,
            why);
    drop(s, id);
    return send_u32(s, MVP_CLOSE, id, MV_CLOSUREREASON_CHANNELRESETBYSERVER);
}

int mvr_chan_close(struct mvr_session *s, struct mvr_chan *c, uint32_t reason)
{
    uint16_t id = c->id;
    drop(s, id);
    int rc = send_u32(s, MVP_CLOSE, id, reason);
    mvr_session_kick(s);
    return rc;
}

size_t mvr_chan_avail(const struct mvr_chan *c)
{
    return c->tx_credit > c->tx_len ? c->tx_credit - c->tx_len : 0;
}

static int handle_msg(struct mvr_session *s, struct mvr_chan *c, const struct mvp_frame *m)
{
    int rc = c->svc->msg(c->svc->ctx, s, c, m);
    return rc == MVR_SVC_RESET ? reset(s, c, "request refused by the channel's service") : rc;
}

int mvr_sess_on_data(struct mvr_session *s, const struct mvp_frame *f)
{
    struct mvr_chan *c = lookup(s, f);
    if (!c)
        return 0;
    if (f->hdr.len > c->rx_credit) {
        mvr_metrics.errors[MVR_ERRK_FLOW_CONTROL]++;
        return reset(s, c, "DATA beyond granted credit");
    }
    c->rx_credit -= f->hdr.len;
    /* The reassembly buffer exists only while a message is partly received, so idle
     * channels with a large max_msg (HTTP: 68 KiB) cost no memory. */
    if (!c->rdbuf && f->hdr.len) {
        if (!(c->rdbuf = malloc(c->rdmax)))
            return -1;
        mvp_reader_init(&c->rd, c->rdbuf, c->rdmax, c->rdmax);
    }
    const uint8_t *p = f->payload;
    size_t len = f->hdr.len;
    uint16_t id = c->id;
    while (len) {
        size_t used = 0;
        struct mvp_frame m;
        int rc = mvp_reader_feed(&c->rd, p, len, &used, &m);
        p += used;
        len -= used;
        if (rc < 0)
            return reset(s, c, "malformed message in DATA");
        if (rc == 1 && handle_msg(s, c, &m) < 0)
            return -1;
        if (!find_slot(s, id))
            return 0; /* the handler reset the channel */
    }
    if (c->rdbuf && mvp_reader_idle(&c->rd)) {
        free(c->rdbuf);
        c->rdbuf = NULL;
    }
    /* The relay consumes DATA as it arrives, so credit returns at once, in halves. */
    c->rx_consumed += f->hdr.len;
    if (c->rx_consumed >= c->window / 2) {
        c->rx_credit += c->rx_consumed;
        uint32_t grant = c->rx_consumed;
        c->rx_consumed = 0;
        return send_u32(s, MVP_WINDOW, c->id, grant);
    }
    return 0;
}

static int flush(struct mvr_session *s, struct mvr_chan *c)
{
    size_t off = 0;
    while (off < c->tx_len && c->tx_credit) {
        size_t n = c->tx_len - off;
        if (n > c->tx_credit)
            n = c->tx_credit;
        if (n > MVP_MAX_FRAME_PAYLOAD)
            n = MVP_MAX_FRAME_PAYLOAD;
        if (mvr_session_send(s, MVP_DATA, c->id, c->tx_pending + off, (uint32_t)n) < 0)
            return -1;
        c->tx_credit -= (uint32_t)n;
        off += n;
    }
    if (off && off < c->tx_len) /* tx_pending may be NULL when nothing was ever queued */
        memmove(c->tx_pending, c->tx_pending + off, c->tx_len - off);
    c->tx_len -= off;
    return 0;
}

int mvr_chan_send(struct mvr_session *s, struct mvr_chan *c, const uint8_t *p, size_t n)
{
    uint8_t *nb = realloc(c->tx_pending, c->tx_len + n);
    if (!nb)
        return -1;
    c->tx_pending = nb;
    memcpy(c->tx_pending + c->tx_len, p, n);
    c->tx_len += n;
    return flush(s, c);
}

int mvr_sess_on_window(struct mvr_session *s, const struct mvp_frame *f)
{
    uint32_t credit;
    if (mvp_u32_decode(f->payload, f->hdr.len, &credit) < 0 || credit == 0)
        return mvr_sess_fatal(s, MVP_E_INVALID, MVP_WINDOW, "malformed WINDOW");
    struct mvr_chan *c = lookup(s, f);
    if (!c)
        return 0;
    if (credit > UINT32_MAX - c->tx_credit)
        return reset(s, c, "credit overflow");
    c->tx_credit += credit;
    if (flush(s, c) < 0)
        return -1;
    if (c->tx_len == 0 && c->svc->window)
        c->svc->window(c->svc->ctx, s, c);
    return 0;
}

int mvr_sess_on_close(struct mvr_session *s, const struct mvp_frame *f)
{
    uint32_t reason;
    if (mvp_u32_decode(f->payload, f->hdr.len, &reason) < 0)
        return mvr_sess_fatal(s, MVP_E_INVALID, MVP_CLOSE, "malformed CLOSE");
    /* The device may close before our OPEN_OK/OPEN_ERR reached it: a CLOSE for a used id
     * we refused or already closed is that normal race, so no ERROR (PROTOCOL.md 5.1). */
    if (f->hdr.chan && f->hdr.chan <= s->last_chan_id && !find_slot(s, f->hdr.chan))
        return 0;
    if (!lookup(s, f))
        return 0;
    drop(s, f->hdr.chan);
    return 0;
}
