/* The connection state machine: IDLE -> CONNECTING (link, TLS, WebSocket upgrade,
 * HELLO/WELCOME) -> UP, and BACKOFF with jittered exponential delays after any failure.
 * Every transition out of UP tells the session (mvk_session_down) exactly once. */
#include <string.h>

#include "backoff.h"
#include "conn_int.h"
#include "mvp/ctrl.h"
#include "port.h"
#include "rand.h"

struct mvk_conn_g mvk_conn_g;
#define G mvk_conn_g

void mvk_conn_init(void)
{
    memset(&G, 0, sizeof(G));
    G.io = &mvk_tls_io;
    G.state = MVK_CONN_IDLE;
}

void mvk_conn_set_io(const struct mvk_conn_io *io)
{
    G.io = io;
}

enum mvk_conn_state mvk_conn_state(void)
{
    return G.state;
}

const struct mvk_conn_stats *mvk_conn_stats(void)
{
    return &G.stats;
}

void mvk_conn_set_diag_hook(void (*hook)(enum mvk_conn_fail f, int32_t detail))
{
    G.diag = hook;
}

const char *mvk_conn_fail_name(enum mvk_conn_fail f)
{
    static const char *const names[] = {
        "none",    "link",      "tls",    "websocket upgrade", "websocket framing", "protocol",
        "timeout", "keepalive", "goaway", "closed by relay",   "relay error",
        "replaced",
    };
    if ((unsigned)f >= sizeof(names) / sizeof(names[0]))
        return "unknown";
    return names[f];
}

/* Randomness only spreads retries: if the DRBG fails, 0 (no jitter) is still valid. */
static uint32_t jitter_rand(void)
{
    uint32_t r = 0;
    if (mvk_rand_u32(&r) != 0)
        r = 0;
    return r;
}

/* Drops transport and buffers; tells the session if it was up. */
static void teardown(uint16_t ws_close_code)
{
    int was_up = G.state == MVK_CONN_UP;
    if (ws_close_code)
        mvk_conn_tx_close_frame(ws_close_code);
    G.io->close();
    mvk_conn_tx_reset();
    mvk_conn_rx_reset();
    G.state = MVK_CONN_IDLE;
    if (was_up) {
        G.relay_seen = G.now;
        mvk_session_down();
    }
}

/* The backoff ceiling: low while the relay was serving us a moment ago (a restart). */
static uint32_t backoff_cap_ms(void)
{
    int recent = G.relay_seen && G.now - G.relay_seen < MVK_BACKOFF_RECENT_US;
    return recent ? MVK_BACKOFF_RECENT_CAP_MS : MVK_BACKOFF_CAP_MS;
}

static void schedule(uint32_t delay_ms)
{
    G.stats.last_backoff_ms = delay_ms;
    if (!G.wanted)
        return; /* teardown left us IDLE */
    G.state = MVK_CONN_BACKOFF;
    G.deadline = G.now + (uint64_t)delay_ms * 1000u;
}

void mvk_conn_fail(enum mvk_conn_fail why, int32_t detail)
{
    uint16_t code = why == MVK_CONN_FAIL_WS      ? mvk_ws_err_close_code(detail)
                    : why == MVK_CONN_FAIL_PROTO ? MVK_WS_CLOSE_PROTOCOL
                                                 : MVK_WS_CLOSE_GOING_AWAY;
    int ws_open =
        G.state == MVK_CONN_UP || (G.state == MVK_CONN_CONNECTING && G.phase == MVK_PH_WELCOME);
    G.stats.failures++;
    G.stats.last_fail = why;
    G.stats.last_detail = detail;
    if (G.diag)
        G.diag(why, detail);
    teardown(ws_open && why != MVK_CONN_FAIL_CLOSED ? code : 0);
    schedule(mvk_backoff_delay_ms(G.attempt, backoff_cap_ms(), jitter_rand()));
    if (G.attempt < 32)
        G.attempt++;
}

