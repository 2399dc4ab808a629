/* MQTT PUBLISH / MESSAGE (same layout, opposite directions), PUBLISH_RESP,
 * MESSAGE_ACK, LOST and DISCONNECT (PROTOCOL.md "MQTT channel"). */
#include "mvp/mqtt.h"
#include "mvp/msg.h"
#include "mvp/wire.h"
#include "codec.h"

static int pub_check(const struct mvp_mqtt_pub *m)
{
    if (m->qos > 2 || m->retain > 1 || m->topic_len == 0)
        return -MVP_E_INVALID;
    if (m->topic_len > MVP_MAX_MQTT_TOPIC || m->payload_len > MVP_MAX_MQTT_PAYLOAD)
        return -MVP_E_TOO_LONG;
    return 0;
}

int mvp_mqtt_pub_encode(const struct mvp_mqtt_pub *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = pub_check(m);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->correlation_id);
    mvp_w_u8(&w, m->qos);
    mvp_w_u8(&w, m->retain);
    mvp_w_u16(&w, 0);
    mvp_w_bytes16(&w, m->topic, m->topic_len);
    mvp_w_bytes32(&w, m->payload, m->payload_len);
    return mvp_w_result(&w);
}

int mvp_mqtt_pub_decode(const uint8_t *in, size_t len, struct mvp_mqtt_pub *m)
{
    struct mvp_rbuf r;
    int rc;

    mvp_r_init(&r, in, len);
    m->correlation_id = mvp_r_u32(&r);
    m->qos = mvp_r_u8(&r);
    m->retain = mvp_r_u8(&r);
    if (mvp_r_u16(&r) != 0)
        mvp_r_fail(&r, MVP_E_INVALID);
    mvp_r_bytes16(&r, &m->topic, &m->topic_len, MVP_MAX_MQTT_TOPIC);
    mvp_r_bytes32(&r, &m->payload, &m->payload_len, MVP_MAX_MQTT_PAYLOAD);
    rc = mvp_r_end(&r);
    return rc ? rc : pub_check(m);
}

int mvp_mqtt_pubresp_encode(const struct mvp_mqtt_pubresp *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;

    if (m->request_state > MVP_MAX_MQTT_REQUEST_STATE)
        return -MVP_E_INVALID;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->correlation_id);
    mvp_w_u32(&w, m->request_state);
    mvp_w_u32(&w, m->reason_code);
    return mvp_w_result(&w);
}

int mvp_mqtt_pubresp_decode(const uint8_t *in, size_t len, struct mvp_mqtt_pubresp *m)
{
    struct mvp_rbuf r;
    int rc;

    mvp_r_init(&r, in, len);
    m->correlation_id = mvp_r_u32(&r);
    m->request_state = mvp_r_u32(&r);
    m->reason_code = mvp_r_u32(&r);
    rc = mvp_r_end(&r);
    if (rc == 0 && m->request_state > MVP_MAX_MQTT_REQUEST_STATE)
        rc = -MVP_E_INVALID;
    return rc;
}

int mvp_mqtt_ack_encode(uint32_t correlation_id, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;

    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, correlation_id);
    return mvp_w_result(&w);
}

int mvp_mqtt_ack_decode(const uint8_t *in, size_t len, uint32_t *correlation_id)
{
    struct mvp_rbuf r;

    mvp_r_init(&r, in, len);
    *correlation_id = mvp_r_u32(&r);
    return mvp_r_end(&r);
}

int mvp_mqtt_lost_encode(const struct mvp_mqtt_lost *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;

    if (m->reason > MVP_MAX_MQTT_LOST_REASON)
        return -MVP_E_INVALID;
    if (m->topic_len > MVP_MAX_MQTT_TOPIC)
        return -MVP_E_TOO_LONG;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->reason);
    mvp_w_u32(&w, m->message_len);
    mvp_w_bytes16(&w, m->topic, m->topic_len);
    return mvp_w_result(&w);
}

int mvp_mqtt_lost_decode(const uint8_t *in, size_t len, struct mvp_mqtt_lost *m)
{
    struct mvp_rbuf r;
    int rc;

    mvp_r_init(&r, in, len);
    m->reason = mvp_r_u32(&r);
    m->message_len = mvp_r_u32(&r);
    mvp_r_bytes16(&r, &m->topic, &m->topic_len, MVP_MAX_MQTT_TOPIC);
    rc = mvp_r_end(&r);
    if (rc == 0 && m->reason > MVP_MAX_MQTT_LOST_REASON)
        rc = -MVP_E_INVALID;
    return rc;
}

int mvp_mqtt_disconnect_decode(const uint8_t *in, size_t len)
{
    (void)in;
    return len ? -MVP_E_TRAILING : 0;
}
