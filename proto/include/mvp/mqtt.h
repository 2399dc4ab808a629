/* MQTT channel messages (PROTOCOL.md "MQTT channel"), mirroring the Microvisor
 * MvMqtt* structures. The device sends CONNECT, SUBSCRIBE, UNSUBSCRIBE, PUBLISH,
 * MESSAGE_ACK and DISCONNECT; the relay answers with the *_RESP messages and sends
 * MESSAGE and LOST. The codec checks structure, limits and enum ranges; byte
 * strings point into the decoded input; repeated items go to caller arrays.
 * Encoders write the message body only (see mvp_msg_encode for the header) and
 * return its length or -err. Layouts (big endian):
 *  CONNECT:   {protocol_version u8 (0 v3.1.1, 1 v5), auth_method u8 (0 none,
 *              1 username/password), flags u8 (bit0 clean_start, bit1 tls, bit2 will),
 *              reserved u8 = 0, port u16 != 0, keepalive u32, host bytes16 1..255,
 *              client_id bytes16 <= 256,
 *              [auth 1: username bytes16 <= 1024, password bytes16 <= 4096],
 *              [tls: num_ca u8 1..8, num_client u8 0..8, reserved u16 = 0,
 *                    num_ca x cert bytes16 1..8192, num_client x cert bytes16 1..8192,
 *                    key bytes16 <= 8192 (non-empty iff num_client > 0)],
 *              [will: qos u8 0..2, retain u8 0..1, reserved u16 = 0,
 *                     topic bytes16 1..1024, payload bytes32 <= 65536]}
 *  CONNECT_RESP, DISCONNECT_RESP: {request_state u32 (MvMqttRequestState 0..8), code u32}
 *  SUBSCRIBE: {correlation_id u32, count u8 1..8, count x {qos u8 0..2, nl u8 0..1,
 *              rap u8 0..1, rh u8 0..2, topic bytes16 1..1024}}
 *  SUBSCRIBE_RESP, UNSUBSCRIBE_RESP: {correlation_id u32, request_state u32,
 *              count u8 <= 8, count x reason_code u32}
 *  UNSUBSCRIBE: {correlation_id u32, count u8 1..8, count x topic bytes16 1..1024}
 *  PUBLISH, MESSAGE: {correlation_id u32, qos u8 0..2, retain u8 0..1, reserved u16 = 0,
 *              topic bytes16 1..1024, payload bytes32 <= 65536}
 *  PUBLISH_RESP: {correlation_id u32, request_state u32, reason_code u32}
 *  MESSAGE_ACK: {correlation_id u32}
 *  LOST:      {reason u32 (MvMqttLostMessageReason 0), message_len u32,
 *              topic bytes16 <= 1024}
 *  DISCONNECT: empty body. */
#ifndef MVP_MQTT_H
#define MVP_MQTT_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/wire.h"

#define MVP_MAX_MQTT_HOST 255u
#define MVP_MAX_MQTT_CLIENT_ID 256u
#define MVP_MAX_MQTT_USERNAME 1024u
#define MVP_MAX_MQTT_PASSWORD 4096u
#define MVP_MAX_MQTT_CERTS 8u      /* per chain */
#define MVP_MAX_MQTT_CERT 8192u    /* one certificate or the key, DER or PEM */
#define MVP_MAX_MQTT_TOPIC 1024u
#define MVP_MAX_MQTT_PAYLOAD 65536u
#define MVP_MAX_MQTT_SUBS 8u       /* subscriptions or topics per request */
#define MVP_MAX_MQTT_REQUEST_STATE 8u /* MvMqttRequestState: ..CONNECTIONCIRCUITBREAKER */
#define MVP_MAX_MQTT_LOST_REASON 0u   /* MvMqttLostMessageReason: DEVICERECEIVEBUFFERTOOSMALL */

#define MVP_MQTT_FLAG_CLEAN_START 0x1u
#define MVP_MQTT_FLAG_TLS 0x2u
#define MVP_MQTT_FLAG_WILL 0x4u

struct mvp_mqtt_tls {
    const struct mvp_bytes *ca_certs; /* 1..MVP_MAX_MQTT_CERTS */
    uint8_t num_ca_certs;
    const struct mvp_bytes *client_certs; /* 0..MVP_MAX_MQTT_CERTS */
    uint8_t num_client_certs;
    const uint8_t *key; /* client key; present iff client certs are */
    uint16_t key_len;
};

struct mvp_mqtt_will {
    const uint8_t *topic;
    uint16_t topic_len;
    const uint8_t *payload;
    uint32_t payload_len;
    uint8_t qos;
    uint8_t retain;
};

