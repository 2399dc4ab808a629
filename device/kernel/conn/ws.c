/* RFC 6455 frame codec for the device's WebSocket client.
 * The decoder is a streaming state machine over untrusted relay bytes: every length is
 * checked before use and binary payload is handed out in place, so no message buffer
 * is needed; control frames (<= 125 bytes) are the only thing it copies. */
#include "ws.h"

#include <string.h>

void mvk_ws_dec_init(struct mvk_ws_dec *d, uint64_t max_msg)
{
    memset(d, 0, sizeof(*d));
    d->max_msg = max_msg;
}

static int is_control(uint8_t op)
{
    return (op & 0x8u) != 0;
}

/* Header length implied by the bytes seen so far (at least 2). */
static size_t hdr_need(const struct mvk_ws_dec *d)
{
    if (d->hdr_have < 2)
        return 2;
    uint8_t len7 = d->hdr[1] & 0x7fu;
    return 2u + (len7 == 126 ? 2u : len7 == 127 ? 8u : 0u);
}

/* Checks that depend only on the first two bytes, so garbage is refused early. */
static int check_first_two(const struct mvk_ws_dec *d)
{
    uint8_t b0 = d->hdr[0], b1 = d->hdr[1];
    uint8_t op = b0 & 0x0fu;
    uint8_t len7 = b1 & 0x7fu;
    if (b0 & 0x70u)
        return -MVK_WS_E_RSV;
    if (b1 & 0x80u)
        return -MVK_WS_E_MASKED;
    if (is_control(op)) {
        if (op != MVK_WS_OP_CLOSE && op != MVK_WS_OP_PING && op != MVK_WS_OP_PONG)
            return -MVK_WS_E_OPCODE;
        if (!(b0 & 0x80u) || len7 > MVK_WS_MAX_CTRL)
            return -MVK_WS_E_CTRL;
        if (op == MVK_WS_OP_CLOSE && len7 == 1)
            return -MVK_WS_E_CLOSE_PAYLOAD;
        return 0;
    }
    if (op == MVK_WS_OP_TEXT)
        return -MVK_WS_E_TEXT;
    if (op != MVK_WS_OP_CONT && op != MVK_WS_OP_BINARY)
        return -MVK_WS_E_OPCODE;
    if ((op == MVK_WS_OP_CONT) != (d->in_msg != 0))
        return -MVK_WS_E_CONT;
    return 0;
}

static uint64_t be_read(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Full header present: decode the length and start the frame. */
static int start_frame(struct mvk_ws_dec *d)
{
    uint8_t len7 = d->hdr[1] & 0x7fu;
    uint64_t len = len7;
    if (len7 == 126) {
        len = be_read(d->hdr + 2, 2);
        if (len < 126)
            return -MVK_WS_E_LENGTH;
    } else if (len7 == 127) {
        len = be_read(d->hdr + 2, 8);
        if ((len >> 63) != 0 || len <= 0xffffu)
            return -MVK_WS_E_LENGTH;
    }
    d->op = d->hdr[0] & 0x0fu;
    d->fin = (d->hdr[0] & 0x80u) ? 1 : 0;
    if (!is_control(d->op)) {
        if (d->op == MVK_WS_OP_BINARY)
            d->msg_len = 0;
        if (len > d->max_msg - d->msg_len)
            return -MVK_WS_E_TOO_BIG;
        d->msg_len += len;
        d->in_msg = !d->fin;
    }
    d->left = len;
    d->in_frame = 1;
    d->hdr_have = 0;
    d->ctrl_have = 0;
    return 0;
}

static int close_code_valid(uint16_t c)
{
    return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1011) || (c >= 3000 && c <= 4999);
}

/* A control frame's payload is complete: turn it into an event. */
static int ctrl_event(struct mvk_ws_dec *d, struct mvk_ws_event *ev)
{
    d->in_frame = 0;
    ev->data = d->ctrl;
    ev->len = d->ctrl_have;
    ev->end = 0;
    ev->close_code = 0;
    if (d->op == MVK_WS_OP_PING) {
        ev->type = MVK_WS_EV_PING;
    } else if (d->op == MVK_WS_OP_PONG) {
        ev->type = MVK_WS_EV_PONG;
    } else {
        ev->type = MVK_WS_EV_CLOSE;
        ev->close_code = 1005; /* "no status received" */
        if (d->ctrl_have >= 2) {
            ev->close_code = (uint16_t)be_read(d->ctrl, 2);
            if (!close_code_valid(ev->close_code))
                return -MVK_WS_E_CLOSE_PAYLOAD;
            ev->data = d->ctrl + 2;
            ev->len = d->ctrl_have - 2;
        }
    }
    return 1;
}

