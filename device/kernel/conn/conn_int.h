/* State shared by the connection's files (conn.c: state machine, conn_tx.c: transmit
 * path, conn_rx.c: receive path). Private to device/kernel/conn/. */
#ifndef MVK_CONN_INT_H
#define MVK_CONN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "conn_diag.h"
#include "conn_io.h"
#include "conn_limits.h"
#include "mvp/frame.h"
#include "ws.h"

enum mvk_conn_phase {
    MVK_PH_HANDSHAKE, /* link connect + TLS */
    MVK_PH_WS_SEND,   /* upgrade request going out */
    MVK_PH_WS_RECV,   /* waiting for the 101 response head */
    MVK_PH_WELCOME,   /* HELLO sent, waiting for WELCOME */
};

/* Bytes reserved in the transmit queue for conn's own answers (PONG, ERROR), so a
 * session filling the queue cannot starve keepalive. */
#define MVK_CONN_CTRL_RESERVE 64u

struct mvk_conn_g {
    enum mvk_conn_state state;
    enum mvk_conn_phase phase;
    int wanted;
    const struct mvk_conn_io *io;
    uint64_t now;
    uint64_t deadline; /* BACKOFF: next attempt; CONNECTING: phase timeout */
    uint64_t last_rx_us;
    uint32_t attempt; /* failures since the last good session (backoff exponent) */
    uint64_t relay_seen; /* now when a session ended or a GOAWAY came (0: never) */
    uint32_t ping_interval_s;
    uint32_t max_payload; /* the relay's limit, clamped to MVP_MAX_FRAME_PAYLOAD */
    uint32_t tx_blocked;  /* mvk_conn_send said -2 for this length: owe a
                           * mvk_session_writable() once it fits (0: none) */
    int tx_again;         /* the transport said AGAIN: wait for the link */
    int rx_yield;         /* receive budget used up: poll again at once */
    char ws_key[MVK_WS_KEY_LEN + 1];
    uint8_t hs[MVK_CONN_HS_CAP];
    size_t hs_len, hs_off;
    uint8_t txq[MVK_CONN_TXQ_CAP]; /* proto frames not yet wrapped */
    size_t txq_len;
    uint8_t wire[MVK_CONN_WIRE_CAP]; /* one masked WebSocket frame being sent */
    size_t wire_len, wire_off;
    uint8_t ctl[MVK_WS_MAX_HDR + MVK_WS_MAX_CTRL]; /* WebSocket control frame to send */
    size_t ctl_len;
    uint8_t rx[MVK_CONN_RX_CHUNK];
    uint8_t rd_buf[MVP_MAX_FRAME_PAYLOAD];
    struct mvk_ws_dec wsd;
    struct mvp_reader rd;
    struct mvk_conn_stats stats;
    void (*diag)(enum mvk_conn_fail f, int32_t detail);
};

extern struct mvk_conn_g mvk_conn_g;

/* conn.c: end the attempt or session; schedules the next attempt if still wanted. */
void mvk_conn_fail(enum mvk_conn_fail why, int32_t detail);
/* conn.c: GOAWAY received: close and retry after delay_ms. */
void mvk_conn_goaway(uint32_t reason, uint32_t retry_after_ms);
/* conn.c: WELCOME accepted. */
void mvk_conn_welcome(const struct mvp_welcome *w);

/* conn_tx.c */
void mvk_conn_tx_reset(void);
/* Queues a frame ignoring session state (HELLO, PONG, ERROR); 0 or -1 if no room. */
int mvk_conn_tx_frame(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len);
/* Queues a WebSocket control frame (pong, close); 0 or -1. */
int mvk_conn_tx_ctl(uint8_t op, const uint8_t *payload, size_t len);
/* Sends what the transport takes now; -1 if the connection failed (already handled). */
int mvk_conn_tx_flush(void);
/* 1 if there is queued output the transport has not refused yet. */
int mvk_conn_tx_due(void);
/* Best effort: a WebSocket close frame straight to the transport, before closing. */
void mvk_conn_tx_close_frame(uint16_t code);

/* conn_rx.c */
void mvk_conn_rx_reset(void);
/* Reads what the transport has and dispatches it; -1 if the connection failed. */
int mvk_conn_rx_pump(void);
/* Feeds bytes that belong to the WebSocket stream; -1 if the connection failed. */
int mvk_conn_rx_bytes(const uint8_t *p, size_t n);

#endif
