/* Unit tests for proto/src/mqtt_*.c: round trips of every MQTT message and each
 * class of malformed input (enums, reserved fields, counts, lengths, capacity). */
#include <criterion/criterion.h>
#include <string.h>

#include "mvp/mqtt.h"
#include "mvp/wire.h"

static const struct mvp_bytes ca[2] = { { (const uint8_t *)"CA1", 3 },
                                        { (const uint8_t *)"CA2", 3 } };
static const struct mvp_bytes cl[1] = { { (const uint8_t *)"CLIENT", 6 } };

static struct mvp_mqtt_connect full_connect(void)
{
    struct mvp_mqtt_connect m = { .protocol_version = 0, .auth_method = 1, .clean_start = 1,
                                  .has_tls = 1, .has_will = 1, .port = 1883,
                                  .keepalive = 30 };

    m.host = (const uint8_t *)"localhost";
    m.host_len = 9;
    m.client_id = (const uint8_t *)"id";
    m.client_id_len = 2;
    m.username = (const uint8_t *)"user";
    m.username_len = 4;
    m.password = (const uint8_t *)"pw";
    m.password_len = 2;
    m.tls.ca_certs = ca;
    m.tls.num_ca_certs = 2;
    m.tls.client_certs = cl;
    m.tls.num_client_certs = 1;
    m.tls.key = (const uint8_t *)"KEY";
    m.tls.key_len = 3;
    m.will.topic = (const uint8_t *)"w";
    m.will.topic_len = 1;
    m.will.payload = (const uint8_t *)"gone";
    m.will.payload_len = 4;
    m.will.qos = 2;
    m.will.retain = 1;
    return m;
}

static int enc(const struct mvp_mqtt_connect *m, uint8_t *b, size_t cap)
{
    return mvp_mqtt_connect_encode(m, b, cap);
}

static int dec(const uint8_t *b, size_t n)
{
    struct mvp_mqtt_connect d;
    struct mvp_bytes certs[16];

    return mvp_mqtt_connect_decode(b, n, &d, certs, 16);
}

Test(mqtt, connect_round_trip_all_parts)
{
    struct mvp_mqtt_connect m = full_connect(), d;
    struct mvp_bytes certs[16];
    uint8_t b[512];
    int n = enc(&m, b, sizeof(b));

    cr_assert_gt(n, 0);
    cr_assert_eq(mvp_mqtt_connect_decode(b, (size_t)n, &d, certs, 16), 0);
    cr_assert_eq(d.protocol_version, 0);
    cr_assert_eq(d.auth_method, 1);
    cr_assert_eq(d.clean_start, 1);
    cr_assert_eq(d.has_tls, 1);
    cr_assert_eq(d.has_will, 1);
    cr_assert_eq(d.port, 1883);
    cr_assert_eq(d.keepalive, 30);
    cr_assert_eq(memcmp(d.host, "localhost", 9), 0);
    cr_assert_eq(memcmp(d.password, "pw", 2), 0);
    cr_assert_eq(d.tls.num_ca_certs, 2);
    cr_assert_eq(memcmp(d.tls.ca_certs[1].data, "CA2", 3), 0);
    cr_assert_eq(d.tls.num_client_certs, 1);
    cr_assert_eq(memcmp(d.tls.client_certs[0].data, "CLIENT", 6), 0);
    cr_assert_eq(d.tls.key_len, 3);
    cr_assert_eq(d.will.qos, 2);
    cr_assert_eq(d.will.retain, 1);
    cr_assert_eq(d.will.payload_len, 4);
}

Test(mqtt, connect_minimal_round_trip)
{
    struct mvp_mqtt_connect m = { .protocol_version = 1, .port = 1, .keepalive = 0 }, d;
    struct mvp_bytes certs[1];
    uint8_t b[64];
    int n;

    m.host = (const uint8_t *)"h";
    m.host_len = 1;
    n = enc(&m, b, sizeof(b));
    cr_assert_eq(n, 10 + 3 + 2);
    cr_assert_eq(mvp_mqtt_connect_decode(b, (size_t)n, &d, certs, 0), 0);
    cr_assert_eq(d.has_tls, 0);
    cr_assert_eq(d.client_id_len, 0);
}

Test(mqtt, connect_truncated_trailing_capacity)
{
    struct mvp_mqtt_connect m = full_connect(), d;
    struct mvp_bytes certs[2];
    uint8_t b[512];
    int n = enc(&m, b, sizeof(b));
    size_t len;

    for (len = 0; len < (size_t)n; len++) {
        cr_assert_eq(dec(b, len), -MVP_E_TRUNCATED, "len %zu", len);
        cr_assert_eq(enc(&m, b + 256, len), -MVP_E_NOSPACE, "cap %zu", len);
    }
    cr_assert_eq(dec(b, (size_t)n + 1), -MVP_E_TRAILING);
    cr_assert_eq(mvp_mqtt_connect_decode(b, (size_t)n, &d, certs, 2), -MVP_E_TOO_MANY);
}

