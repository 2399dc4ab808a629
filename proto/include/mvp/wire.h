/* Primitive big-endian encoders/decoders over bounded buffers, with sticky errors.
 * Every typed encoder/decoder in proto/ is built on these, so bounds are checked in
 * one place. Freestanding: no libc beyond <stdint.h>/<stddef.h>/<string.h>. */
#ifndef MVP_WIRE_H
#define MVP_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* Error codes returned (negated) by every mvp_ function. 0 is success. */
enum mvp_err {
    MVP_OK = 0,
    MVP_E_TRUNCATED = 1,    /* input ends inside a field or frame */
    MVP_E_TOO_LONG = 2,     /* a length exceeds its protocol or caller limit */
    MVP_E_UNKNOWN_TYPE = 3, /* frame or message type not known (and not ignorable) */
    MVP_E_BAD_VERSION = 4,  /* no common protocol version */
    MVP_E_TRAILING = 5,     /* bytes left over after the last field */
    MVP_E_NOSPACE = 6,      /* the output buffer is too small */
    MVP_E_INVALID = 7,      /* a field value is out of range (enum, reserved bits, zero id) */
    MVP_E_TOO_MANY = 8,     /* more items than the protocol or caller allows */
};

/* A byte string that points into a buffer owned by someone else (usually the
 * decoded input). Used for repeated items such as headers and certificates. */
struct mvp_bytes {
    const uint8_t *data;
    uint32_t len;
};

/* Static English text for an error code (positive or negated). */
const char *mvp_strerror(int err);

/* Writer: appends to buf[0..cap); on overflow sets err = MVP_E_NOSPACE and ignores
 * further writes. */
struct mvp_wbuf {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int err;
};

void mvp_w_init(struct mvp_wbuf *w, uint8_t *buf, size_t cap);
void mvp_w_u8(struct mvp_wbuf *w, uint8_t v);
void mvp_w_u16(struct mvp_wbuf *w, uint16_t v);
void mvp_w_u32(struct mvp_wbuf *w, uint32_t v);
void mvp_w_u64(struct mvp_wbuf *w, uint64_t v);
void mvp_w_raw(struct mvp_wbuf *w, const void *p, size_t n);
/* u16 length prefix then bytes; n > 0xffff sets MVP_E_TOO_LONG. */
void mvp_w_bytes16(struct mvp_wbuf *w, const void *p, size_t n);
/* u32 length prefix then bytes. */
void mvp_w_bytes32(struct mvp_wbuf *w, const void *p, size_t n);
/* Returns 0 or -err. */
int mvp_w_done(const struct mvp_wbuf *w);

/* Reader over an input that is never copied: byte strings are returned as pointers
 * into it. On underflow sets err = MVP_E_TRUNCATED; later reads return 0. */
struct mvp_rbuf {
    const uint8_t *buf;
    size_t len;
    size_t off;
    int err;
};

void mvp_r_init(struct mvp_rbuf *r, const uint8_t *buf, size_t len);
uint8_t mvp_r_u8(struct mvp_rbuf *r);
uint16_t mvp_r_u16(struct mvp_rbuf *r);
uint32_t mvp_r_u32(struct mvp_rbuf *r);
uint64_t mvp_r_u64(struct mvp_rbuf *r);
/* Length-prefixed byte strings; *p points into the input. max bounds the length
 * (MVP_E_TOO_LONG when exceeded). */
void mvp_r_bytes16(struct mvp_rbuf *r, const uint8_t **p, uint16_t *n, uint16_t max);
void mvp_r_bytes32(struct mvp_rbuf *r, const uint8_t **p, uint32_t *n, uint32_t max);
void mvp_r_fail(struct mvp_rbuf *r, int err); /* first error wins */
/* 0 if everything was consumed without error; -err otherwise (MVP_E_TRAILING if
 * bytes remain). */
int mvp_r_end(const struct mvp_rbuf *r);

#endif
