/* Channel frames from the relay: OPEN_OK, OPEN_ERR, DATA, WINDOW, CLOSE. A frame for a
 * channel id never used, or a malformed payload, is answered with ERROR; one for an id
 * this side already closed is discarded quietly; DATA beyond the credit we granted
 * resets the channel. */
#include "chan_priv.h"

#include <string.h>

#include "mvp/wire.h"

static void on_open_ok(struct mvk_chan *c, const struct mvp_hdr *h, const uint8_t *p)
{
    uint32_t window;

    if (c->state != MVK_CH_OPENING || mvp_u32_decode(p, h->len, &window) < 0) {
        mvk_chan_send_error(MVP_E_INVALID, h->type);
        return;
    }
    c->state = MVK_CH_OPEN;
    c->send_credit = window;
}

static void on_open_err(struct mvk_chan *c, const struct mvp_hdr *h, const uint8_t *p)
{
    struct mvp_open_err e;

    if (c->state != MVK_CH_OPENING || mvp_open_err_decode(p, h->len, &e) < 0) {
        mvk_chan_send_error(MVP_E_INVALID, h->type);
        return;
    }
    c->open_err_status = e.status;
    mvk_chan_mark_closed(c, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
}

static void on_data(struct mvk_chan *c, const struct mvp_hdr *h, const uint8_t *p)
{
    if (h->len > c->peer_credit || h->len > c->rx_cap - c->rx_len) {
        /* The relay broke flow control: this channel's stream is no longer trustworthy. */
        mvk_chan_queue_close(c->id, MV_CLOSUREREASON_UNEXPECTEDLYTERMINATED);
        mvk_chan_mark_closed(c, MV_CLOSUREREASON_CHANNELRESETBYSERVER);
        return;
    }
    if (h->len == 0)
        return;
    memcpy(c->rx + c->rx_len, p, h->len);
    c->rx_len += h->len;
    c->peer_credit -= h->len;
    if (c->type == MV_CHANNELTYPE_OPAQUEBYTES || mvk_chan_typed_complete(c))
        mvk_chan_post_readable(c);
}

static void on_window(struct mvk_chan *c, const struct mvp_hdr *h, const uint8_t *p)
{
    uint32_t credit;

    if (mvp_u32_decode(p, h->len, &credit) < 0 || credit == 0 ||
        credit > MVP_MAX_WINDOW - c->send_credit) {
        mvk_chan_send_error(MVP_E_INVALID, h->type);
        return;
    }
    c->send_credit += credit;
}

static void on_close(struct mvk_chan *c, const struct mvp_hdr *h, const uint8_t *p)
{
    uint32_t reason;

    if (mvp_u32_decode(p, h->len, &reason) < 0)
        reason = MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER;
    /* Keep the relay's reason when it is a server-side one (e.g. a reset for a flow
     * control violation); anything else reads as a plain server close. */
    if (reason != MV_CLOSUREREASON_CHANNELRESETBYSERVER)
        reason = MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER;
    mvk_chan_mark_closed(c, (enum MvClosureReason)reason);
}

void mvk_chan_frame(const struct mvp_hdr *h, const uint8_t *payload)
{
    struct mvk_chan *c = h->chan != MVP_CTRL_CHANNEL ? mvk_chan_by_id(h->chan) : 0;

    if (!c || c->state == MVK_CH_CLOSED) {
        /* Our CLOSE (app close, open timeout, reset) crossed the relay's answer: the id
         * was used, so the frame is the normal race (PROTOCOL.md 5.1), not an error. */
        if (h->chan == MVP_CTRL_CHANNEL || h->chan >= mvk_chan_sess.next_id)
            mvk_chan_send_error(MVP_E_INVALID, h->type);
        return;
    }
    switch (h->type) {
    case MVP_OPEN_OK: on_open_ok(c, h, payload); break;
    case MVP_OPEN_ERR: on_open_err(c, h, payload); break;
    case MVP_DATA: on_data(c, h, payload); break;
    case MVP_WINDOW: on_window(c, h, payload); break;
    case MVP_CLOSE: on_close(c, h, payload); break;
    default: mvk_chan_send_error(MVP_E_INVALID, h->type); break;
    }
    mvk_chan_pump();
}