Test(mqtt, connect_encoder_rejects_bad_values)
{
    struct mvp_mqtt_connect m;
    static struct mvp_bytes nine[9];
    uint8_t b[512];

    m = full_connect();
    m.protocol_version = 2;
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = full_connect();
    m.auth_method = 2;
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = full_connect();
    m.port = 0;
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = full_connect();
    m.host_len = 0;
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = full_connect();
    m.auth_method = 0; /* credentials without the method */
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = full_connect();
    m.tls.num_ca_certs = 0;
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = full_connect();
    m.tls.ca_certs = nine;
    m.tls.num_ca_certs = 9;
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_TOO_MANY);
    m = full_connect();
    m.tls.key_len = 0; /* client chain without key */
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = full_connect();
    m.tls.ca_certs = nine; /* empty certificate */
    m.tls.num_ca_certs = 1;
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = full_connect();
    m.will.qos = 3;
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = full_connect();
    m.will.topic_len = MVP_MAX_MQTT_TOPIC + 1;
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_TOO_LONG);
    m = full_connect();
    m.host_len = MVP_MAX_MQTT_HOST + 1;
    cr_assert_eq(enc(&m, b, sizeof(b)), -MVP_E_TOO_LONG);
}

Test(mqtt, connect_decoder_rejects_bad_fields_on_the_wire)
{
    struct mvp_mqtt_connect m = full_connect();
    uint8_t b[512];
    int n = enc(&m, b, sizeof(b));

    b[0] = 2;
    cr_assert_eq(dec(b, (size_t)n), -MVP_E_INVALID, "protocol version");
    enc(&m, b, sizeof(b));
    b[1] = 9;
    cr_assert_eq(dec(b, (size_t)n), -MVP_E_INVALID, "auth method");
    enc(&m, b, sizeof(b));
    b[2] |= 8;
    cr_assert_eq(dec(b, (size_t)n), -MVP_E_INVALID, "flag bit 3");
    enc(&m, b, sizeof(b));
    b[3] = 1;
    cr_assert_eq(dec(b, (size_t)n), -MVP_E_INVALID, "reserved");
    enc(&m, b, sizeof(b));
    b[4] = b[5] = 0;
    cr_assert_eq(dec(b, (size_t)n), -MVP_E_INVALID, "port 0");
}