void mvk_conn_goaway(uint32_t reason, uint32_t retry_after_ms)
{
    G.stats.last_fail = reason == MVP_GOAWAY_REPLACED ? MVK_CONN_FAIL_REPLACED
                                                      : MVK_CONN_FAIL_GOAWAY;
    G.stats.last_detail = (int32_t)(retry_after_ms & 0x7fffffffu);
    if (G.diag)
        G.diag(G.stats.last_fail, G.stats.last_detail);
    teardown(MVK_WS_CLOSE_NORMAL);
    G.relay_seen = G.now;
    schedule(mvk_backoff_goaway_ms(retry_after_ms, jitter_rand()));
}

void mvk_conn_welcome(const struct mvp_welcome *w)
{
    G.state = MVK_CONN_UP;
    G.attempt = 0;
    G.stats.sessions++;
    G.max_payload = w->max_payload < MVP_MAX_FRAME_PAYLOAD ? w->max_payload : MVP_MAX_FRAME_PAYLOAD;
    G.ping_interval_s = w->ping_interval_s ? w->ping_interval_s : MVK_CONN_DEFAULT_PING_S;
    G.last_rx_us = G.now;
    mvk_session_up(w);
}

void mvk_conn_set_wanted(int wanted)
{
    G.wanted = wanted ? 1 : 0;
    if (G.wanted)
        return; /* the next poll starts an attempt */
    if (G.state == MVK_CONN_UP || G.state == MVK_CONN_CONNECTING)
        teardown(G.state == MVK_CONN_UP ? MVK_WS_CLOSE_NORMAL : 0);
    G.state = MVK_CONN_IDLE;
    G.attempt = 0;
}

static void start_attempt(void)
{
    G.stats.attempts++;
    G.state = MVK_CONN_CONNECTING;
    G.phase = MVK_PH_HANDSHAKE;
    G.deadline = G.now + MVK_CONN_CONNECT_TIMEOUT_US;
    mvk_conn_tx_reset();
    mvk_conn_rx_reset();
    if (G.io->open() != 0)
        mvk_conn_fail(MVK_CONN_FAIL_LINK, G.io->last_error());
}

/* Link + TLS done: build the upgrade request with a fresh random key. */
static int begin_upgrade(void)
{
    uint8_t nonce[16];
    const struct mvk_identity *id = mvk_port_identity();
    if (mvk_rand_bytes(nonce, sizeof(nonce)) != 0 || mvk_ws_key_encode(nonce, G.ws_key) != 0)
        return -1;
    G.hs_len =
        mvk_ws_request_build(id->relay_host, id->relay_port, G.ws_key, (char *)G.hs, sizeof(G.hs));
    G.hs_off = 0;
    G.phase = MVK_PH_WS_SEND;
    return G.hs_len ? 0 : -1;
}

static int send_upgrade(void)
{
    while (G.hs_off < G.hs_len) {
        long n = G.io->send(G.hs + G.hs_off, G.hs_len - G.hs_off);
        if (n == MVK_LINK_AGAIN)
            return 1;
        if (n < 0)
            return -1;
        G.hs_off += (size_t)n;
    }
    G.hs_len = 0;
    G.phase = MVK_PH_WS_RECV;
    return 0;
}

static int send_hello(void)
{
    uint8_t p[32 + MVP_MAX_FW_VERSION]; /* 22 fixed bytes + the version */
    const char *fw = mvk_port_fw_version();
    size_t fw_len = strlen(fw);
    if (fw_len > MVP_MAX_FW_VERSION)
        return -1;
    struct mvp_hello h = {MVP_PROTO_VERSION,
                          MVP_PROTO_VERSION,
                          mvk_session_boot_id(),
                          mvk_session_log_next_seq(),
                          0,
                          (const uint8_t *)fw,
                          (uint16_t)fw_len};
    int n = mvp_hello_encode(&h, p, sizeof(p));
    if (n < 0)
        return -1;
    return mvk_conn_tx_frame(MVP_HELLO, MVP_CTRL_CHANNEL, p, (uint32_t)n);
}

