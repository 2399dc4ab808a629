/* Channel table and the channel system calls' implementations. Buffers are linear: the
 * unread bytes always start at the buffer's beginning (consumed bytes are moved out),
 * so mvReadChannel and typed messages are always contiguous. */
#include "chan_priv.h"

#include <string.h>

#include "appmem.h"
#include "clock.h"
#include "handle.h"
#include "net.h"
#include "notify.h"

struct mvk_chan mvk_chans[MVK_MAX_CHANNELS];
struct mvk_chan_session mvk_chan_sess;
static uint64_t open_times[MVK_CHAN_OPEN_RATE]; /* ring of the last successful opens */
static uint32_t open_times_next, open_times_count;

void mvk_chan_init(void)
{
    memset(mvk_chans, 0, sizeof mvk_chans);
    memset(&mvk_chan_sess, 0, sizeof mvk_chan_sess);
    open_times_next = open_times_count = 0;
}

struct mvk_chan *mvk_chan_by_handle(uint32_t h)
{
    uint32_t i;

    if (mvk_handle_lookup(h, MVK_H_CHANNEL, &i) != 0 || i >= MVK_MAX_CHANNELS ||
        mvk_chans[i].state == MVK_CH_FREE)
        return 0;
    return &mvk_chans[i];
}

struct mvk_chan *mvk_chan_by_id(uint16_t id)
{
    for (uint32_t i = 0; i < MVK_MAX_CHANNELS; i++) {
        struct mvk_chan *c = &mvk_chans[i];
        if ((c->state == MVK_CH_OPENING || c->state == MVK_CH_OPEN) && !c->open_pending &&
            c->id == id)
            return c;
    }
    return 0;
}

void mvk_chan_post(struct mvk_chan *c, enum MvEventType ev)
{
    mvk_notify_post(c->notify_h, ev, c->tag);
}

void mvk_chan_post_readable(struct mvk_chan *c)
{
    if (!c->readable_posted) {
        c->readable_posted = 1;
        mvk_chan_post(c, MV_EVENTTYPE_CHANNELDATAREADABLE);
    }
}

void mvk_chan_mark_closed(struct mvk_chan *c, enum MvClosureReason reason)
{
    c->state = MVK_CH_CLOSED;
    c->reason = reason;
    c->open_pending = 0;
    mvk_chan_post(c, MV_EVENTTYPE_CHANNELNOTCONNECTED);
}

void mvk_chan_queue_close(uint16_t id, enum MvClosureReason reason)
{
    struct mvk_chan_session *s = &mvk_chan_sess;

    /* The queue holds one entry per channel that can be closing at once; if it were
     * ever full, the relay still drops the channel when the session ends. */
    if (s->close_count < MVK_CHAN_CLOSE_QUEUE) {
        s->close_ids[s->close_count] = id;
        s->close_reasons[s->close_count] = reason;
        s->close_count++;
    }
}

int mvk_chan_lookup(MvChannelHandle h, enum MvChannelType type, struct mvk_chan **out)
{
    struct mvk_chan *c = mvk_chan_by_handle(mvk_handle_value(h));

    if (!c || c->type != type)
        return MV_STATUS_INVALIDHANDLE;
    if (c->state == MVK_CH_CLOSED)
        return MV_STATUS_CHANNELCLOSED;
    *out = c;
    return MV_STATUS_OKAY;
}

uint32_t *mvk_chan_typed_state(struct mvk_chan *c)
{
    return &c->typed_state;
}

uint32_t mvk_chan_rx_capacity(const struct mvk_chan *c)
{
    return c->rx_cap;
}

static int rate_limited(uint64_t now)
{
    /* The oldest of the last MVK_CHAN_OPEN_RATE opens must be a full period ago. */
    if (open_times_count < MVK_CHAN_OPEN_RATE)
        return 0;
    return now - open_times[open_times_next] < MVK_CHAN_OPEN_PERIOD_US;
}

static void record_open(uint64_t now)
{
    open_times[open_times_next] = now;
    open_times_next = (open_times_next + 1) % MVK_CHAN_OPEN_RATE;
    if (open_times_count < MVK_CHAN_OPEN_RATE)
        open_times_count++;
}

static struct mvk_chan *free_chan(uint32_t *index)
{
    for (uint32_t i = 0; i < MVK_MAX_CHANNELS; i++) {
        if (mvk_chans[i].state == MVK_CH_FREE) {
            *index = i;
            return &mvk_chans[i];
        }
    }
    return 0;
}

static int claim_buffers(const struct mvk_chan_open *o)
{
    if (mvk_appmem_claim(o->rx, o->rx_len) != 0)
        return -1;
    if (mvk_appmem_claim(o->tx, o->tx_len) != 0) {
        mvk_appmem_release(o->rx);
        return -1;
    }
    return 0;
}

