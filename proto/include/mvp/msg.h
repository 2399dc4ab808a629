/* Typed messages carried inside the DATA byte stream of typed channels
 * (PROTOCOL.md "Typed channels"). Each message is framed with the frame header layout
 * {type u8, flags u8, reserved u16 = 0, length u32} and read with mvp_reader. */
#ifndef MVP_MSG_H
#define MVP_MSG_H

#include <stddef.h>
#include <stdint.h>

#define MVP_MAX_MSG_PAYLOAD (64u * 1024u + 4096u) /* largest typed message body */

enum mvp_msg_type {
    /* config fetch channel (MV_CHANNELTYPE_CONFIGFETCH) */
    MVP_MSG_CFG_REQUEST = 0x10,
    MVP_MSG_CFG_RESPONSE = 0x11,
    /* HTTP channel (MV_CHANNELTYPE_HTTP): see mvp/http.h */
    MVP_MSG_HTTP_REQUEST = 0x20,
    MVP_MSG_HTTP_RESPONSE = 0x21,
    /* MQTT channel (MV_CHANNELTYPE_MQTT): see mvp/mqtt.h */
    MVP_MSG_MQTT_CONNECT = 0x30,
    MVP_MSG_MQTT_CONNECT_RESP = 0x31,
    MVP_MSG_MQTT_SUBSCRIBE = 0x32,
    MVP_MSG_MQTT_SUBSCRIBE_RESP = 0x33,
    MVP_MSG_MQTT_UNSUBSCRIBE = 0x34,
    MVP_MSG_MQTT_UNSUBSCRIBE_RESP = 0x35,
    MVP_MSG_MQTT_PUBLISH = 0x36,
    MVP_MSG_MQTT_PUBLISH_RESP = 0x37,
    MVP_MSG_MQTT_MESSAGE = 0x38,
    MVP_MSG_MQTT_MESSAGE_ACK = 0x39,
    MVP_MSG_MQTT_LOST = 0x3a,
    MVP_MSG_MQTT_DISCONNECT = 0x3b,
    MVP_MSG_MQTT_DISCONNECT_RESP = 0x3c,
};

/* Writes a message header + body into out; returns total length or -err. */
int mvp_msg_encode(uint8_t type, const uint8_t *body, uint32_t len, uint8_t *out, size_t cap);
/* Writes only the 8-byte header (for bodies produced in place after it). */
void mvp_msg_hdr_encode(uint8_t type, uint32_t len, uint8_t out[8]);
int mvp_msg_type_known(uint8_t type);

struct mvp_hdr;
/* Checks a message header returned by mvp_reader (read with max_payload
 * MVP_MAX_MSG_PAYLOAD): reserved field 0, no flag but MVP_FLAG_IGNORABLE, type known.
 * -MVP_E_UNKNOWN_TYPE for an unknown type (skip it if the IGNORABLE flag is set),
 * -MVP_E_INVALID for a bad reserved field or flags. */
int mvp_msg_hdr_check(const struct mvp_hdr *h);

#endif
