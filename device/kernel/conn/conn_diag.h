/* Connection diagnostics: the kernel has no stdio, so conn reports failures through
 * counters and an optional hook the port may forward to its own log. */
#ifndef MVK_CONN_DIAG_H
#define MVK_CONN_DIAG_H

#include <stdint.h>

/* The server completed the handshake without asking for our certificate: the relay's
 * device listener always asks, so this is another server (its API port?). Outside
 * mbedTLS's 16-bit error space. */
#define MVK_TLS_ERR_NO_CLIENT_AUTH (-0x10000)

enum mvk_conn_fail {
    MVK_CONN_FAIL_NONE,
    MVK_CONN_FAIL_LINK,        /* link could not be opened or dropped */
    MVK_CONN_FAIL_TLS,         /* TLS handshake failed (detail: mbedTLS error, or
                                * MVK_TLS_ERR_NO_CLIENT_AUTH) */
    MVK_CONN_FAIL_UPGRADE,     /* WebSocket upgrade refused or malformed */
    MVK_CONN_FAIL_WS,          /* WebSocket framing error (detail: -mvk_ws_err) */
    MVK_CONN_FAIL_PROTO,       /* mvisor protocol error (detail: -mvp_err or frame type) */
    MVK_CONN_FAIL_TIMEOUT,     /* connect or WELCOME took too long */
    MVK_CONN_FAIL_KEEPALIVE,   /* relay silent for MISSED_PINGS intervals */
    MVK_CONN_FAIL_GOAWAY,      /* relay draining (detail: retry_after_ms) */
    MVK_CONN_FAIL_CLOSED,      /* relay closed the connection (detail: close code) */
    MVK_CONN_FAIL_RELAY_ERROR, /* relay answered with ERROR (detail: code) */
    MVK_CONN_FAIL_REPLACED,    /* GOAWAY REPLACED: another connection with this identity
                                * took over (detail: retry_after_ms) */
};

struct mvk_conn_stats {
    uint32_t attempts;     /* connection attempts started */
    uint32_t sessions;     /* WELCOMEs accepted */
    uint32_t failures;     /* attempts or sessions that ended in a failure */
    uint32_t frames_rx;    /* proto frames received (all types) */
    uint32_t frames_tx;    /* proto frames queued */
    uint32_t errors_rx;    /* ERROR frames received */
    uint32_t dropped_ctrl; /* control answers (PONG/ERROR) lost to a full queue */
    enum mvk_conn_fail last_fail;
    int32_t last_detail;
    uint32_t last_backoff_ms;
};

const struct mvk_conn_stats *mvk_conn_stats(void);
const char *mvk_conn_fail_name(enum mvk_conn_fail f);
/* Called on every failure and relay ERROR; NULL disables. Runs in kernel context. */
void mvk_conn_set_diag_hook(void (*hook)(enum mvk_conn_fail f, int32_t detail));

#endif
