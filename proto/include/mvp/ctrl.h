/* Payloads of the session and channel control frames (PROTOCOL.md "Frame payloads").
 * Decoders check every field and reject trailing bytes; byte strings point into the
 * decoded input. Encoders return the payload length or -err. */
#ifndef MVP_CTRL_H
#define MVP_CTRL_H

#include <stddef.h>
#include <stdint.h>

#define MVP_MAX_FW_VERSION 64u
#define MVP_MAX_ENDPOINT 255u
#define MVP_MAX_ERRMSG 255u
#define MVP_MIN_WINDOW 1024u
#define MVP_MAX_WINDOW (1u << 20)
#define MVP_MIN_FRAME_PAYLOAD 2048u    /* smallest WELCOME.max_payload (fits a full log record) */
#define MVP_MAX_PING_INTERVAL_S 3600u  /* WELCOME.ping_interval_s is 1..this */
#define MVP_MAX_CHANNEL_TYPE 3u        /* MvChannelType: OPAQUEBYTES..CONFIGFETCH */
#define MVP_MAX_CLOSURE_REASON 7u      /* MvClosureReason: NONE..UNEXPECTEDLYTERMINATED */
#define MVP_MAX_MV_STATUS 0x26u        /* MvStatus: OKAY..INPUTTOOLONG */

/* GOAWAY reasons (informative: receivers accept any value and treat unknown ones as
 * MVP_GOAWAY_SHUTDOWN). */
#define MVP_GOAWAY_SHUTDOWN 0u   /* relay stopping or draining */
#define MVP_GOAWAY_REPLACED 1u   /* a newer session for the same device took over */
#define MVP_GOAWAY_OVERLOADED 2u /* try again later */

/* HELLO: {ver_min u8, ver_max u8, reserved u16 = 0, boot_id u64 != 0, log_next_seq u32,
 *         flags u32 (0), fw_version bytes16 <= 64} */
struct mvp_hello {
    uint8_t ver_min, ver_max;
    uint64_t boot_id;      /* random per kernel boot, never 0 */
    uint32_t log_next_seq; /* sequence number the next new log record will get */
    uint32_t flags;
    const uint8_t *fw_version;
    uint16_t fw_version_len;
};

/* WELCOME: {version u8, reserved u8[3] = 0, server_time_us u64 (Unix epoch µs),
 *           max_payload u32, initial_window u32, ping_interval_s u32, flags u32,
 *           log_acked_seq u32} flags bit 0: MVP_WELCOME_LOGGING_DISABLED,
 *           bit 1: MVP_WELCOME_LOG_ACKED_VALID (log_acked_seq is meaningful). */
#define MVP_WELCOME_LOGGING_DISABLED 0x1u
#define MVP_WELCOME_LOG_ACKED_VALID 0x2u
struct mvp_welcome {
    uint8_t version;
    uint64_t server_time_us;
    uint32_t max_payload;    /* largest frame payload the relay accepts */
    uint32_t initial_window; /* credit the device has on each newly opened channel */
    uint32_t ping_interval_s;
    uint32_t flags;
    uint32_t log_acked_seq; /* highest seq stored for this boot id (if flag bit 1) */
};

/* OPEN (chan = new id): {chan_type u32 (MvChannelType), window u32 (credit granted to
 * the relay), endpoint bytes16 <= 255} */
struct mvp_open {
    uint32_t chan_type;
    uint32_t window;
    const uint8_t *endpoint;
    uint16_t endpoint_len;
};

/* OPEN_OK: {window u32}. WINDOW: {credit u32 > 0}. CLOSE: {reason u32 (MvClosureReason)}
 * PING/PONG: {opaque u64}. */
/* OPEN_ERR: {status u32 (MvStatus), message bytes16 <= 255} */
struct mvp_open_err {
    uint32_t status;
    const uint8_t *msg;
    uint16_t msg_len;
};

/* GOAWAY: {reason u32, retry_after_ms u32, message bytes16 <= 255} */
struct mvp_goaway {
    uint32_t reason;
    uint32_t retry_after_ms;
    const uint8_t *msg;
    uint16_t msg_len;
};

/* ERROR: {code u32 (enum mvp_err or MVP_ERR_*), frame_type u8, reserved u8[3] = 0,
 *         message bytes16 <= 255} */
struct mvp_error {
    uint32_t code;
    uint8_t frame_type;
    const uint8_t *msg;
    uint16_t msg_len;
};

int mvp_hello_encode(const struct mvp_hello *m, uint8_t *out, size_t cap);
int mvp_hello_decode(const uint8_t *in, size_t len, struct mvp_hello *m);
/* Picks the highest version both sides support; -MVP_E_BAD_VERSION if none. */
int mvp_version_negotiate(uint8_t my_min, uint8_t my_max, uint8_t peer_min, uint8_t peer_max);
int mvp_welcome_encode(const struct mvp_welcome *m, uint8_t *out, size_t cap);
int mvp_welcome_decode(const uint8_t *in, size_t len, struct mvp_welcome *m);
int mvp_open_encode(const struct mvp_open *m, uint8_t *out, size_t cap);
int mvp_open_decode(const uint8_t *in, size_t len, struct mvp_open *m);
int mvp_open_err_encode(const struct mvp_open_err *m, uint8_t *out, size_t cap);
int mvp_open_err_decode(const uint8_t *in, size_t len, struct mvp_open_err *m);
int mvp_goaway_encode(const struct mvp_goaway *m, uint8_t *out, size_t cap);
int mvp_goaway_decode(const uint8_t *in, size_t len, struct mvp_goaway *m);
int mvp_error_encode(const struct mvp_error *m, uint8_t *out, size_t cap);
int mvp_error_decode(const uint8_t *in, size_t len, struct mvp_error *m);
/* Single-u32 payloads: OPEN_OK window, WINDOW credit (must be > 0), CLOSE reason. */
int mvp_u32_encode(uint32_t v, uint8_t *out, size_t cap);
int mvp_u32_decode(const uint8_t *in, size_t len, uint32_t *v);
/* The same with the range checks of each frame: OPEN_OK window in
 * MVP_MIN_WINDOW..MVP_MAX_WINDOW, WINDOW credit > 0, CLOSE reason <= MVP_MAX_CLOSURE_REASON
 * (-MVP_E_INVALID otherwise). Prefer these to the bare u32 codec. */
int mvp_open_ok_encode(uint32_t window, uint8_t *out, size_t cap);
int mvp_open_ok_decode(const uint8_t *in, size_t len, uint32_t *window);
int mvp_window_encode(uint32_t credit, uint8_t *out, size_t cap);
int mvp_window_decode(const uint8_t *in, size_t len, uint32_t *credit);
int mvp_close_encode(uint32_t reason, uint8_t *out, size_t cap);
int mvp_close_decode(const uint8_t *in, size_t len, uint32_t *reason);
/* PING/PONG opaque value. */
int mvp_u64_encode(uint64_t v, uint8_t *out, size_t cap);
int mvp_u64_decode(const uint8_t *in, size_t len, uint64_t *v);

#endif