Test(mqtt, result_round_trip_and_state_range)
{
    struct mvp_mqtt_result m = { .request_state = 8, .code = 0x87 }, d;
    uint8_t b[16];

    cr_assert_eq(mvp_mqtt_result_encode(&m, b, sizeof(b)), 8);
    cr_assert_eq(mvp_mqtt_result_decode(b, 8, &d), 0);
    cr_assert_eq(d.request_state, 8);
    cr_assert_eq(d.code, 0x87);
    cr_assert_eq(mvp_mqtt_result_decode(b, 7, &d), -MVP_E_TRUNCATED);
    cr_assert_eq(mvp_mqtt_result_decode(b, 9, &d), -MVP_E_TRAILING);
    b[3] = 9;
    cr_assert_eq(mvp_mqtt_result_decode(b, 8, &d), -MVP_E_INVALID);
    m.request_state = 9;
    cr_assert_eq(mvp_mqtt_result_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m.request_state = 0;
    cr_assert_eq(mvp_mqtt_result_encode(&m, b, 7), -MVP_E_NOSPACE);
}

Test(mqtt, subscribe_round_trip_and_checks)
{
    struct mvp_mqtt_sub s[MVP_MAX_MQTT_SUBS + 1], d[MVP_MAX_MQTT_SUBS + 1];
    uint8_t b[512];
    uint32_t corr;
    size_t i, n, len;
    int sz;

    for (i = 0; i <= MVP_MAX_MQTT_SUBS; i++) {
        s[i].topic = (const uint8_t *)"a/b";
        s[i].topic_len = 3;
        s[i].qos = 1;
        s[i].nl = 1;
        s[i].rap = 0;
        s[i].rh = 2;
    }
    sz = mvp_mqtt_subscribe_encode(77, s, 2, b, sizeof(b));
    cr_assert_eq(sz, 5 + 2 * 9);
    cr_assert_eq(mvp_mqtt_subscribe_decode(b, (size_t)sz, &corr, d, 4, &n), 0);
    cr_assert_eq(corr, 77);
    cr_assert_eq(n, 2);
    cr_assert_eq(d[1].rh, 2);
    cr_assert_eq(d[1].nl, 1);
    for (len = 0; len < (size_t)sz; len++)
        cr_assert_eq(mvp_mqtt_subscribe_decode(b, len, &corr, d, 4, &n), -MVP_E_TRUNCATED);
    cr_assert_eq(mvp_mqtt_subscribe_decode(b, (size_t)sz, &corr, d, 1, &n), -MVP_E_TOO_MANY);
    cr_assert_eq(n, 0);
    cr_assert_eq(mvp_mqtt_subscribe_encode(1, s, 0, b, sizeof(b)), -MVP_E_INVALID);
    cr_assert_eq(mvp_mqtt_subscribe_encode(1, s, MVP_MAX_MQTT_SUBS + 1, b, sizeof(b)),
                 -MVP_E_TOO_MANY);
    cr_assert_gt(mvp_mqtt_subscribe_encode(1, s, MVP_MAX_MQTT_SUBS, b, sizeof(b)), 0);
    b[4] = MVP_MAX_MQTT_SUBS + 1;
    cr_assert_eq(mvp_mqtt_subscribe_decode(b, (size_t)sz, &corr, d, 16, &n), -MVP_E_TOO_MANY);
    s[0].rh = 3;
    cr_assert_eq(mvp_mqtt_subscribe_encode(1, s, 1, b, sizeof(b)), -MVP_E_INVALID);
    s[0].rh = 0;
    s[0].nl = 2;
    cr_assert_eq(mvp_mqtt_subscribe_encode(1, s, 1, b, sizeof(b)), -MVP_E_INVALID);
    s[0].nl = 0;
    sz = mvp_mqtt_subscribe_encode(1, s, 1, b, sizeof(b));
    b[5] = 3; /* qos */
    cr_assert_eq(mvp_mqtt_subscribe_decode(b, (size_t)sz, &corr, d, 4, &n), -MVP_E_INVALID);
    sz = mvp_mqtt_subscribe_encode(1, s, 1, b, sizeof(b));
    b[7] = 2; /* rap */
    cr_assert_eq(mvp_mqtt_subscribe_decode(b, (size_t)sz, &corr, d, 4, &n), -MVP_E_INVALID);
}

Test(mqtt, unsubscribe_round_trip_and_checks)
{
    struct mvp_bytes t[2] = { { (const uint8_t *)"x", 1 }, { (const uint8_t *)"y/z", 3 } };
    struct mvp_bytes d[2];
    uint8_t b[64];
    uint32_t corr;
    size_t n, len;
    int sz = mvp_mqtt_unsubscribe_encode(5, t, 2, b, sizeof(b));

    cr_assert_eq(sz, 5 + 3 + 5);
    cr_assert_eq(mvp_mqtt_unsubscribe_decode(b, (size_t)sz, &corr, d, 2, &n), 0);
    cr_assert_eq(n, 2);
    cr_assert_eq(d[1].len, 3);
    for (len = 0; len < (size_t)sz; len++) {
        cr_assert_eq(mvp_mqtt_unsubscribe_decode(b, len, &corr, d, 2, &n), -MVP_E_TRUNCATED);
        cr_assert_eq(mvp_mqtt_unsubscribe_encode(5, t, 2, b + 32, len), -MVP_E_NOSPACE);
    }
    t[0].len = 0;
    cr_assert_eq(mvp_mqtt_unsubscribe_encode(5, t, 2, b, sizeof(b)), -MVP_E_INVALID);
    b[5] = b[6] = 0; /* first topic empty on the wire */
    cr_assert_eq(mvp_mqtt_unsubscribe_decode(b, 7, &corr, d, 2, &n), -MVP_E_INVALID);
}

Test(mqtt, suback_round_trip_and_checks)
{
    static const uint32_t codes[3] = { 0, 1, 0x80 };
    struct mvp_mqtt_suback m = { .correlation_id = 3, .request_state = 0,
                                 .reason_codes = codes, .num_reason_codes = 3 }, d;
    uint32_t got[8];
    uint8_t b[64];
    size_t len;
    int n = mvp_mqtt_suback_encode(&m, b, sizeof(b));

    cr_assert_eq(n, 9 + 12);
    cr_assert_eq(mvp_mqtt_suback_decode(b, (size_t)n, &d, got, 8), 0);
    cr_assert_eq(d.num_reason_codes, 3);
    cr_assert_eq(d.reason_codes[2], 0x80);
    for (len = 0; len < (size_t)n; len++)
        cr_assert_eq(mvp_mqtt_suback_decode(b, len, &d, got, 8), -MVP_E_TRUNCATED);
    cr_assert_eq(mvp_mqtt_suback_decode(b, (size_t)n, &d, got, 2), -MVP_E_TOO_MANY);
    b[7] = 9;
    cr_assert_eq(mvp_mqtt_suback_decode(b, (size_t)n, &d, got, 8), -MVP_E_INVALID);
    m.num_reason_codes = MVP_MAX_MQTT_SUBS + 1;
    cr_assert_eq(mvp_mqtt_suback_encode(&m, b, sizeof(b)), -MVP_E_TOO_MANY);
}

Test(mqtt, publish_round_trip_and_checks)
{
    struct mvp_mqtt_pub m = { .correlation_id = 1, .qos = 2, .retain = 1 }, d;
    uint8_t b[64];
    size_t len;
    int n;

    m.topic = (const uint8_t *)"t/1";
    m.topic_len = 3;
    m.payload = (const uint8_t *)"data";
    m.payload_len = 4;
    n = mvp_mqtt_pub_encode(&m, b, sizeof(b));
    cr_assert_eq(n, 8 + 5 + 8);
    cr_assert_eq(mvp_mqtt_pub_decode(b, (size_t)n, &d), 0);
    cr_assert_eq(d.qos, 2);
    cr_assert_eq(d.retain, 1);
    cr_assert_eq(memcmp(d.payload, "data", 4), 0);
    for (len = 0; len < (size_t)n; len++) {
        cr_assert_eq(mvp_mqtt_pub_decode(b, len, &d), -MVP_E_TRUNCATED);
        cr_assert_eq(mvp_mqtt_pub_encode(&m, b + 32, len), -MVP_E_NOSPACE);
    }
    b[5] = 2;
    cr_assert_eq(mvp_mqtt_pub_decode(b, (size_t)n, &d), -MVP_E_INVALID, "retain 2");
    mvp_mqtt_pub_encode(&m, b, sizeof(b));
    b[6] = 1;
    cr_assert_eq(mvp_mqtt_pub_decode(b, (size_t)n, &d), -MVP_E_INVALID, "reserved");
    m.topic_len = 0;
    cr_assert_eq(mvp_mqtt_pub_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m.topic_len = 3;
    m.payload_len = MVP_MAX_MQTT_PAYLOAD + 1;
    cr_assert_eq(mvp_mqtt_pub_encode(&m, b, sizeof(b)), -MVP_E_TOO_LONG);
}

Test(mqtt, small_messages)
{
    struct mvp_mqtt_pubresp pr = { .correlation_id = 4, .request_state = 3, .reason_code = 16 };
    struct mvp_mqtt_pubresp prd;
    struct mvp_mqtt_lost l = { .reason = 0, .message_len = 99 }, ld;
    uint8_t b[64];
    uint32_t corr;

    cr_assert_eq(mvp_mqtt_pubresp_encode(&pr, b, sizeof(b)), 12);
    cr_assert_eq(mvp_mqtt_pubresp_decode(b, 12, &prd), 0);
    cr_assert_eq(prd.reason_code, 16);
    cr_assert_eq(mvp_mqtt_pubresp_decode(b, 11, &prd), -MVP_E_TRUNCATED);
    b[7] = 9;
    cr_assert_eq(mvp_mqtt_pubresp_decode(b, 12, &prd), -MVP_E_INVALID);
    cr_assert_eq(mvp_mqtt_ack_encode(0xabcdef01u, b, sizeof(b)), 4);
    cr_assert_eq(mvp_mqtt_ack_decode(b, 4, &corr), 0);
    cr_assert_eq(corr, 0xabcdef01u);
    cr_assert_eq(mvp_mqtt_ack_decode(b, 5, &corr), -MVP_E_TRAILING);
    cr_assert_eq(mvp_mqtt_lost_encode(&l, b, sizeof(b)), 10);
    cr_assert_eq(mvp_mqtt_lost_decode(b, 10, &ld), 0);
    cr_assert_eq(ld.message_len, 99);
    cr_assert_eq(ld.topic_len, 0);
    b[3] = 1;
    cr_assert_eq(mvp_mqtt_lost_decode(b, 10, &ld), -MVP_E_INVALID);
    l.reason = 1;
    cr_assert_eq(mvp_mqtt_lost_encode(&l, b, sizeof(b)), -MVP_E_INVALID);
    cr_assert_eq(mvp_mqtt_disconnect_decode(b, 0), 0);
    cr_assert_eq(mvp_mqtt_disconnect_decode(b, 1), -MVP_E_TRAILING);
}
