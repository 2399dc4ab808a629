/* Transmit path: proto frames are queued back to back in txq and wrapped, whenever the
 * previous WebSocket frame has gone out, into one masked binary WebSocket frame, so
 * many small frames share one message and one TLS record. */
#include <string.h>

#include "conn_int.h"
#include "port.h"
#include "rand.h"

#define G mvk_conn_g

void mvk_conn_tx_reset(void)
{
    G.txq_len = 0;
    G.wire_len = G.wire_off = 0;
    G.ctl_len = 0;
    G.tx_again = 0;
    G.tx_blocked = 0;
}

static size_t txq_free(void)
{
    return sizeof(G.txq) - G.txq_len;
}

int mvk_conn_tx_frame(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len)
{
    int n = mvp_frame_encode(type, 0, chan, payload, len, G.txq + G.txq_len, txq_free());
    if (n < 0)
        return -1;
    G.txq_len += (size_t)n;
    G.stats.frames_tx++;
    return 0;
}

uint32_t mvk_conn_send_space(void)
{
    size_t room = txq_free();
    if (G.state != MVK_CONN_UP || room < MVK_CONN_CTRL_RESERVE + MVP_HDR_LEN)
        return 0;
    room -= MVK_CONN_CTRL_RESERVE + MVP_HDR_LEN;
    return room < G.max_payload ? (uint32_t)room : G.max_payload;
}

int mvk_conn_send(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len)
{
    if (G.state != MVK_CONN_UP || len > G.max_payload)
        return -1;
    if (len > mvk_conn_send_space()) {
        G.tx_blocked = len ? len : 1;
        return -2;
    }
    return mvk_conn_tx_frame(type, chan, payload, len) == 0 ? 0 : -2;
}

int mvk_conn_tx_ctl(uint8_t op, const uint8_t *payload, size_t len)
{
    uint8_t mask[4];
    if (G.ctl_len != 0 || mvk_rand_bytes(mask, sizeof(mask)) != 0)
        return -1; /* one pending control frame is enough: pongs answer the latest ping */
    G.ctl_len = mvk_ws_frame_encode(op, payload, len, mask, G.ctl, sizeof(G.ctl));
    return G.ctl_len ? 0 : -1;
}

/* Moves the next thing to send into the (empty) wire buffer; 0 if nothing to send. */
static int refill_wire(void)
{
    uint8_t mask[4];
    G.wire_len = G.wire_off = 0;
    if (G.ctl_len) {
        memcpy(G.wire, G.ctl, G.ctl_len);
        G.wire_len = G.ctl_len;
        G.ctl_len = 0;
        return 1;
    }
    if (G.txq_len == 0)
        return 0;
    if (mvk_rand_bytes(mask, sizeof(mask)) != 0)
        return -1;
    size_t h = mvk_ws_hdr_encode(MVK_WS_OP_BINARY, 1, G.txq_len, mask, G.wire, sizeof(G.wire));
    if (h == 0)
        return -1;
    memcpy(G.wire + h, G.txq, G.txq_len);
    mvk_ws_mask(G.wire + h, G.txq_len, mask, 0);
    G.wire_len = h + G.txq_len;
    G.txq_len = 0;
    return 1;
}

int mvk_conn_tx_flush(void)
{
    for (;;) {
        if (G.wire_off == G.wire_len) {
            int rc = refill_wire();
            if (rc == 0)
                return 0;
            if (rc < 0) {
                mvk_conn_fail(MVK_CONN_FAIL_LINK, 0);
                return -1;
            }
        }
        long n = G.io->send(G.wire + G.wire_off, G.wire_len - G.wire_off);
        if (n == MVK_LINK_AGAIN) {
            G.tx_again = 1;
            return 0;
        }
        if (n < 0) {
            mvk_conn_fail(MVK_CONN_FAIL_LINK, G.io->last_error());
            return -1;
        }
        G.tx_again = 0;
        G.wire_off += (size_t)n;
    }
}

int mvk_conn_tx_due(void)
{
    return !G.tx_again && (G.wire_off < G.wire_len || G.ctl_len || G.txq_len);
}

void mvk_conn_tx_close_frame(uint16_t code)
{
    uint8_t mask[4], body[2] = {(uint8_t)(code >> 8), (uint8_t)code};
    uint8_t f[MVK_WS_MAX_HDR + 2];
    /* Only between frames: a close inside a half-sent frame would corrupt the stream. */
    if (G.wire_off != G.wire_len || mvk_rand_bytes(mask, sizeof(mask)) != 0)
        return;
    size_t n = mvk_ws_frame_encode(MVK_WS_OP_CLOSE, body, sizeof(body), mask, f, sizeof(f));
    if (n)
        (void)G.io->send(f, n); /* best effort: the link is closed right after */
}
