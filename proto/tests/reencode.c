/* Decode-then-encode dispatcher over every frame and typed message type, shared by
 * the golden-vector tests and the libFuzzer targets (see reencode.h). */
#include <string.h>

#include "reencode.h"
#include "mvp/cfg.h"
#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/http.h"
#include "mvp/log.h"
#include "mvp/mqtt.h"
#include "mvp/msg.h"
#include "mvp/update.h"

static int re_hello(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_hello m;
    int rc = mvp_hello_decode(in, len, &m);

    return rc ? rc : mvp_hello_encode(&m, out, cap);
}

static int re_welcome(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_welcome m;
    int rc = mvp_welcome_decode(in, len, &m);

    return rc ? rc : mvp_welcome_encode(&m, out, cap);
}

static int re_open(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_open m;
    int rc = mvp_open_decode(in, len, &m);

    return rc ? rc : mvp_open_encode(&m, out, cap);
}

static int re_open_err(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_open_err m;
    int rc = mvp_open_err_decode(in, len, &m);

    return rc ? rc : mvp_open_err_encode(&m, out, cap);
}

static int re_goaway(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_goaway m;
    int rc = mvp_goaway_decode(in, len, &m);

    return rc ? rc : mvp_goaway_encode(&m, out, cap);
}

static int re_error(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_error m;
    int rc = mvp_error_decode(in, len, &m);

    return rc ? rc : mvp_error_encode(&m, out, cap);
}

static int re_u32(uint8_t type, const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    uint32_t v;
    int rc;

    switch (type) {
    case MVP_OPEN_OK:
        rc = mvp_open_ok_decode(in, len, &v);
        return rc ? rc : mvp_open_ok_encode(v, out, cap);
    case MVP_WINDOW:
        rc = mvp_window_decode(in, len, &v);
        return rc ? rc : mvp_window_encode(v, out, cap);
    case MVP_CLOSE:
        rc = mvp_close_decode(in, len, &v);
        return rc ? rc : mvp_close_encode(v, out, cap);
    default:
        rc = mvp_mqtt_ack_decode(in, len, &v);
        return rc ? rc : mvp_mqtt_ack_encode(v, out, cap);
    }
}

static int re_u64(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    uint64_t v;
    int rc = mvp_u64_decode(in, len, &v);

    return rc ? rc : mvp_u64_encode(v, out, cap);
}

static int re_log(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_log_iter it;
    struct mvp_log_writer lw;
    struct mvp_log_rec rec;
    uint64_t boot;
    uint16_t count;
    int rc = mvp_log_iter_init(&it, in, len, &boot, &count);

    if (rc)
        return rc;
    mvp_log_writer_init(&lw, out, cap, boot);
    while ((rc = mvp_log_iter_next(&it, &rec)) == 1) {
        rc = mvp_log_writer_add(&lw, &rec);
        if (rc)
            return rc;
    }
    return rc ? rc : mvp_log_writer_end(&lw);
}

static int re_log_ack(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    uint64_t boot;
    uint32_t seq;
    int rc = mvp_log_ack_decode(in, len, &boot, &seq);

    return rc ? rc : mvp_log_ack_encode(boot, seq, out, cap);
}

static int re_data(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    if (len > cap)
        return -MVP_E_NOSPACE;
    if (len)
        memcpy(out, in, len);
    return (int)len;
}

static int re_cfg_req(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_cfg_key keys[MVP_MAX_CFG_KEYS];
    size_t n;
    int rc = mvp_cfg_req_decode(in, len, keys, MVP_MAX_CFG_KEYS, &n);

    return rc ? rc : mvp_cfg_req_encode(keys, n, out, cap);
}

static int re_cfg_resp(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_cfg_item items[MVP_MAX_CFG_KEYS];
    uint8_t result;
    size_t n;
    int rc = mvp_cfg_resp_decode(in, len, &result, items, MVP_MAX_CFG_KEYS, &n);

    return rc ? rc : mvp_cfg_resp_encode(result, items, n, out, cap);
}