/* Reads the 101 response head; bytes after it already belong to the WebSocket. */
static int recv_upgrade(void)
{
    for (;;) {
        if (G.hs_len == sizeof(G.hs))
            return -1; /* head larger than anything a sane relay sends */
        long n = G.io->recv(G.hs + G.hs_len, sizeof(G.hs) - G.hs_len);
        if (n == MVK_LINK_AGAIN)
            return 1;
        if (n < 0)
            return -1;
        G.hs_len += (size_t)n;
        size_t head = mvk_ws_head_len(G.hs, G.hs_len);
        if (head == 0)
            continue;
        if (mvk_ws_response_check((const char *)G.hs, head, G.ws_key) != 0 || send_hello() != 0)
            return -1;
        G.phase = MVK_PH_WELCOME;
        G.deadline = G.now + MVK_CONN_WELCOME_TIMEOUT_US;
        G.last_rx_us = G.now;
        return mvk_conn_rx_bytes(G.hs + head, G.hs_len - head) < 0 ? -2 : 0;
    }
}

/* The io reports no TLS error when the link itself never connected (refused,
 * unreachable): that is a link failure, and diagnostics should say so. */
static void handshake_failed(int32_t tls_err)
{
    mvk_conn_fail(tls_err != 0 ? MVK_CONN_FAIL_TLS : MVK_CONN_FAIL_LINK, tls_err);
}

static void step_connecting(void)
{
    int rc;
    if (G.now >= G.deadline) {
        mvk_conn_fail(MVK_CONN_FAIL_TIMEOUT, (int32_t)G.phase);
        return;
    }
    if (G.phase == MVK_PH_HANDSHAKE) {
        rc = G.io->handshake();
        if (rc != 0) {
            if (rc < 0)
                handshake_failed(G.io->last_error());
            return;
        }
        if (begin_upgrade() != 0) {
            mvk_conn_fail(MVK_CONN_FAIL_UPGRADE, 0);
            return;
        }
    }
    if (G.phase == MVK_PH_WS_SEND && (rc = send_upgrade()) != 0) {
        if (rc < 0)
            mvk_conn_fail(MVK_CONN_FAIL_LINK, G.io->last_error());
        return;
    }
    if (G.phase == MVK_PH_WS_RECV && (rc = recv_upgrade()) != 0) {
        if (rc == -1)
            mvk_conn_fail(MVK_CONN_FAIL_UPGRADE, G.io->last_error());
        return;
    }
    if (mvk_conn_tx_flush() == 0)
        (void)mvk_conn_rx_pump();
}

static void step_up(void)
{
    uint64_t silence = (uint64_t)G.ping_interval_s * MVK_CONN_MISSED_PINGS * 1000000u;
    if (mvk_conn_rx_pump() < 0)
        return;
    if (G.now - G.last_rx_us > silence) {
        mvk_conn_fail(MVK_CONN_FAIL_KEEPALIVE, 0);
        return;
    }
    if (mvk_conn_tx_flush() < 0)
        return;
    if (G.tx_blocked && mvk_conn_send_space() >= G.tx_blocked) {
        G.tx_blocked = 0;
        mvk_session_writable();
    }
}

void mvk_conn_poll(uint64_t now_us)
{
    G.now = now_us;
    G.rx_yield = 0;
    if (!G.wanted && G.state != MVK_CONN_IDLE)
        mvk_conn_set_wanted(0);
    if (G.state == MVK_CONN_IDLE && G.wanted)
        start_attempt();
    else if (G.state == MVK_CONN_BACKOFF && now_us >= G.deadline)
        start_attempt();
    if (G.state == MVK_CONN_CONNECTING)
        step_connecting();
    if (G.state == MVK_CONN_UP)
        step_up();
}

uint64_t mvk_conn_next_deadline_us(void)
{
    switch (G.state) {
    case MVK_CONN_IDLE: return G.wanted ? 0 : UINT64_MAX;
    case MVK_CONN_BACKOFF: return G.deadline;
    case MVK_CONN_CONNECTING: return (G.rx_yield || mvk_conn_tx_due()) ? 0 : G.deadline;
    case MVK_CONN_UP: break;
    }
    if (G.rx_yield || mvk_conn_tx_due())
        return 0;
    return G.last_rx_us + (uint64_t)G.ping_interval_s * MVK_CONN_MISSED_PINGS * 1000000u + 1u;
}
