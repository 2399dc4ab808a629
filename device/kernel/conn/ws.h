/* RFC 6455 WebSocket client codec: frame encoder (always masked, as a client must),
 * streaming decoder for server frames, and the opening-handshake helpers.
 * Pure functions over caller buffers: no I/O, no heap, fuzzable. */
#ifndef MVK_WS_H
#define MVK_WS_H

#include <stddef.h>
#include <stdint.h>

#define MVK_WS_PATH "/v1/device"
#define MVK_WS_KEY_LEN 24u    /* base64 of 16 random bytes */
#define MVK_WS_ACCEPT_LEN 28u /* base64 of a SHA-1 digest */
#define MVK_WS_MAX_CTRL 125u  /* control frame payload limit (RFC 6455 5.5) */
#define MVK_WS_MAX_HDR 14u    /* 2 + 8 (64-bit length) + 4 (mask) */

enum mvk_ws_op {
    MVK_WS_OP_CONT = 0x0,
    MVK_WS_OP_TEXT = 0x1,
    MVK_WS_OP_BINARY = 0x2,
    MVK_WS_OP_CLOSE = 0x8,
    MVK_WS_OP_PING = 0x9,
    MVK_WS_OP_PONG = 0xa,
};

/* Close status codes we send (RFC 6455 7.4.1). */
enum {
    MVK_WS_CLOSE_NORMAL = 1000,
    MVK_WS_CLOSE_GOING_AWAY = 1001,
    MVK_WS_CLOSE_PROTOCOL = 1002,
    MVK_WS_CLOSE_UNSUPPORTED = 1003,
    MVK_WS_CLOSE_TOO_BIG = 1009,
};

/* Decoder errors (returned negated); each maps to the close code we answer with. */
enum mvk_ws_err {
    MVK_WS_E_RSV = 1,       /* reserved bits set: no extension was negotiated */
    MVK_WS_E_OPCODE,        /* reserved opcode */
    MVK_WS_E_TEXT,          /* text message: the protocol is binary only */
    MVK_WS_E_MASKED,        /* server frames must not be masked */
    MVK_WS_E_CTRL,          /* control frame fragmented or longer than 125 */
    MVK_WS_E_CONT,          /* continuation without a message, or new message inside one */
    MVK_WS_E_LENGTH,        /* non-minimal or 64-bit length with the top bit set */
    MVK_WS_E_TOO_BIG,       /* message exceeds the decoder's limit */
    MVK_WS_E_CLOSE_PAYLOAD, /* close payload of 1 byte or an invalid status code */
};

enum mvk_ws_ev_type {
    MVK_WS_EV_DATA = 1, /* a chunk (maybe empty) of the current binary message */
    MVK_WS_EV_PING,
    MVK_WS_EV_PONG,
    MVK_WS_EV_CLOSE, /* close_code 1005 when the frame had no status */
};

struct mvk_ws_event {
    enum mvk_ws_ev_type type;
    const uint8_t *data; /* DATA: into the input; PING/PONG/CLOSE: into the decoder */
    size_t len;
    int end; /* DATA: this chunk completes the message */
    uint16_t close_code;
};

struct mvk_ws_dec {
    uint64_t max_msg; /* largest binary message accepted */
    uint8_t hdr[MVK_WS_MAX_HDR];
    size_t hdr_have;
    int in_frame; /* header parsed, payload pending */
    uint8_t op;
    uint8_t fin;
    uint64_t left; /* payload bytes still to come in this frame */
    int in_msg;    /* a fragmented binary message is open */
    uint64_t msg_len;
    uint8_t ctrl[MVK_WS_MAX_CTRL];
    size_t ctrl_have;
    int err; /* sticky */
};

void mvk_ws_dec_init(struct mvk_ws_dec *d, uint64_t max_msg);
/* Consumes bytes from in[0..len) up to at most one event and sets *used.
 * 1: *ev holds an event; 0: all of in consumed without one; -mvk_ws_err (sticky). */
int mvk_ws_dec_feed(struct mvk_ws_dec *d, const uint8_t *in, size_t len, size_t *used,
                    struct mvk_ws_event *ev);
/* Close code to send for a decoder error. */
uint16_t mvk_ws_err_close_code(int err);
const char *mvk_ws_strerror(int err);

/* Writes a masked frame header for a payload of len bytes; returns header length,
 * or 0 if cap is too small or a control frame is too long / not final. */
size_t mvk_ws_hdr_encode(uint8_t op, int fin, uint64_t len, const uint8_t mask[4], uint8_t *out,
                         size_t cap);
/* XORs p[0..n) with mask, starting at payload offset off (so a payload can be masked
 * in pieces). */
void mvk_ws_mask(uint8_t *p, size_t n, const uint8_t mask[4], uint64_t off);
/* Header + masked payload into out; returns total length or 0 if it does not fit. */
size_t mvk_ws_frame_encode(uint8_t op, const uint8_t *payload, size_t len, const uint8_t mask[4],
                           uint8_t *out, size_t cap);

/* Opening handshake (RFC 6455 4.1). key: 16 random bytes -> key_b64 (NUL-terminated). */
int mvk_ws_key_encode(const uint8_t nonce[16], char key_b64[MVK_WS_KEY_LEN + 1]);
/* Sec-WebSocket-Accept value for key_b64: base64(SHA-1(key + GUID)). 0 or -1. */
int mvk_ws_accept_compute(const char *key_b64, char accept[MVK_WS_ACCEPT_LEN + 1]);
/* Writes the upgrade request; returns its length or 0 if cap is too small. */
size_t mvk_ws_request_build(const char *host, uint16_t port, const char *key_b64, char *out,
                            size_t cap);
/* Checks a complete response head (up to and including the blank line):
 * 0 if it is 101 with the right Upgrade, Connection, Accept and Protocol; else -1. */
int mvk_ws_response_check(const char *head, size_t len, const char *key_b64);
/* Length of the response head in buf[0..len) including "\r\n\r\n", or 0 if incomplete. */
size_t mvk_ws_head_len(const uint8_t *buf, size_t len);

#endif