static int re_http_req(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_bytes hdrs[MVP_MAX_HTTP_HEADERS];
    struct mvp_http_request m;
    int rc = mvp_http_req_decode(in, len, &m, hdrs, MVP_MAX_HTTP_HEADERS);

    return rc ? rc : mvp_http_req_encode(&m, out, cap);
}

static int re_http_resp(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_bytes hdrs[MVP_MAX_HTTP_RESP_HEADERS];
    struct mvp_http_response m;
    int rc = mvp_http_resp_decode(in, len, &m, hdrs, MVP_MAX_HTTP_RESP_HEADERS);

    return rc ? rc : mvp_http_resp_encode(&m, out, cap);
}

static int re_mqtt_connect(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_bytes certs[2 * MVP_MAX_MQTT_CERTS];
    struct mvp_mqtt_connect m;
    int rc = mvp_mqtt_connect_decode(in, len, &m, certs, 2 * MVP_MAX_MQTT_CERTS);

    return rc ? rc : mvp_mqtt_connect_encode(&m, out, cap);
}

static int re_mqtt_result(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_mqtt_result m;
    int rc = mvp_mqtt_result_decode(in, len, &m);

    return rc ? rc : mvp_mqtt_result_encode(&m, out, cap);
}

static int re_mqtt_sub(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_mqtt_sub subs[MVP_MAX_MQTT_SUBS];
    uint32_t corr;
    size_t n;
    int rc = mvp_mqtt_subscribe_decode(in, len, &corr, subs, MVP_MAX_MQTT_SUBS, &n);

    return rc ? rc : mvp_mqtt_subscribe_encode(corr, subs, n, out, cap);
}

static int re_mqtt_unsub(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_bytes topics[MVP_MAX_MQTT_SUBS];
    uint32_t corr;
    size_t n;
    int rc = mvp_mqtt_unsubscribe_decode(in, len, &corr, topics, MVP_MAX_MQTT_SUBS, &n);

    return rc ? rc : mvp_mqtt_unsubscribe_encode(corr, topics, n, out, cap);
}

static int re_mqtt_suback(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    uint32_t codes[MVP_MAX_MQTT_SUBS];
    struct mvp_mqtt_suback m;
    int rc = mvp_mqtt_suback_decode(in, len, &m, codes, MVP_MAX_MQTT_SUBS);

    return rc ? rc : mvp_mqtt_suback_encode(&m, out, cap);
}

static int re_mqtt_pub(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_mqtt_pub m;
    int rc = mvp_mqtt_pub_decode(in, len, &m);

    return rc ? rc : mvp_mqtt_pub_encode(&m, out, cap);
}

static int re_mqtt_pubresp(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_mqtt_pubresp m;
    int rc = mvp_mqtt_pubresp_decode(in, len, &m);

    return rc ? rc : mvp_mqtt_pubresp_encode(&m, out, cap);
}

static int re_mqtt_lost(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_mqtt_lost m;
    int rc = mvp_mqtt_lost_decode(in, len, &m);

    return rc ? rc : mvp_mqtt_lost_encode(&m, out, cap);
}

static int re_upd_status(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_upd_status m;
    int rc = mvp_upd_status_decode(in, len, &m);

    return rc ? rc : mvp_upd_status_encode(&m, out, cap);
}

static int re_upd_offer(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_upd_offer m;
    int rc = mvp_upd_offer_decode(in, len, &m);

    return rc ? rc : mvp_upd_offer_encode(&m, out, cap);
}

static int re_upd_fetch(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_upd_fetch m;
    int rc = mvp_upd_fetch_decode(in, len, &m);

    return rc ? rc : mvp_upd_fetch_encode(&m, out, cap);
}

static int re_upd_chunk(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_upd_chunk m;
    int rc = mvp_upd_chunk_decode(in, len, &m);

    return rc ? rc : mvp_upd_chunk_encode(&m, out, cap);
}

