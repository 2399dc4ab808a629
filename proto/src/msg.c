/* Typed message framing inside channel DATA streams (PROTOCOL.md "Typed channels"):
 * the frame header layout with the channel field reserved (0), read back with
 * mvp_reader and checked with mvp_msg_hdr_check. */
#include <string.h>

#include "mvp/frame.h"
#include "mvp/msg.h"
#include "mvp/update.h"
#include "mvp/wire.h"

int mvp_msg_type_known(uint8_t type)
{
    switch (type) {
    case MVP_MSG_CFG_REQUEST:
    case MVP_MSG_CFG_RESPONSE:
    case MVP_MSG_HTTP_REQUEST:
    case MVP_MSG_HTTP_RESPONSE:
    case MVP_MSG_UPD_STATUS:
    case MVP_MSG_UPD_OFFER:
    case MVP_MSG_UPD_FETCH:
    case MVP_MSG_UPD_CHUNK:
        return 1;
    default:
        return type >= MVP_MSG_MQTT_CONNECT && type <= MVP_MSG_MQTT_DISCONNECT_RESP;
    }
}

void mvp_msg_hdr_encode(uint8_t type, uint32_t len, uint8_t out[8])
{
    struct mvp_hdr h = { .type = type, .flags = 0, .chan = 0, .len = len };

    mvp_hdr_encode(&h, out);
}

int mvp_msg_encode(uint8_t type, const uint8_t *body, uint32_t len, uint8_t *out, size_t cap)
{
    if (!mvp_msg_type_known(type))
        return -MVP_E_UNKNOWN_TYPE;
    if (len > MVP_MAX_MSG_PAYLOAD)
        return -MVP_E_TOO_LONG;
    if (!out || cap < MVP_HDR_LEN || len > cap - MVP_HDR_LEN)
        return -MVP_E_NOSPACE;
    mvp_msg_hdr_encode(type, len, out);
    /* memmove: the body may already sit right after the header. */
    if (len)
        memmove(out + MVP_HDR_LEN, body, len);
    return (int)(MVP_HDR_LEN + len);
}

int mvp_msg_hdr_check(const struct mvp_hdr *h)
{
    if (h->chan != 0 || (h->flags & ~MVP_FLAG_IGNORABLE) != 0)
        return -MVP_E_INVALID;
    if (h->len > MVP_MAX_MSG_PAYLOAD)
        return -MVP_E_TOO_LONG;
    return mvp_msg_type_known(h->type) ? 0 : -MVP_E_UNKNOWN_TYPE;
}
