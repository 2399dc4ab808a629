/* Channel frames to the relay. Everything the channels owe the relay is state (an OPEN
 * not yet sent, bytes in a send buffer, credit to return, ids to close), so the pump can
 * stop whenever conn is full and resume from mvk_session_writable. */
#include "chan_priv.h"

#include <string.h>

#include "conn.h"
#include "mvp/wire.h"

static int send_open(struct mvk_chan *c)
{
    uint8_t buf[16 + MVP_MAX_ENDPOINT];
    struct mvp_open o = {(uint32_t)c->type, c->rx_cap, c->endpoint, c->endpoint_len};
    int n = mvp_open_encode(&o, buf, sizeof buf);

    if (n < 0 || mvk_chan_sess.next_id == 0)
        return -1;
    if (mvk_conn_send(MVP_OPEN, mvk_chan_sess.next_id, buf, (uint32_t)n) != 0)
        return -1;
    c->id = mvk_chan_sess.next_id++;
    c->open_pending = 0;
    return 0;
}

static int send_window(struct mvk_chan *c)
{
    uint8_t buf[4];
    int n;

    /* Return credit in chunks of at least half the buffer, as HTTP/2 and yamux do, so
     * the relay is not flooded with tiny WINDOW frames. */
    if (c->ungranted == 0 || c->ungranted < c->rx_cap / 2)
        return 0;
    n = mvp_u32_encode(c->ungranted, buf, sizeof buf);
    if (n < 0 || mvk_conn_send(MVP_WINDOW, c->id, buf, (uint32_t)n) != 0)
        return -1;
    c->peer_credit += c->ungranted;
    c->ungranted = 0;
    return 0;
}

static uint32_t min3(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t m = a < b ? a : b;
    return m < c ? m : c;
}

static int send_data(struct mvk_chan *c)
{
    while (c->tx_len > 0 && c->send_credit > 0) {
        uint32_t n = min3(c->tx_len, c->send_credit, mvk_chan_sess.max_payload);
        uint32_t room = mvk_conn_send_space();
        if (room < n)
            n = room;
        if (n == 0 || mvk_conn_send(MVP_DATA, c->id, c->tx, n) != 0)
            return -1;
        memmove(c->tx, c->tx + n, c->tx_len - n);
        c->tx_len -= n;
        c->send_credit -= n;
        if (c->space_wanted) {
            c->space_wanted = 0;
            mvk_chan_post(c, MV_EVENTTYPE_CHANNELDATAWRITESPACE);
        }
    }
    return 0;
}

static int send_closes(void)
{
    struct mvk_chan_session *s = &mvk_chan_sess;
    uint8_t buf[4];

    while (s->close_count > 0) {
        int n = mvp_u32_encode((uint32_t)s->close_reasons[0], buf, sizeof buf);
        if (n < 0 || mvk_conn_send(MVP_CLOSE, s->close_ids[0], buf, (uint32_t)n) != 0)
            return -1;
        s->close_count--;
        memmove(s->close_ids, s->close_ids + 1, s->close_count * sizeof s->close_ids[0]);
        memmove(s->close_reasons, s->close_reasons + 1,
                s->close_count * sizeof s->close_reasons[0]);
    }
    return 0;
}

static int pump_one(struct mvk_chan *c)
{
    if (c->state != MVK_CH_OPENING && c->state != MVK_CH_OPEN)
        return 0;
    if (c->open_pending)
        return send_open(c);
    if (send_window(c) != 0)
        return -1;
    return c->state == MVK_CH_OPEN ? send_data(c) : 0;
}

void mvk_chan_pump(void)
{
    if (!mvk_chan_sess.up)
        return;
    if (send_closes() != 0)
        return;
    for (uint32_t i = 0; i < MVK_MAX_CHANNELS; i++)
        if (pump_one(&mvk_chans[i]) != 0)
            return;
}

void mvk_chan_send_error(uint32_t code, uint8_t frame_type)
{
    uint8_t buf[16];
    struct mvp_error e = {code, frame_type, 0, 0};
    int n = mvp_error_encode(&e, buf, sizeof buf);

    /* Best effort: an ERROR that does not fit now is informational only. */
    if (n >= 0)
        (void)mvk_conn_send(MVP_ERROR, MVP_CTRL_CHANNEL, buf, (uint32_t)n);
}

uint16_t mvk_chan_alloc_id(void)
{
    if (!mvk_chan_sess.up || mvk_chan_sess.next_id == 0)
        return 0;
    return mvk_chan_sess.next_id++;
}

void mvk_chan_unalloc_id(uint16_t id)
{
    if (id != 0 && (uint16_t)(id + 1u) == mvk_chan_sess.next_id)
        mvk_chan_sess.next_id = id;
}