struct mvp_mqtt_connect {
    uint8_t protocol_version; /* MvMqttProtocolVersion */
    uint8_t auth_method;      /* MvMqttAuthenticationMethod */
    uint8_t clean_start;      /* 0 or 1 */
    uint8_t has_tls, has_will;
    uint16_t port;
    uint32_t keepalive;
    const uint8_t *host;
    uint16_t host_len;
    const uint8_t *client_id;
    uint16_t client_id_len;
    const uint8_t *username; /* auth_method 1 only */
    uint16_t username_len;
    const uint8_t *password;
    uint16_t password_len;
    struct mvp_mqtt_tls tls;   /* if has_tls */
    struct mvp_mqtt_will will; /* if has_will */
};

/* CONNECT_RESP (code = MQTT reason code) and DISCONNECT_RESP (code = disconnect code). */
struct mvp_mqtt_result {
    uint32_t request_state;
    uint32_t code;
};

struct mvp_mqtt_sub {
    const uint8_t *topic;
    uint16_t topic_len;
    uint8_t qos, nl, rap, rh;
};

/* SUBSCRIBE_RESP and UNSUBSCRIBE_RESP. */
struct mvp_mqtt_suback {
    uint32_t correlation_id;
    uint32_t request_state;
    const uint32_t *reason_codes; /* decode: points at the caller's array */
    size_t num_reason_codes;
};

/* PUBLISH (device -> relay) and MESSAGE (relay -> device). */
struct mvp_mqtt_pub {
    uint32_t correlation_id;
    const uint8_t *topic;
    uint16_t topic_len;
    const uint8_t *payload;
    uint32_t payload_len;
    uint8_t qos, retain;
};

struct mvp_mqtt_pubresp {
    uint32_t correlation_id;
    uint32_t request_state;
    uint32_t reason_code;
};

struct mvp_mqtt_lost {
    uint32_t reason;
    uint32_t message_len;
    const uint8_t *topic;
    uint16_t topic_len;
};

int mvp_mqtt_connect_encode(const struct mvp_mqtt_connect *m, uint8_t *out, size_t cap);
/* certs[0..cap) receives the CA chain, then the client chain. */
int mvp_mqtt_connect_decode(const uint8_t *in, size_t len, struct mvp_mqtt_connect *m,
                            struct mvp_bytes *certs, size_t cap);
int mvp_mqtt_result_encode(const struct mvp_mqtt_result *m, uint8_t *out, size_t cap);
int mvp_mqtt_result_decode(const uint8_t *in, size_t len, struct mvp_mqtt_result *m);
int mvp_mqtt_subscribe_encode(uint32_t correlation_id, const struct mvp_mqtt_sub *subs,
                              size_t n, uint8_t *out, size_t cap);
int mvp_mqtt_subscribe_decode(const uint8_t *in, size_t len, uint32_t *correlation_id,
                              struct mvp_mqtt_sub *subs, size_t cap, size_t *n);
int mvp_mqtt_suback_encode(const struct mvp_mqtt_suback *m, uint8_t *out, size_t cap);
int mvp_mqtt_suback_decode(const uint8_t *in, size_t len, struct mvp_mqtt_suback *m,
                           uint32_t *codes, size_t cap);
int mvp_mqtt_unsubscribe_encode(uint32_t correlation_id, const struct mvp_bytes *topics,
                                size_t n, uint8_t *out, size_t cap);
int mvp_mqtt_unsubscribe_decode(const uint8_t *in, size_t len, uint32_t *correlation_id,
                                struct mvp_bytes *topics, size_t cap, size_t *n);
int mvp_mqtt_pub_encode(const struct mvp_mqtt_pub *m, uint8_t *out, size_t cap);
int mvp_mqtt_pub_decode(const uint8_t *in, size_t len, struct mvp_mqtt_pub *m);
int mvp_mqtt_pubresp_encode(const struct mvp_mqtt_pubresp *m, uint8_t *out, size_t cap);
int mvp_mqtt_pubresp_decode(const uint8_t *in, size_t len, struct mvp_mqtt_pubresp *m);
int mvp_mqtt_ack_encode(uint32_t correlation_id, uint8_t *out, size_t cap);
int mvp_mqtt_ack_decode(const uint8_t *in, size_t len, uint32_t *correlation_id);
int mvp_mqtt_lost_encode(const struct mvp_mqtt_lost *m, uint8_t *out, size_t cap);
int mvp_mqtt_lost_decode(const uint8_t *in, size_t len, struct mvp_mqtt_lost *m);
/* DISCONNECT has an empty body: the decoder only rejects trailing bytes. */
int mvp_mqtt_disconnect_decode(const uint8_t *in, size_t len);

#endif
