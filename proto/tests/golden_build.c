/* Builders for the golden vectors (see golden.h): one small function per frame or
 * typed message, using only the public encoders, with fixed recognisable values. */
#include "golden.h"
#include "mvp/cfg.h"
#include "mvp/update.h"
#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/http.h"
#include "mvp/log.h"
#include "mvp/mqtt.h"
#include "mvp/msg.h"


/* Encodes a payload after an 8-byte header slot, then writes the header. */
static int frame(uint8_t type, uint16_t chan, int plen, uint8_t *out, size_t cap)
{
    if (plen < 0)
        return plen;
    return mvp_frame_encode(type, 0, chan, out + MVP_HDR_LEN, (uint32_t)plen, out, cap);
}

static int msg(uint8_t type, int blen, uint8_t *out, size_t cap)
{
    if (blen < 0)
        return blen;
    return mvp_msg_encode(type, out + MVP_HDR_LEN, (uint32_t)blen, out, cap);
}

#define P out + MVP_HDR_LEN, cap - MVP_HDR_LEN

static int g_hello(uint8_t *out, size_t cap)
{
    struct mvp_hello m = { .ver_min = 1, .ver_max = 1, .boot_id = 0x0102030405060708ull,
                           .log_next_seq = 5, .flags = 0 };

    m.fw_version = (const uint8_t *)"fw-1.0";
    m.fw_version_len = 6;
    return frame(MVP_HELLO, 0, mvp_hello_encode(&m, P), out, cap);
}

static int g_welcome(uint8_t *out, size_t cap)
{
    struct mvp_welcome m = { .version = 1, .server_time_us = 1700000000000000ull,
                             .max_payload = 16384, .initial_window = 16384,
                             .ping_interval_s = 30, .flags = MVP_WELCOME_LOG_ACKED_VALID,
                             .log_acked_seq = 4 };

    return frame(MVP_WELCOME, 0, mvp_welcome_encode(&m, P), out, cap);
}

static int g_open(uint8_t *out, size_t cap)
{
    struct mvp_open m = { .chan_type = 0, .window = 4096 };

    m.endpoint = (const uint8_t *)"echo";
    m.endpoint_len = 4;
    return frame(MVP_OPEN, 1, mvp_open_encode(&m, P), out, cap);
}

static int g_open_ok(uint8_t *out, size_t cap)
{
    return frame(MVP_OPEN_OK, 1, mvp_open_ok_encode(16384, P), out, cap);
}

static int g_open_err(uint8_t *out, size_t cap)
{
    struct mvp_open_err m = { .status = 0xd };

    m.msg = (const uint8_t *)"unknown endpoint";
    m.msg_len = 16;
    return frame(MVP_OPEN_ERR, 2, mvp_open_err_encode(&m, P), out, cap);
}

static int g_data(uint8_t *out, size_t cap)
{
    return mvp_frame_encode(MVP_DATA, 0, 1, (const uint8_t *)"hello", 5, out, cap);
}

static int g_window(uint8_t *out, size_t cap)
{
    return frame(MVP_WINDOW, 1, mvp_window_encode(2048, P), out, cap);
}

static int g_close(uint8_t *out, size_t cap)
{
    return frame(MVP_CLOSE, 1, mvp_close_encode(6, P), out, cap);
}

static int g_log(uint8_t *out, size_t cap)
{
    struct mvp_log_writer lw;
    struct mvp_log_rec a = { .seq = 5, .device_us = 1000000, .kind = MVP_LOG_KIND_MSG };
    struct mvp_log_rec b = { .seq = 6, .device_us = 2000000, .kind = MVP_LOG_KIND_GAP,
                             .dropped = 3 };
    int rc;

    a.msg = (const uint8_t *)"boot";
    a.msg_len = 4;
    mvp_log_writer_init(&lw, P, 0x0102030405060708ull);
    rc = mvp_log_writer_add(&lw, &a);
    if (rc == 0)
        rc = mvp_log_writer_add(&lw, &b);
    return frame(MVP_LOG, 0, rc ? rc : mvp_log_writer_end(&lw), out, cap);
}

