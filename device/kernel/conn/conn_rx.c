/* Receive path: transport bytes -> WebSocket decoder -> proto frame reader -> conn's
 * own frames (WELCOME, PING, PONG, GOAWAY) or the session. Everything here is relay
 * input: each stage bounds-checks, and any violation ends the connection. */
#include "conn_int.h"
#include "mvp/ctrl.h"
#include "mvp/wire.h"
#include "port.h"

#define G mvk_conn_g

void mvk_conn_rx_reset(void)
{
    mvk_ws_dec_init(&G.wsd, MVK_CONN_MAX_WS_MSG);
    mvp_reader_init(&G.rd, G.rd_buf, sizeof(G.rd_buf), MVP_MAX_FRAME_PAYLOAD);
    G.hs_len = G.hs_off = 0;
    G.rx_yield = 0;
}

static void send_error(uint32_t code, uint8_t frame_type)
{
    uint8_t p[16];
    struct mvp_error e = {code, frame_type, NULL, 0};
    int n = mvp_error_encode(&e, p, sizeof(p));
    if (n < 0 || mvk_conn_tx_frame(MVP_ERROR, MVP_CTRL_CHANNEL, p, (uint32_t)n) != 0)
        G.stats.dropped_ctrl++;
}

/* A malformed relay control frame: tell the relay why, then hang up. */
static int proto_fail(uint8_t type, int err)
{
    send_error(MVP_E_INVALID, type);
    (void)mvk_conn_tx_flush();
    if (G.state != MVK_CONN_IDLE && G.state != MVK_CONN_BACKOFF)
        mvk_conn_fail(MVK_CONN_FAIL_PROTO, err);
    return -1;
}

static int on_welcome(const struct mvp_frame *f)
{
    struct mvp_welcome w;
    int rc = mvp_welcome_decode(f->payload, f->hdr.len, &w);
    if (rc < 0)
        return proto_fail(f->hdr.type, rc);
    if (w.version != MVP_PROTO_VERSION || w.max_payload < MVP_HDR_LEN)
        return proto_fail(f->hdr.type, -MVP_E_BAD_VERSION);
    mvk_conn_welcome(&w);
    return 0;
}

static int on_ping(const struct mvp_frame *f)
{
    uint64_t v;
    uint8_t p[8];
    int rc = mvp_u64_decode(f->payload, f->hdr.len, &v);
    if (rc < 0)
        return proto_fail(f->hdr.type, rc);
    rc = mvp_u64_encode(v, p, sizeof(p));
    if (rc < 0 || mvk_conn_tx_frame(MVP_PONG, MVP_CTRL_CHANNEL, p, (uint32_t)rc) != 0)
        G.stats.dropped_ctrl++;
    return 0;
}

static int on_goaway(const struct mvp_frame *f)
{
    struct mvp_goaway g;
    int rc = mvp_goaway_decode(f->payload, f->hdr.len, &g);
    if (rc < 0)
        return proto_fail(f->hdr.type, rc);
    mvk_conn_goaway(g.reason, g.retry_after_ms);
    return -1;
}

static int on_error(const struct mvp_frame *f)
{
    struct mvp_error e;
    G.stats.errors_rx++;
    if (mvp_error_decode(f->payload, f->hdr.len, &e) == 0 && G.diag)
        G.diag(MVK_CONN_FAIL_RELAY_ERROR, (int32_t)(e.code & 0x7fffffffu));
    if (G.state != MVK_CONN_UP) {
        /* An ERROR instead of WELCOME: the relay refused our HELLO. */
        mvk_conn_fail(MVK_CONN_FAIL_RELAY_ERROR, (int32_t)f->hdr.type);
        return -1;
    }
    mvk_session_frame(&f->hdr, f->payload);
    return 0;
}