/* Hands out up to n payload bytes of the current frame (n may be 0 for empty frames). */
static int payload_step(struct mvk_ws_dec *d, const uint8_t *in, size_t n, struct mvk_ws_event *ev)
{
    d->left -= n;
    if (is_control(d->op)) {
        memcpy(d->ctrl + d->ctrl_have, in, n);
        d->ctrl_have += n;
        return d->left == 0 ? ctrl_event(d, ev) : 0;
    }
    ev->type = MVK_WS_EV_DATA;
    ev->data = in;
    ev->len = n;
    ev->end = 0;
    ev->close_code = 0;
    if (d->left == 0) {
        d->in_frame = 0;
        ev->end = d->fin;
    }
    return 1;
}

static int fail(struct mvk_ws_dec *d, int rc)
{
    d->err = -rc;
    return rc;
}

int mvk_ws_dec_feed(struct mvk_ws_dec *d, const uint8_t *in, size_t len, size_t *used,
                    struct mvk_ws_event *ev)
{
    size_t off = 0;
    int rc = 0;
    *used = 0;
    if (d->err)
        return -d->err;
    while (rc == 0) {
        if (!d->in_frame) {
            if (off == len)
                break;
            d->hdr[d->hdr_have++] = in[off++];
            if (d->hdr_have == 2 && (rc = check_first_two(d)) < 0)
                return fail(d, rc);
            if (d->hdr_have < hdr_need(d))
                continue;
            if ((rc = start_frame(d)) < 0)
                return fail(d, rc);
            if (d->left != 0)
                continue;
            rc = payload_step(d, in + off, 0, ev);
        } else {
            if (off == len)
                break;
            size_t n = len - off;
            if (n > d->left)
                n = (size_t)d->left;
            rc = payload_step(d, in + off, n, ev);
            off += n;
        }
        if (rc < 0)
            return fail(d, rc);
    }
    *used = off;
    return rc;
}

uint16_t mvk_ws_err_close_code(int err)
{
    if (err < 0)
        err = -err;
    if (err == MVK_WS_E_TOO_BIG)
        return MVK_WS_CLOSE_TOO_BIG;
    if (err == MVK_WS_E_TEXT)
        return MVK_WS_CLOSE_UNSUPPORTED;
    return MVK_WS_CLOSE_PROTOCOL;
}

const char *mvk_ws_strerror(int err)
{
    static const char *const names[] = {
        "ok",
        "reserved bits set",
        "reserved opcode",
        "text message",
        "masked server frame",
        "bad control frame",
        "bad continuation",
        "bad length encoding",
        "message too big",
        "bad close payload",
    };
    if (err < 0)
        err = -err;
    if ((size_t)err >= sizeof(names) / sizeof(names[0]))
        return "unknown websocket error";
    return names[err];
}

size_t mvk_ws_hdr_encode(uint8_t op, int fin, uint64_t len, const uint8_t mask[4], uint8_t *out,
                         size_t cap)
{
    size_t n = 2;
    if (is_control(op) && (!fin || len > MVK_WS_MAX_CTRL))
        return 0;
    size_t ext = len < 126 ? 0u : len <= 0xffffu ? 2u : 8u;
    if (cap < 2 + ext + 4 || (len >> 63) != 0)
        return 0;
    out[0] = (uint8_t)((fin ? 0x80u : 0u) | (op & 0x0fu));
    out[1] = (uint8_t)(0x80u | (ext == 0 ? len : ext == 2 ? 126u : 127u));
    for (size_t i = 0; i < ext; i++)
        out[n++] = (uint8_t)(len >> (8 * (ext - 1 - i)));
    memcpy(out + n, mask, 4);
    return n + 4;
}

void mvk_ws_mask(uint8_t *p, size_t n, const uint8_t mask[4], uint64_t off)
{
    for (size_t i = 0; i < n; i++)
        p[i] ^= mask[(off + i) & 3u];
}

size_t mvk_ws_frame_encode(uint8_t op, const uint8_t *payload, size_t len, const uint8_t mask[4],
                           uint8_t *out, size_t cap)
{
    size_t h = mvk_ws_hdr_encode(op, 1, len, mask, out, cap);
    if (h == 0 || len > cap - h)
        return 0;
    if (len)
        memmove(out + h, payload, len);
    mvk_ws_mask(out + h, len, mask, 0);
    return h + len;
}
