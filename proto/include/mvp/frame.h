/* Frame header and the streaming frame reader (PROTOCOL.md "Frames").
 * A frame is an 8-byte header {type u8, flags u8, channel u16, length u32} (big endian)
 * followed by `length` payload bytes. Several frames may share one WebSocket message,
 * and a frame may be split across messages: the reader accepts any split. The same
 * header layout frames typed messages inside a channel's DATA stream (channel = 0). */
#ifndef MVP_FRAME_H
#define MVP_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define MVP_PROTO_VERSION 1
#define MVP_SUBPROTOCOL "mvisor.v1"
#define MVP_HDR_LEN 8u
#define MVP_MAX_FRAME_PAYLOAD 16384u   /* upper bound for any frame payload */
#define MVP_CTRL_CHANNEL 0u            /* HELLO, WELCOME, LOG, LOG_ACK, PING, PONG, GOAWAY, ERROR */
#define MVP_MAX_CHANNEL 0xffffu

enum mvp_frame_type {
    MVP_HELLO = 0x01,    /* device -> relay, first frame */
    MVP_WELCOME = 0x02,  /* relay -> device, answer to HELLO */
    MVP_OPEN = 0x03,     /* device -> relay: open channel (id chosen by device, never reused) */
    MVP_OPEN_OK = 0x04,  /* relay -> device */
    MVP_OPEN_ERR = 0x05, /* relay -> device: channel refused, id is dead */
    MVP_DATA = 0x06,     /* either way: channel bytes, consumes peer's credit */
    MVP_WINDOW = 0x07,   /* either way: grant more credit on a channel */
    MVP_CLOSE = 0x08,    /* either way: channel closed, with an MvClosureReason */
    MVP_LOG = 0x09,      /* device -> relay: batch of log records */
    MVP_LOG_ACK = 0x0a,  /* relay -> device: records stored up to a sequence number */
    MVP_PING = 0x0b,
    MVP_PONG = 0x0c,
    MVP_GOAWAY = 0x0d,   /* relay -> device: drain, reconnect later */
    MVP_ERROR = 0x0e,    /* either way: a frame was refused (protocol error) */
};

#define MVP_FLAG_IGNORABLE 0x01u /* receiver that does not know the type skips the frame */

struct mvp_hdr {
    uint8_t type;
    uint8_t flags;
    uint16_t chan;
    uint32_t len;
};

/* 1 if type is one of enum mvp_frame_type. */
int mvp_frame_type_known(uint8_t type);
const char *mvp_frame_type_name(uint8_t type);

void mvp_hdr_encode(const struct mvp_hdr *h, uint8_t out[MVP_HDR_LEN]);
/* Decodes a header; -MVP_E_TOO_LONG if len > max_payload. Does not judge the type. */
int mvp_hdr_decode(const uint8_t in[MVP_HDR_LEN], struct mvp_hdr *h, uint32_t max_payload);

/* Writes header + payload into out; returns bytes written or -err. */
int mvp_frame_encode(uint8_t type, uint8_t flags, uint16_t chan, const uint8_t *payload,
                     uint32_t len, uint8_t *out, size_t cap);

/* Streaming reader. The caller supplies the payload buffer (cap >= max_payload). */
struct mvp_reader {
    uint8_t *buf;
    size_t cap;
    uint32_t max_payload;
    uint8_t hdr_bytes[MVP_HDR_LEN];
    size_t hdr_have;
    struct mvp_hdr hdr;
    size_t have; /* payload bytes received for the current frame */
    int err;     /* sticky: once set, feed returns it */
};

struct mvp_frame {
    struct mvp_hdr hdr;
    const uint8_t *payload; /* valid until the next mvp_reader_feed */
};

void mvp_reader_init(struct mvp_reader *r, uint8_t *buf, size_t cap, uint32_t max_payload);
/* Consumes bytes from in[0..len) up to the end of at most one frame and sets *used.
 * Returns 1 when *out holds a complete frame, 0 when all of in was consumed without
 * completing one, or -err (sticky) on a malformed header: -MVP_E_TOO_LONG when its length
 * exceeds max_payload, -MVP_E_NOSPACE when it exceeds cap. Payload bytes are copied to buf,
 * so the result does not depend on how the input was split. Typical loop:
 *   while (len) { rc = mvp_reader_feed(r, p, len, &used, &f); p += used; len -= used;
 *                 if (rc < 0) fail; if (rc == 1) handle(&f); } */
int mvp_reader_feed(struct mvp_reader *r, const uint8_t *in, size_t len, size_t *used,
                    struct mvp_frame *out);
/* 1 if the reader is between frames (no partial frame buffered). */
int mvp_reader_idle(const struct mvp_reader *r);
/* Zero-copy fast path: 1 when r is between frames and in[0..len) begins with a whole
 * frame that mvp_reader_feed would accept; out->payload then points into in (valid as long
 * as in is) and *used is the frame's size. 0 otherwise (nothing consumed): feed the bytes
 * to mvp_reader_feed, which buffers a partial frame or reports a malformed one. */
int mvp_reader_take_whole(const struct mvp_reader *r, const uint8_t *in, size_t len,
                          size_t *used, struct mvp_frame *out);

#endif