static int g_log_ack(uint8_t *out, size_t cap)
{
    return frame(MVP_LOG_ACK, 0, mvp_log_ack_encode(0x0102030405060708ull, 6, P), out, cap);
}

static int g_ping(uint8_t *out, size_t cap)
{
    return frame(MVP_PING, 0, mvp_u64_encode(0x1122334455667788ull, P), out, cap);
}

static int g_pong(uint8_t *out, size_t cap)
{
    return frame(MVP_PONG, 0, mvp_u64_encode(0x1122334455667788ull, P), out, cap);
}

static int g_goaway(uint8_t *out, size_t cap)
{
    struct mvp_goaway m = { .reason = MVP_GOAWAY_SHUTDOWN, .retry_after_ms = 5000 };

    m.msg = (const uint8_t *)"restart";
    m.msg_len = 7;
    return frame(MVP_GOAWAY, 0, mvp_goaway_encode(&m, P), out, cap);
}

static int g_error(uint8_t *out, size_t cap)
{
    struct mvp_error m = { .code = MVP_E_UNKNOWN_TYPE, .frame_type = 0x42 };

    m.msg = (const uint8_t *)"unknown type";
    m.msg_len = 12;
    return frame(MVP_ERROR, 0, mvp_error_encode(&m, P), out, cap);
}

static int g_cfg_request(uint8_t *out, size_t cap)
{
    struct mvp_cfg_key k[2] = { { .scope = 1, .store = 1 }, { .scope = 0, .store = 0 } };

    k[0].key = (const uint8_t *)"interval";
    k[0].key_len = 8;
    k[1].key = (const uint8_t *)"token";
    k[1].key_len = 5;
    return msg(MVP_MSG_CFG_REQUEST, mvp_cfg_req_encode(k, 2, P), out, cap);
}

static int g_cfg_response(uint8_t *out, size_t cap)
{
    struct mvp_cfg_item it[2] = { { .result = 0 }, { .result = 1 } };

    it[0].value = (const uint8_t *)"60";
    it[0].value_len = 2;
    return msg(MVP_MSG_CFG_RESPONSE, mvp_cfg_resp_encode(0, it, 2, P), out, cap);
}

static int g_cfg_response_too_large(uint8_t *out, size_t cap)
{
    return msg(MVP_MSG_CFG_RESPONSE, mvp_cfg_resp_encode(1, NULL, 0, P), out, cap);
}

static int g_http_request(uint8_t *out, size_t cap)
{
    struct mvp_bytes h[1] = { { (const uint8_t *)"Accept: */*", 11 } };
    struct mvp_http_request m = { .timeout_ms = 10000, .headers = h, .num_headers = 1 };

    m.method = (const uint8_t *)"GET";
    m.method_len = 3;
    m.url = (const uint8_t *)"https://example.com/";
    m.url_len = 20;
    return msg(MVP_MSG_HTTP_REQUEST, mvp_http_req_encode(&m, P), out, cap);
}

static int g_http_response(uint8_t *out, size_t cap)
{
    struct mvp_bytes h[1] = { { (const uint8_t *)"Content-Type: text/plain", 24 } };
    struct mvp_http_response m = { .result = 0, .status_code = 200, .headers = h,
                                   .num_headers = 1 };

    m.body = (const uint8_t *)"ok";
    m.body_len = 2;
    return msg(MVP_MSG_HTTP_RESPONSE, mvp_http_resp_encode(&m, P), out, cap);
}

static int g_mqtt_connect(uint8_t *out, size_t cap)
{
    struct mvp_bytes ca[1] = { { (const uint8_t *)"CA", 2 } };
    struct mvp_mqtt_connect m = { .protocol_version = 1, .auth_method = 1, .clean_start = 1,
                                  .has_tls = 1, .has_will = 1, .port = 8883, .keepalive = 60 };

    m.host = (const uint8_t *)"broker";
    m.host_len = 6;
    m.client_id = (const uint8_t *)"dev1";
    m.client_id_len = 4;
    m.username = (const uint8_t *)"u";
    m.username_len = 1;
    m.password = (const uint8_t *)"p";
    m.password_len = 1;
    m.tls.ca_certs = ca;
    m.tls.num_ca_certs = 1;
    m.will.topic = (const uint8_t *)"will";
    m.will.topic_len = 4;
    m.will.payload = (const uint8_t *)"bye";
    m.will.payload_len = 3;
    m.will.qos = 1;
    return msg(MVP_MSG_MQTT_CONNECT, mvp_mqtt_connect_encode(&m, P), out, cap);
}

