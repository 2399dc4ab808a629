/* MQTT SUBSCRIBE / UNSUBSCRIBE requests and their responses (PROTOCOL.md
 * "MQTT channel"). Repeated items are bounded by MVP_MAX_MQTT_SUBS and land in
 * caller arrays, so decoding never needs more memory than the caller planned. */
#include "mvp/mqtt.h"
#include "mvp/wire.h"
#include "codec.h"

static int topic_check(uint16_t len)
{
    if (len == 0)
        return -MVP_E_INVALID;
    return len > MVP_MAX_MQTT_TOPIC ? -MVP_E_TOO_LONG : 0;
}

static int sub_check(const struct mvp_mqtt_sub *s)
{
    if (s->qos > 2 || s->nl > 1 || s->rap > 1 || s->rh > 2)
        return -MVP_E_INVALID;
    return topic_check(s->topic_len);
}

static int count_check(size_t n)
{
    if (n == 0)
        return -MVP_E_INVALID;
    return n > MVP_MAX_MQTT_SUBS ? -MVP_E_TOO_MANY : 0;
}

int mvp_mqtt_subscribe_encode(uint32_t correlation_id, const struct mvp_mqtt_sub *subs,
                              size_t n, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    size_t i;
    int rc = count_check(n);

    for (i = 0; i < n && !rc; i++)
        rc = sub_check(&subs[i]);
    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, correlation_id);
    mvp_w_u8(&w, (uint8_t)n);
    for (i = 0; i < n; i++) {
        mvp_w_u8(&w, subs[i].qos);
        mvp_w_u8(&w, subs[i].nl);
        mvp_w_u8(&w, subs[i].rap);
        mvp_w_u8(&w, subs[i].rh);
        mvp_w_bytes16(&w, subs[i].topic, subs[i].topic_len);
    }
    return mvp_w_result(&w);
}

/* Reads the item count and checks it against the protocol and the caller. */
static size_t r_count(struct mvp_rbuf *r, size_t cap)
{
    uint8_t n = mvp_r_u8(r);
    int rc;

    if (r->err)
        return 0;
    rc = count_check(n);
    if (!rc && n > cap)
        rc = -MVP_E_TOO_MANY;
    if (rc) {
        mvp_r_fail(r, rc);
        return 0;
    }
    return n;
}

int mvp_mqtt_subscribe_decode(const uint8_t *in, size_t len, uint32_t *correlation_id,
                              struct mvp_mqtt_sub *subs, size_t cap, size_t *n)
{
    struct mvp_rbuf r;
    size_t count, i;
    int rc;

    *n = 0;
    mvp_r_init(&r, in, len);
    *correlation_id = mvp_r_u32(&r);
    count = r_count(&r, cap);
    for (i = 0; i < count && !r.err; i++) {
        subs[i].qos = mvp_r_u8(&r);
        subs[i].nl = mvp_r_u8(&r);
        subs[i].rap = mvp_r_u8(&r);
        subs[i].rh = mvp_r_u8(&r);
        mvp_r_bytes16(&r, &subs[i].topic, &subs[i].topic_len, MVP_MAX_MQTT_TOPIC);
        if (!r.err && sub_check(&subs[i]))
            mvp_r_fail(&r, sub_check(&subs[i]));
    }
    rc = mvp_r_end(&r);
    if (rc == 0)
        *n = count;
    return rc;
}

int mvp_mqtt_unsubscribe_encode(uint32_t correlation_id, const struct mvp_bytes *topics,
                                size_t n, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    size_t i;
    int rc = count_check(n);

    for (i = 0; i < n && !rc; i++)
        rc = topics[i].len > 0xffffu ? -MVP_E_TOO_LONG : topic_check((uint16_t)topics[i].len);
    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, correlation_id);
    mvp_w_u8(&w, (uint8_t)n);
    for (i = 0; i < n; i++)
        mvp_w_bytes16(&w, topics[i].data, topics[i].len);
    return mvp_w_result(&w);
}

int mvp_mqtt_unsubscribe_decode(const uint8_t *in, size_t len, uint32_t *correlation_id,
                                struct mvp_bytes *topics, size_t cap, size_t *n)
{
    struct mvp_rbuf r;
    size_t count, i;
    uint16_t tlen;
    int rc;

    *n = 0;
    mvp_r_init(&r, in, len);
    *correlation_id = mvp_r_u32(&r);
    count = r_count(&r, cap);
    for (i = 0; i < count && !r.err; i++) {
        mvp_r_bytes16(&r, &topics[i].data, &tlen, MVP_MAX_MQTT_TOPIC);
        topics[i].len = tlen;
        if (!r.err && tlen == 0)
            mvp_r_fail(&r, MVP_E_INVALID);
    }
    rc = mvp_r_end(&r);
    if (rc == 0)
        *n = count;
    return rc;
}

int mvp_mqtt_suback_encode(const struct mvp_mqtt_suback *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    size_t i;

    if (m->request_state > MVP_MAX_MQTT_REQUEST_STATE)
        return -MVP_E_INVALID;
    if (m->num_reason_codes > MVP_MAX_MQTT_SUBS)
        return -MVP_E_TOO_MANY;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->correlation_id);
    mvp_w_u32(&w, m->request_state);
    mvp_w_u8(&w, (uint8_t)m->num_reason_codes);
    for (i = 0; i < m->num_reason_codes; i++)
        mvp_w_u32(&w, m->reason_codes[i]);
    return mvp_w_result(&w);
}

int mvp_mqtt_suback_decode(const uint8_t *in, size_t len, struct mvp_mqtt_suback *m,
                           uint32_t *codes, size_t cap)
{
    struct mvp_rbuf r;
    uint8_t count;
    size_t i;
    int rc;

    mvp_r_init(&r, in, len);
    m->correlation_id = mvp_r_u32(&r);
    m->request_state = mvp_r_u32(&r);
    count = mvp_r_u8(&r);
    m->reason_codes = codes;
    m->num_reason_codes = 0;
    if (!r.err && m->request_state > MVP_MAX_MQTT_REQUEST_STATE)
        mvp_r_fail(&r, MVP_E_INVALID);
    if (!r.err && (count > MVP_MAX_MQTT_SUBS || count > cap))
        mvp_r_fail(&r, MVP_E_TOO_MANY);
    for (i = 0; i < count && !r.err; i++)
        codes[i] = mvp_r_u32(&r);
    rc = mvp_r_end(&r);
    if (rc == 0)
        m->num_reason_codes = count;
    return rc;
}