/* Frames conn owns must be on channel 0; HELLO is never valid from the relay. */
static int handle_frame(const struct mvp_frame *f)
{
    uint8_t t = f->hdr.type;
    int up = G.state == MVK_CONN_UP;
    G.stats.frames_rx++;
    if (!mvp_frame_type_known(t)) {
        if (!(f->hdr.flags & MVP_FLAG_IGNORABLE))
            send_error(MVP_E_UNKNOWN_TYPE, t);
        return 0;
    }
    if (t == MVP_ERROR)
        return on_error(f);
    if (t == MVP_GOAWAY && f->hdr.chan == MVP_CTRL_CHANNEL)
        return on_goaway(f);
    if (!up)
        return t == MVP_WELCOME && f->hdr.chan == MVP_CTRL_CHANNEL ? on_welcome(f)
                                                                   : proto_fail(t, t);
    if (t == MVP_HELLO || t == MVP_WELCOME || t == MVP_GOAWAY ||
        ((t == MVP_PING || t == MVP_PONG) && f->hdr.chan != MVP_CTRL_CHANNEL))
        return proto_fail(t, t);
    if (t == MVP_PING)
        return on_ping(f);
    if (t != MVP_PONG)
        mvk_session_frame(&f->hdr, f->payload);
    return 0;
}

/* Binary message bytes: split into proto frames (which may span messages). */
static int feed_frames(const uint8_t *p, size_t n)
{
    while (n) {
        struct mvp_frame f;
        size_t used = 0;
        /* A frame whole in this read is handled in place (an update chunk then goes
         * from the TLS output to the staging write without another copy). */
        int rc = mvp_reader_take_whole(&G.rd, p, n, &used, &f);
        if (rc == 0)
            rc = mvp_reader_feed(&G.rd, p, n, &used, &f);
        p += used;
        n -= used;
        if (rc < 0) {
            mvk_conn_fail(MVK_CONN_FAIL_PROTO, rc);
            return -1;
        }
        if (rc == 1 && handle_frame(&f) < 0)
            return -1;
        if (G.state != MVK_CONN_UP && G.state != MVK_CONN_CONNECTING)
            return -1; /* the session hung up while handling the frame */
    }
    return 0;
}

static int ws_event(const struct mvk_ws_event *ev)
{
    switch (ev->type) {
    case MVK_WS_EV_DATA: return feed_frames(ev->data, ev->len);
    case MVK_WS_EV_PING:
        if (mvk_conn_tx_ctl(MVK_WS_OP_PONG, ev->data, ev->len) != 0)
            G.stats.dropped_ctrl++;
        return 0;
    case MVK_WS_EV_PONG: return 0;
    case MVK_WS_EV_CLOSE:
        /* RFC 6455 5.5.1: answer with a close frame (echoing a sendable code). */
        mvk_conn_tx_close_frame(ev->close_code == 1005 ? MVK_WS_CLOSE_NORMAL : ev->close_code);
        mvk_conn_fail(MVK_CONN_FAIL_CLOSED, ev->close_code);
        return -1;
    }
    return 0;
}

int mvk_conn_rx_bytes(const uint8_t *p, size_t n)
{
    while (n) {
        struct mvk_ws_event ev;
        size_t used = 0;
        int rc = mvk_ws_dec_feed(&G.wsd, p, n, &used, &ev);
        p += used;
        n -= used;
        if (rc < 0) {
            mvk_conn_fail(MVK_CONN_FAIL_WS, rc);
            return -1;
        }
        if (rc == 1 && ws_event(&ev) < 0)
            return -1;
    }
    return 0;
}

int mvk_conn_rx_pump(void)
{
    size_t total = 0;
    while (total < MVK_CONN_RX_BUDGET) {
        long n = G.io->recv(G.rx, sizeof(G.rx));
        if (n == MVK_LINK_AGAIN)
            return 0;
        if (n < 0) {
            mvk_conn_fail(MVK_CONN_FAIL_CLOSED, G.io->last_error());
            return -1;
        }
        G.last_rx_us = G.now;
        total += (size_t)n;
        if (mvk_conn_rx_bytes(G.rx, (size_t)n) < 0)
            return -1;
    }
    G.rx_yield = 1;
    return 0;
}