static int g_mqtt_connect_resp(uint8_t *out, size_t cap)
{
    struct mvp_mqtt_result m = { .request_state = 0, .code = 0 };

    return msg(MVP_MSG_MQTT_CONNECT_RESP, mvp_mqtt_result_encode(&m, P), out, cap);
}

static int g_mqtt_subscribe(uint8_t *out, size_t cap)
{
    struct mvp_mqtt_sub s[1] = { { .qos = 1, .nl = 0, .rap = 1, .rh = 2 } };

    s[0].topic = (const uint8_t *)"a/#";
    s[0].topic_len = 3;
    return msg(MVP_MSG_MQTT_SUBSCRIBE, mvp_mqtt_subscribe_encode(7, s, 1, P), out, cap);
}

static int g_mqtt_subscribe_resp(uint8_t *out, size_t cap)
{
    static const uint32_t codes[1] = { 1 };
    struct mvp_mqtt_suback m = { .correlation_id = 7, .request_state = 0,
                                 .reason_codes = codes, .num_reason_codes = 1 };

    return msg(MVP_MSG_MQTT_SUBSCRIBE_RESP, mvp_mqtt_suback_encode(&m, P), out, cap);
}

static int g_mqtt_unsubscribe(uint8_t *out, size_t cap)
{
    struct mvp_bytes t[1] = { { (const uint8_t *)"a/#", 3 } };

    return msg(MVP_MSG_MQTT_UNSUBSCRIBE, mvp_mqtt_unsubscribe_encode(8, t, 1, P), out, cap);
}

static int g_mqtt_unsubscribe_resp(uint8_t *out, size_t cap)
{
    static const uint32_t codes[1] = { 0 };
    struct mvp_mqtt_suback m = { .correlation_id = 8, .request_state = 0,
                                 .reason_codes = codes, .num_reason_codes = 1 };

    return msg(MVP_MSG_MQTT_UNSUBSCRIBE_RESP, mvp_mqtt_suback_encode(&m, P), out, cap);
}

static int g_mqtt_publish(uint8_t *out, size_t cap)
{
    struct mvp_mqtt_pub m = { .correlation_id = 9, .qos = 1, .retain = 0 };

    m.topic = (const uint8_t *)"t";
    m.topic_len = 1;
    m.payload = (const uint8_t *)"42";
    m.payload_len = 2;
    return msg(MVP_MSG_MQTT_PUBLISH, mvp_mqtt_pub_encode(&m, P), out, cap);
}

static int g_mqtt_publish_resp(uint8_t *out, size_t cap)
{
    struct mvp_mqtt_pubresp m = { .correlation_id = 9, .request_state = 0, .reason_code = 0 };

    return msg(MVP_MSG_MQTT_PUBLISH_RESP, mvp_mqtt_pubresp_encode(&m, P), out, cap);
}

static int g_mqtt_message(uint8_t *out, size_t cap)
{
    struct mvp_mqtt_pub m = { .correlation_id = 10, .qos = 0, .retain = 1 };

    m.topic = (const uint8_t *)"t";
    m.topic_len = 1;
    m.payload = (const uint8_t *)"hi";
    m.payload_len = 2;
    return msg(MVP_MSG_MQTT_MESSAGE, mvp_mqtt_pub_encode(&m, P), out, cap);
}

static int g_mqtt_message_ack(uint8_t *out, size_t cap)
{
    return msg(MVP_MSG_MQTT_MESSAGE_ACK, mvp_mqtt_ack_encode(10, P), out, cap);
}

static int g_mqtt_lost(uint8_t *out, size_t cap)
{
    struct mvp_mqtt_lost m = { .reason = 0, .message_len = 5000 };

    m.topic = (const uint8_t *)"t";
    m.topic_len = 1;
    return msg(MVP_MSG_MQTT_LOST, mvp_mqtt_lost_encode(&m, P), out, cap);
}

