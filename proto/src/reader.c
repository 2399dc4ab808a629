/* Streaming frame reader: turns an arbitrarily split byte stream (WebSocket
 * messages, TLS records, UART reads) into whole frames, copying each payload into
 * the caller's buffer so the result does not depend on how the input was split. */
#include <string.h>

#include "mvp/frame.h"
#include "mvp/wire.h"

void mvp_reader_init(struct mvp_reader *r, uint8_t *buf, size_t cap, uint32_t max_payload)
{
    memset(r, 0, sizeof(*r));
    r->buf = buf;
    r->cap = buf ? cap : 0;
    r->max_payload = max_payload;
}

int mvp_reader_idle(const struct mvp_reader *r)
{
    return r->hdr_have == 0;
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* Collects header bytes; once complete, validates the length against both the
 * protocol limit and the buffer so a hostile length is refused before buffering. */
static int take_header(struct mvp_reader *r, const uint8_t *in, size_t len, size_t *used)
{
    size_t n = min_size(MVP_HDR_LEN - r->hdr_have, len);
    int rc;

    memcpy(r->hdr_bytes + r->hdr_have, in, n);
    r->hdr_have += n;
    *used = n;
    if (r->hdr_have < MVP_HDR_LEN)
        return 0;
    rc = mvp_hdr_decode(r->hdr_bytes, &r->hdr, r->max_payload);
    if (rc == 0 && r->hdr.len > r->cap)
        rc = -MVP_E_NOSPACE;
    return rc;
}

int mvp_reader_feed(struct mvp_reader *r, const uint8_t *in, size_t len, size_t *used,
                    struct mvp_frame *out)
{
    size_t n = 0, m;
    int rc;

    *used = 0;
    if (r->err)
        return -r->err;
    if (len == 0)
        return 0;
    if (r->hdr_have < MVP_HDR_LEN) {
        rc = take_header(r, in, len, &n);
        *used = n;
        if (rc < 0) {
            r->err = -rc;
            return rc;
        }
        if (r->hdr_have < MVP_HDR_LEN)
            return 0;
        r->have = 0;
    }
    m = min_size(r->hdr.len - r->have, len - n);
    if (m) {
        memcpy(r->buf + r->have, in + n, m);
        r->have += m;
        *used = n + m;
    }
    if (r->have < r->hdr.len)
        return 0;
    out->hdr = r->hdr;
    out->payload = r->buf;
    r->hdr_have = 0;
    r->have = 0;
    return 1;
}

/* The zero-copy case of mvp_reader_feed: a reader between frames whose input begins with
 * a whole, valid frame needs no buffering, so the payload is handed out in place. Any
 * other case (a partial or malformed frame) is left to mvp_reader_feed, which buffers it
 * or reports the error, so both paths accept and refuse exactly the same streams. */
int mvp_reader_take_whole(const struct mvp_reader *r, const uint8_t *in, size_t len,
                          size_t *used, struct mvp_frame *out)
{
    struct mvp_hdr h;

    *used = 0;
    if (r->err || r->hdr_have != 0 || len < MVP_HDR_LEN)
        return 0;
    if (mvp_hdr_decode(in, &h, r->max_payload) != 0 || h.len > r->cap ||
        h.len > len - MVP_HDR_LEN)
        return 0;
    out->hdr = h;
    out->payload = in + MVP_HDR_LEN;
    *used = MVP_HDR_LEN + h.len;
    return 1;
}