enum MvStatus mvk_impl_open_channel(const struct mvk_chan_open *o, uint32_t *out)
{
    uint64_t now = mvk_clock_now_us();
    uint32_t index = 0;
    struct mvk_chan *c = free_chan(&index);

    if (!c)
        return MV_STATUS_TOOMANYCHANNELS;
    if (mvk_net_status() != MV_NETWORKSTATUS_CONNECTED || !mvk_chan_sess.up)
        return MV_STATUS_NETWORKNOTCONNECTED;
    if (rate_limited(now))
        return MV_STATUS_RATELIMITED;
    if (mvk_appmem_in_use(o->rx, o->rx_len) || mvk_appmem_in_use(o->tx, o->tx_len))
        return MV_STATUS_BUFFERALREADYINUSE;
    memset(c, 0, sizeof *c);
    if (mvk_handle_alloc(MVK_H_CHANNEL, index, &c->handle) != 0)
        return MV_STATUS_INTERNALERROR;
    if (claim_buffers(o) != 0) {
        mvk_handle_free(c->handle);
        return MV_STATUS_INTERNALERROR;
    }
    record_open(now);
    c->state = MVK_CH_OPENING;
    c->open_pending = 1;
    c->open_deadline_us = now + MVK_CHAN_OPEN_TIMEOUT_US;
    c->notify_h = o->notify_h;
    c->tag = o->tag;
    c->type = o->type;
    memcpy(c->endpoint, o->endpoint, o->endpoint_len);
    c->endpoint_len = o->endpoint_len;
    c->rx = o->rx;
    c->rx_cap = o->rx_len;
    c->peer_credit = o->rx_len;
    c->tx = o->tx;
    c->tx_cap = o->tx_len;
    *out = c->handle;
    mvk_chan_pump();
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_impl_read_channel(uint32_t h, uint8_t **p, uint32_t *len)
{
    struct mvk_chan *c = mvk_chan_by_handle(h);

    if (!c)
        return MV_STATUS_INVALIDHANDLE;
    if (c->rx_len == 0 && c->state == MVK_CH_CLOSED)
        return MV_STATUS_CHANNELCLOSED;
    c->readable_posted = 0;
    *p = c->rx;
    *len = c->rx_len;
    return MV_STATUS_OKAY;
}

static void consume(struct mvk_chan *c, uint32_t n)
{
    memmove(c->rx, c->rx + n, c->rx_len - n);
    c->rx_len -= n;
    c->ungranted += n;
    c->readable_posted = 0;
    if (c->type != MV_CHANNELTYPE_OPAQUEBYTES && mvk_chan_typed_complete(c))
        mvk_chan_post_readable(c);
    mvk_chan_pump();
}

enum MvStatus mvk_impl_read_channel_complete(uint32_t h, uint32_t consumed)
{
    struct mvk_chan *c = mvk_chan_by_handle(h);