static int g_mqtt_disconnect(uint8_t *out, size_t cap)
{
    return msg(MVP_MSG_MQTT_DISCONNECT, 0, out, cap);
}

static int g_mqtt_disconnect_resp(uint8_t *out, size_t cap)
{
    struct mvp_mqtt_result m = { .request_state = 0, .code = 0 };

    return msg(MVP_MSG_MQTT_DISCONNECT_RESP, mvp_mqtt_result_encode(&m, P), out, cap);
}

#define APP_ID ((const uint8_t *)"AP0123")

static int g_upd_status(uint8_t *out, size_t cap)
{
    struct mvp_upd_status m = { .state = MVP_UPD_DOWNLOADING, .offset = 0x2000 };

    m.app_id = APP_ID;
    m.app_id_len = 6;
    return msg(MVP_MSG_UPD_STATUS, mvp_upd_status_encode(&m, P), out, cap);
}

static int g_upd_status_failed(uint8_t *out, size_t cap)
{
    struct mvp_upd_status m = { .state = MVP_UPD_FAILED, .offset = 0 };

    m.app_id = APP_ID;
    m.app_id_len = 6;
    m.reason = (const uint8_t *)"bad signature";
    m.reason_len = 13;
    return msg(MVP_MSG_UPD_STATUS, mvp_upd_status_encode(&m, P), out, cap);
}

static int g_upd_offer(uint8_t *out, size_t cap)
{
    struct mvp_upd_offer m = { .size = 0x10000, .app_id = APP_ID, .app_id_len = 6 };

    return msg(MVP_MSG_UPD_OFFER, mvp_upd_offer_encode(&m, P), out, cap);
}

static int g_upd_fetch(uint8_t *out, size_t cap)
{
    struct mvp_upd_fetch m = { .offset = 0x2000, .app_id = APP_ID, .app_id_len = 6 };

    return msg(MVP_MSG_UPD_FETCH, mvp_upd_fetch_encode(&m, P), out, cap);
}

static int g_upd_chunk(uint8_t *out, size_t cap)
{
    struct mvp_upd_chunk m = { .offset = 0x2000, .data = (const uint8_t *)"MVB1", .len = 4 };

    return msg(MVP_MSG_UPD_CHUNK, mvp_upd_chunk_encode(&m, P), out, cap);
}

const struct golden_vec golden_vecs[] = {
    { "hello", g_hello },
    { "welcome", g_welcome },
    { "open", g_open },
    { "open_ok", g_open_ok },
    { "open_err", g_open_err },
    { "data", g_data },
    { "window", g_window },
    { "close", g_close },
    { "log", g_log },
    { "log_ack", g_log_ack },
    { "ping", g_ping },
    { "pong", g_pong },
    { "goaway", g_goaway },
    { "error", g_error },
    { "cfg_request", g_cfg_request },
    { "cfg_response", g_cfg_response },
    { "cfg_response_too_large", g_cfg_response_too_large },
    { "http_request", g_http_request },
    { "http_response", g_http_response },
    { "mqtt_connect", g_mqtt_connect },
    { "mqtt_connect_resp", g_mqtt_connect_resp },
    { "mqtt_subscribe", g_mqtt_subscribe },
    { "mqtt_subscribe_resp", g_mqtt_subscribe_resp },
    { "mqtt_unsubscribe", g_mqtt_unsubscribe },
    { "mqtt_unsubscribe_resp", g_mqtt_unsubscribe_resp },
    { "mqtt_publish", g_mqtt_publish },
    { "mqtt_publish_resp", g_mqtt_publish_resp },
    { "mqtt_message", g_mqtt_message },
    { "mqtt_message_ack", g_mqtt_message_ack },
    { "mqtt_lost", g_mqtt_lost },
    { "mqtt_disconnect", g_mqtt_disconnect },
    { "mqtt_disconnect_resp", g_mqtt_disconnect_resp },
    { "upd_status", g_upd_status },
    { "upd_status_failed", g_upd_status_failed },
    { "upd_offer", g_upd_offer },
    { "upd_fetch", g_upd_fetch },
    { "upd_chunk", g_upd_chunk },
};
const size_t golden_count = sizeof(golden_vecs) / sizeof(golden_vecs[0]);
