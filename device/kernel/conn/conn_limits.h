/* Sizes and timings of the relay connection, in one place (no heap in the kernel:
 * every buffer below is a static array in conn.c or tls.c). */
#ifndef MVK_CONN_LIMITS_H
#define MVK_CONN_LIMITS_H

#include "mvp/frame.h"

/* Proto frames waiting to be wrapped into a WebSocket message: room for two
 * maximum-size frames so one can be queued while the previous one drains. */
#define MVK_CONN_TXQ_CAP (2u * (MVP_HDR_LEN + MVP_MAX_FRAME_PAYLOAD))
/* One masked WebSocket message on its way into TLS. */
#define MVK_CONN_WIRE_CAP (MVK_CONN_TXQ_CAP + 14u)
/* Bytes read from TLS per recv call (several records): room for an update chunk's frame
 * (8 KiB + headers) wherever it starts, so most arrive whole and are not copied again.
 * A port short of RAM may set it lower (4096 reads one record at a time). */
#ifndef MVK_CONN_RX_CHUNK
#define MVK_CONN_RX_CHUNK 16384u
#endif
/* Largest WebSocket message accepted from the relay (frames may span messages, so this
 * only bounds abuse, not the protocol). */
#define MVK_CONN_MAX_WS_MSG (256u * 1024u)
/* Upgrade request and response head. */
#define MVK_CONN_HS_CAP 1024u
/* Receive budget per poll before yielding to the kernel loop (fairness). */
#define MVK_CONN_RX_BUDGET (64u * 1024u)

/* Link + TLS + upgrade must finish within this; then WELCOME within the next. */
#define MVK_CONN_CONNECT_TIMEOUT_US (15u * 1000000ull)
#define MVK_CONN_WELCOME_TIMEOUT_US (10u * 1000000ull)
#define MVK_CONN_DEFAULT_PING_S 30u
#define MVK_CONN_MISSED_PINGS 3u

/* Reconnect backoff: full jitter over min(cap, base * 2^attempt), plus a floor so a
 * zero draw cannot make a tight reconnect loop. */
#define MVK_BACKOFF_BASE_MS 500u
#define MVK_BACKOFF_CAP_MS 30000u
#define MVK_BACKOFF_FLOOR_MS 100u
/* A relay that was serving this device a moment ago is most likely restarting, not gone:
 * within MVK_BACKOFF_RECENT_US of the last session (or of a GOAWAY) the ceiling stays at
 * MVK_BACKOFF_RECENT_CAP_MS, so the device is back within seconds of the relay instead of
 * up to 30 s later while its log buffer fills. The price: during the first minute of a
 * real outage each device tries every 2.5 s on average (full jitter) instead of backing off
 * to 15 s. */
#define MVK_BACKOFF_RECENT_CAP_MS 5000u
#define MVK_BACKOFF_RECENT_US (60u * 1000000ull)
/* Extra random delay after GOAWAY's retry_after_ms, so drained devices spread out. */
#define MVK_GOAWAY_JITTER_MS 1000u

#endif