static int re_msg(uint8_t type, const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    switch (type) {
    case MVP_MSG_CFG_REQUEST: return re_cfg_req(in, len, out, cap);
    case MVP_MSG_CFG_RESPONSE: return re_cfg_resp(in, len, out, cap);
    case MVP_MSG_HTTP_REQUEST: return re_http_req(in, len, out, cap);
    case MVP_MSG_HTTP_RESPONSE: return re_http_resp(in, len, out, cap);
    case MVP_MSG_MQTT_CONNECT: return re_mqtt_connect(in, len, out, cap);
    case MVP_MSG_MQTT_CONNECT_RESP:
    case MVP_MSG_MQTT_DISCONNECT_RESP: return re_mqtt_result(in, len, out, cap);
    case MVP_MSG_MQTT_SUBSCRIBE: return re_mqtt_sub(in, len, out, cap);
    case MVP_MSG_MQTT_SUBSCRIBE_RESP:
    case MVP_MSG_MQTT_UNSUBSCRIBE_RESP: return re_mqtt_suback(in, len, out, cap);
    case MVP_MSG_MQTT_UNSUBSCRIBE: return re_mqtt_unsub(in, len, out, cap);
    case MVP_MSG_MQTT_PUBLISH:
    case MVP_MSG_MQTT_MESSAGE: return re_mqtt_pub(in, len, out, cap);
    case MVP_MSG_MQTT_PUBLISH_RESP: return re_mqtt_pubresp(in, len, out, cap);
    case MVP_MSG_MQTT_MESSAGE_ACK: return re_u32(type, in, len, out, cap);
    case MVP_MSG_MQTT_LOST: return re_mqtt_lost(in, len, out, cap);
    case MVP_MSG_MQTT_DISCONNECT: return mvp_mqtt_disconnect_decode(in, len);
    case MVP_MSG_UPD_STATUS: return re_upd_status(in, len, out, cap);
    case MVP_MSG_UPD_OFFER: return re_upd_offer(in, len, out, cap);
    case MVP_MSG_UPD_FETCH: return re_upd_fetch(in, len, out, cap);
    case MVP_MSG_UPD_CHUNK: return re_upd_chunk(in, len, out, cap);
    default: return -MVP_E_UNKNOWN_TYPE;
    }
}

int t_reencode_payload(uint8_t type, const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    switch (type) {
    case MVP_HELLO: return re_hello(in, len, out, cap);
    case MVP_WELCOME: return re_welcome(in, len, out, cap);
    case MVP_OPEN: return re_open(in, len, out, cap);
    case MVP_OPEN_ERR: return re_open_err(in, len, out, cap);
    case MVP_OPEN_OK:
    case MVP_WINDOW:
    case MVP_CLOSE: return re_u32(type, in, len, out, cap);
    case MVP_DATA: return re_data(in, len, out, cap);
    case MVP_LOG: return re_log(in, len, out, cap);
    case MVP_LOG_ACK: return re_log_ack(in, len, out, cap);
    case MVP_PING:
    case MVP_PONG: return re_u64(in, len, out, cap);
    case MVP_GOAWAY: return re_goaway(in, len, out, cap);
    case MVP_ERROR: return re_error(in, len, out, cap);
    default: return re_msg(type, in, len, out, cap);
    }
}

int t_reencode(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    struct mvp_hdr h;
    int n, rc;

    if (len < MVP_HDR_LEN)
        return -MVP_E_TRUNCATED;
    if (cap < MVP_HDR_LEN)
        return -MVP_E_NOSPACE;
    rc = mvp_hdr_decode(in, &h, MVP_MAX_MSG_PAYLOAD);
    if (rc)
        return rc;
    if (h.len != len - MVP_HDR_LEN)
        return h.len > len - MVP_HDR_LEN ? -MVP_E_TRUNCATED : -MVP_E_TRAILING;
    if (!mvp_frame_type_known(h.type)) {
        rc = mvp_msg_hdr_check(&h);
        if (rc)
            return rc;
    } else if (h.len > MVP_MAX_FRAME_PAYLOAD) {
        return -MVP_E_TOO_LONG;
    }
    n = t_reencode_payload(h.type, in + MVP_HDR_LEN, h.len, out + MVP_HDR_LEN,
                           cap - MVP_HDR_LEN);
    if (n < 0)
        return n;
    h.len = (uint32_t)n;
    mvp_hdr_encode(&h, out);
    return n + (int)MVP_HDR_LEN;
}
