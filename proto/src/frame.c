/* Frame header codec and frame type table (PROTOCOL.md "Frames").
 * The header is the same for session frames and for typed messages inside DATA
 * streams; judging the type is left to the caller, which knows the context. */
#include <string.h>

#include "mvp/frame.h"
#include "mvp/wire.h"

int mvp_frame_type_known(uint8_t type)
{
    return type >= MVP_HELLO && type <= MVP_ERROR;
}

const char *mvp_frame_type_name(uint8_t type)
{
    static const char *const names[] = {
        "UNKNOWN", "HELLO", "WELCOME", "OPEN", "OPEN_OK", "OPEN_ERR", "DATA", "WINDOW",
        "CLOSE", "LOG", "LOG_ACK", "PING", "PONG", "GOAWAY", "ERROR",
    };

    return mvp_frame_type_known(type) ? names[type] : names[0];
}

void mvp_hdr_encode(const struct mvp_hdr *h, uint8_t out[MVP_HDR_LEN])
{
    struct mvp_wbuf w;

    mvp_w_init(&w, out, MVP_HDR_LEN);
    mvp_w_u8(&w, h->type);
    mvp_w_u8(&w, h->flags);
    mvp_w_u16(&w, h->chan);
    mvp_w_u32(&w, h->len);
}

int mvp_hdr_decode(const uint8_t in[MVP_HDR_LEN], struct mvp_hdr *h, uint32_t max_payload)
{
    struct mvp_rbuf r;

    mvp_r_init(&r, in, MVP_HDR_LEN);
    h->type = mvp_r_u8(&r);
    h->flags = mvp_r_u8(&r);
    h->chan = mvp_r_u16(&r);
    h->len = mvp_r_u32(&r);
    if (h->len > max_payload)
        return -MVP_E_TOO_LONG;
    return 0;
}

int mvp_frame_encode(uint8_t type, uint8_t flags, uint16_t chan, const uint8_t *payload,
                     uint32_t len, uint8_t *out, size_t cap)
{
    struct mvp_hdr h = { .type = type, .flags = flags, .chan = chan, .len = len };

    if (len > MVP_MAX_FRAME_PAYLOAD)
        return -MVP_E_TOO_LONG;
    if (!out || cap < MVP_HDR_LEN || len > cap - MVP_HDR_LEN)
        return -MVP_E_NOSPACE;
    mvp_hdr_encode(&h, out);
    /* memmove: callers may build the payload in place right after the header. */
    if (len)
        memmove(out + MVP_HDR_LEN, payload, len);
    return (int)(MVP_HDR_LEN + len);
}