    if (!c)
        return MV_STATUS_INVALIDHANDLE;
    if (consumed > c->rx_len)
        return MV_STATUS_INVALIDBUFFERSIZE;
    consume(c, consumed);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_impl_write_channel(uint32_t h, const uint8_t *data, uint32_t len, int all,
                                     uint32_t *result)
{
    struct mvk_chan *c = mvk_chan_by_handle(h);
    uint32_t space, n;

    if (!c)
        return MV_STATUS_INVALIDHANDLE;
    if (c->state == MVK_CH_CLOSED)
        return MV_STATUS_CHANNELCLOSED;
    space = c->tx_cap - c->tx_len;
    n = len < space ? len : space;
    if (all && len > space) {
        c->space_wanted = 1;
        *result = space;
        return MV_STATUS_INVALIDBUFFERSIZE;
    }
    if (n < len)
        c->space_wanted = 1;
    if (n > 0)
        memmove(c->tx + c->tx_len, data, n);
    c->tx_len += n;
    *result = all ? c->tx_cap - c->tx_len : n;
    mvk_chan_pump();
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_impl_close_channel(uint32_t h)
{
    struct mvk_chan *c = mvk_chan_by_handle(h);

    if (!c)
        return MV_STATUS_INVALIDHANDLE;
    if ((c->state == MVK_CH_OPENING || c->state == MVK_CH_OPEN) && !c->open_pending)
        mvk_chan_queue_close(c->id, MV_CLOSUREREASON_CLOSEDBYAPPLICATION);
    mvk_appmem_release(c->rx);
    mvk_appmem_release(c->tx);
    mvk_handle_free(h);
    memset(c, 0, sizeof *c);
    mvk_chan_pump();
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_impl_channel_closure_reason(uint32_t h, enum MvClosureReason *r)
{
    struct mvk_chan *c = mvk_chan_by_handle(h);

    if (!c)
        return MV_STATUS_INVALIDHANDLE;
    *r = c->state == MVK_CH_CLOSED ? c->reason : MV_CLOSUREREASON_NONE;
    return MV_STATUS_OKAY;
}

void mvk_chan_app_reset(void)
{
    for (uint32_t i = 0; i < MVK_MAX_CHANNELS; i++) {
        struct mvk_chan *c = &mvk_chans[i];
        if (c->state == MVK_CH_FREE)
            continue;
        /* The relay learns that the device side went away, not that the app closed. */
        if ((c->state == MVK_CH_OPENING || c->state == MVK_CH_OPEN) && !c->open_pending)
            mvk_chan_queue_close(c->id, MV_CLOSUREREASON_UNEXPECTEDLYTERMINATED);
        mvk_appmem_release(c->rx);
        mvk_appmem_release(c->tx);
        mvk_handle_free(c->handle);
        memset(c, 0, sizeof *c);
    }
    mvk_chan_pump();
}

void mvk_chan_session_up(const struct mvp_welcome *w)
{
    mvk_chan_sess.up = 1;
    mvk_chan_sess.next_id = 1;
    mvk_chan_sess.close_count = 0;
    mvk_chan_sess.max_payload =
        w->max_payload < MVP_MAX_FRAME_PAYLOAD ? w->max_payload : MVP_MAX_FRAME_PAYLOAD;
}

void mvk_chan_session_down(void)
{
    mvk_chan_sess.up = 0;
    mvk_chan_sess.close_count = 0;
    for (uint32_t i = 0; i < MVK_MAX_CHANNELS; i++) {
        struct mvk_chan *c = &mvk_chans[i];
        if (c->state == MVK_CH_OPENING || c->state == MVK_CH_OPEN)
            mvk_chan_mark_closed(c, MV_CLOSUREREASON_NETWORKDISCONNECTED);
    }
}

/* Typed messages: an 8-byte header {type, flags, reserved u16, length u32 BE}. The
 * header is copied out of app memory once and judged from the copy. */
enum MvStatus mvk_chan_peek_msg(struct mvk_chan *c, uint8_t *msg_type, const uint8_t **body,
                                uint32_t *len)
{
    uint8_t hdr[MVP_HDR_LEN];
    uint32_t n;

    if (c->rx_len < MVP_HDR_LEN)
        return MV_STATUS_RESPONSENOTPRESENT;
    memcpy(hdr, c->rx, sizeof hdr);
    n = (uint32_t)hdr[4] << 24 | (uint32_t)hdr[5] << 16 | (uint32_t)hdr[6] << 8 | hdr[7];
    if (n > c->rx_len - MVP_HDR_LEN)
        return MV_STATUS_RESPONSENOTPRESENT;
    c->msg_len = MVP_HDR_LEN + n;
    *msg_type = hdr[0];
    *body = c->rx + MVP_HDR_LEN;
    *len = n;
    return MV_STATUS_OKAY;
}

int mvk_chan_typed_complete(struct mvk_chan *c)
{
    uint8_t t;
    const uint8_t *b;
    uint32_t n;

    return mvk_chan_peek_msg(c, &t, &b, &n) == MV_STATUS_OKAY;
}

void mvk_chan_consume_msg(struct mvk_chan *c)
{
    uint32_t n = c->msg_len <= c->rx_len ? c->msg_len : c->rx_len;

    c->msg_len = 0;
    consume(c, n);
}

enum MvStatus mvk_chan_send_msg(struct mvk_chan *c, uint8_t msg_type, const uint8_t *body,
                                uint32_t len)
{
    uint8_t hdr[MVP_HDR_LEN] = {msg_type, 0, 0, 0, (uint8_t)(len >> 24),
                                (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};

    if (c->state == MVK_CH_CLOSED)
        return MV_STATUS_CHANNELCLOSED;
    if (len > c->tx_cap || c->tx_cap - len < MVP_HDR_LEN)
        return MV_STATUS_INVALIDBUFFERSIZE;
    if (c->tx_cap - c->tx_len < MVP_HDR_LEN + len) {
        c->space_wanted = 1;
        return MV_STATUS_MICROVISORBUSY;
    }
    memcpy(c->tx + c->tx_len, hdr, sizeof hdr);
    if (len > 0)
        memmove(c->tx + c->tx_len + MVP_HDR_LEN, body, len);
    c->tx_len += MVP_HDR_LEN + len;
    mvk_chan_pump();
    return MV_STATUS_OKAY;
}
