/* Bounded big-endian primitives with sticky errors: the only place in proto/ that
 * touches raw buffer offsets, so every typed codec inherits its bounds checks.
 * The first error wins; after it, writes are ignored and reads return zero. */
#include <string.h>

#include "mvp/wire.h"

void mvp_w_init(struct mvp_wbuf *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = buf ? cap : 0;
    w->len = 0;
    w->err = 0;
}

/* Reserves n bytes; NULL (and a sticky error) when they do not fit. */
static uint8_t *w_take(struct mvp_wbuf *w, size_t n)
{
    uint8_t *p;

    if (w->err)
        return NULL;
    if (n > w->cap - w->len) {
        w->err = MVP_E_NOSPACE;
        return NULL;
    }
    p = w->buf + w->len;
    w->len += n;
    return p;
}

void mvp_w_u8(struct mvp_wbuf *w, uint8_t v)
{
    uint8_t *p = w_take(w, 1);

    if (p)
        p[0] = v;
}

void mvp_w_u16(struct mvp_wbuf *w, uint16_t v)
{
    uint8_t *p = w_take(w, 2);

    if (p) {
        p[0] = (uint8_t)(v >> 8);
        p[1] = (uint8_t)v;
    }
}

void mvp_w_u32(struct mvp_wbuf *w, uint32_t v)
{
    uint8_t *p = w_take(w, 4);

    if (p) {
        p[0] = (uint8_t)(v >> 24);
        p[1] = (uint8_t)(v >> 16);
        p[2] = (uint8_t)(v >> 8);
        p[3] = (uint8_t)v;
    }
}

void mvp_w_u64(struct mvp_wbuf *w, uint64_t v)
{
    mvp_w_u32(w, (uint32_t)(v >> 32));
    mvp_w_u32(w, (uint32_t)v);
}

void mvp_w_raw(struct mvp_wbuf *w, const void *p, size_t n)
{
    uint8_t *d;

    if (n == 0)
        return;
    d = w_take(w, n);
    if (d)
        memcpy(d, p, n);
}

void mvp_w_bytes16(struct mvp_wbuf *w, const void *p, size_t n)
{
    if (n > 0xffffu) {
        if (!w->err)
            w->err = MVP_E_TOO_LONG;
        return;
    }
    mvp_w_u16(w, (uint16_t)n);
    mvp_w_raw(w, p, n);
}

void mvp_w_bytes32(struct mvp_wbuf *w, const void *p, size_t n)
{
#if SIZE_MAX > 0xffffffffu
    /* Only where size_t is wider than the u32 length field (not on 32-bit firmware,
     * where the comparison would be always false and -Wtype-limits an error). */
    if (n > 0xffffffffu) {
        if (!w->err)
            w->err = MVP_E_TOO_LONG;
        return;
    }
#endif
    mvp_w_u32(w, (uint32_t)n);
    mvp_w_raw(w, p, n);
}

int mvp_w_done(const struct mvp_wbuf *w)
{
    return w->err ? -w->err : 0;
}

void mvp_r_init(struct mvp_rbuf *r, const uint8_t *buf, size_t len)
{
    r->buf = buf;
    r->len = buf ? len : 0;
    r->off = 0;
    r->err = 0;
}

void mvp_r_fail(struct mvp_rbuf *r, int err)
{
    if (err < 0)
        err = -err;
    if (!r->err)
        r->err = err;
}

/* Consumes n bytes; NULL (and MVP_E_TRUNCATED) when the input ends first. */
static const uint8_t *r_take(struct mvp_rbuf *r, size_t n)
{
    const uint8_t *p;

    static const uint8_t empty[1];

    if (r->err)
        return NULL;
    if (n > r->len - r->off) {
        r->err = MVP_E_TRUNCATED;
        return NULL;
    }
    if (!r->buf)
        return empty; /* n == 0 here: an empty string needs a non-NULL pointer */
    p = r->buf + r->off;
    r->off += n;
    return p;
}

uint8_t mvp_r_u8(struct mvp_rbuf *r)
{
    const uint8_t *p = r_take(r, 1);

    return p ? p[0] : 0;
}

uint16_t mvp_r_u16(struct mvp_rbuf *r)
{
    const uint8_t *p = r_take(r, 2);

    return p ? (uint16_t)((unsigned)p[0] << 8 | p[1]) : 0;
}

uint32_t mvp_r_u32(struct mvp_rbuf *r)
{
    const uint8_t *p = r_take(r, 4);

    if (!p)
        return 0;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t mvp_r_u64(struct mvp_rbuf *r)
{
    uint64_t hi = mvp_r_u32(r);
    uint64_t lo = mvp_r_u32(r);

    return r->err ? 0 : hi << 32 | lo;
}

/* Shared tail of the bytes readers: bound first, then availability, so an
 * oversized length is reported as such even when the input is short. */
static void r_bytes(struct mvp_rbuf *r, const uint8_t **p, uint32_t n, uint32_t max)
{
    *p = NULL;
    if (r->err)
        return;
    if (n > max) {
        r->err = MVP_E_TOO_LONG;
        return;
    }
    *p = r_take(r, n);
}

void mvp_r_bytes16(struct mvp_rbuf *r, const uint8_t **p, uint16_t *n, uint16_t max)
{
    uint16_t len = mvp_r_u16(r);

    r_bytes(r, p, len, max);
    *n = r->err ? 0 : len;
}

void mvp_r_bytes32(struct mvp_rbuf *r, const uint8_t **p, uint32_t *n, uint32_t max)
{
    uint32_t len = mvp_r_u32(r);

    r_bytes(r, p, len, max);
    *n = r->err ? 0 : len;
}

int mvp_r_end(const struct mvp_rbuf *r)
{
    if (r->err)
        return -r->err;
    if (r->off != r->len)
        return -MVP_E_TRAILING;
    return 0;
}
