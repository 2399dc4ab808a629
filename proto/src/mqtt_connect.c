/* MQTT CONNECT request and the request-state results (CONNECT_RESP,
 * DISCONNECT_RESP) (PROTOCOL.md "MQTT channel"). Optional parts (credentials, TLS
 * material, will) are present exactly when the method or a flag says so. */
#include "mvp/mqtt.h"
#include "mvp/msg.h"
#include "mvp/wire.h"
#include "codec.h"

static int chain_check(const struct mvp_bytes *c, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (c[i].len == 0)
            return -MVP_E_INVALID;
        if (c[i].len > MVP_MAX_MQTT_CERT)
            return -MVP_E_TOO_LONG;
    }
    return 0;
}

static int tls_check(const struct mvp_mqtt_tls *t)
{
    int rc;

    if (t->num_ca_certs == 0)
        return -MVP_E_INVALID;
    if (t->num_ca_certs > MVP_MAX_MQTT_CERTS || t->num_client_certs > MVP_MAX_MQTT_CERTS)
        return -MVP_E_TOO_MANY;
    if ((t->num_client_certs != 0) != (t->key_len != 0))
        return -MVP_E_INVALID; /* a client chain needs its key and vice versa */
    if (t->key_len > MVP_MAX_MQTT_CERT)
        return -MVP_E_TOO_LONG;
    rc = chain_check(t->ca_certs, t->num_ca_certs);
    return rc ? rc : chain_check(t->client_certs, t->num_client_certs);
}

static int will_check(const struct mvp_mqtt_will *w)
{
    if (w->qos > 2 || w->retain > 1 || w->topic_len == 0)
        return -MVP_E_INVALID;
    if (w->topic_len > MVP_MAX_MQTT_TOPIC || w->payload_len > MVP_MAX_MQTT_PAYLOAD)
        return -MVP_E_TOO_LONG;
    return 0;
}

static int connect_check(const struct mvp_mqtt_connect *m)
{
    if (m->protocol_version > 1 || m->auth_method > 1 || m->clean_start > 1 ||
        m->has_tls > 1 || m->has_will > 1 || m->port == 0 || m->host_len == 0)
        return -MVP_E_INVALID;
    if (m->host_len > MVP_MAX_MQTT_HOST || m->client_id_len > MVP_MAX_MQTT_CLIENT_ID ||
        m->username_len > MVP_MAX_MQTT_USERNAME || m->password_len > MVP_MAX_MQTT_PASSWORD)
        return -MVP_E_TOO_LONG;
    if (m->auth_method == 0 && (m->username_len || m->password_len))
        return -MVP_E_INVALID;
    if (m->has_tls && tls_check(&m->tls))
        return tls_check(&m->tls);
    return m->has_will ? will_check(&m->will) : 0;
}

static void w_chain(struct mvp_wbuf *w, const struct mvp_bytes *c, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        mvp_w_bytes16(w, c[i].data, c[i].len);
}

static void w_tls(struct mvp_wbuf *w, const struct mvp_mqtt_tls *t)
{
    mvp_w_u8(w, t->num_ca_certs);
    mvp_w_u8(w, t->num_client_certs);
    mvp_w_u16(w, 0);
    w_chain(w, t->ca_certs, t->num_ca_certs);
    w_chain(w, t->client_certs, t->num_client_certs);
    mvp_w_bytes16(w, t->key, t->key_len);
}

static void w_will(struct mvp_wbuf *w, const struct mvp_mqtt_will *wl)
{
    mvp_w_u8(w, wl->qos);
    mvp_w_u8(w, wl->retain);
    mvp_w_u16(w, 0);
    mvp_w_bytes16(w, wl->topic, wl->topic_len);
    mvp_w_bytes32(w, wl->payload, wl->payload_len);
}

int mvp_mqtt_connect_encode(const struct mvp_mqtt_connect *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = connect_check(m);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u8(&w, m->protocol_version);
    mvp_w_u8(&w, m->auth_method);
    mvp_w_u8(&w, (uint8_t)(m->clean_start | m->has_tls << 1 | m->has_will << 2));
    mvp_w_u8(&w, 0);
    mvp_w_u16(&w, m->port);
    mvp_w_u32(&w, m->keepalive);
    mvp_w_bytes16(&w, m->host, m->host_len);
    mvp_w_bytes16(&w, m->client_id, m->client_id_len);
    if (m->auth_method == 1) {
        mvp_w_bytes16(&w, m->username, m->username_len);
        mvp_w_bytes16(&w, m->password, m->password_len);
    }
    if (m->has_tls)
        w_tls(&w, &m->tls);
    if (m->has_will)
        w_will(&w, &m->will);
    rc = mvp_w_result(&w);
    return rc > 0 && (size_t)rc > MVP_MAX_MSG_PAYLOAD ? -MVP_E_TOO_LONG : rc;
}

static void r_chain(struct mvp_rbuf *r, struct mvp_bytes *c, size_t n)
{
    size_t i;
    uint16_t len;

    for (i = 0; i < n; i++) {
        mvp_r_bytes16(r, &c[i].data, &len, MVP_MAX_MQTT_CERT);
        c[i].len = len;
    }
}

static void r_tls(struct mvp_rbuf *r, struct mvp_mqtt_tls *t, struct mvp_bytes *certs,
                  size_t cap)
{
    t->num_ca_certs = mvp_r_u8(r);
    t->num_client_certs = mvp_r_u8(r);
    if (mvp_r_u16(r) != 0)
        mvp_r_fail(r, MVP_E_INVALID);
    if (r->err)
        return;
    if (t->num_ca_certs > MVP_MAX_MQTT_CERTS || t->num_client_certs > MVP_MAX_MQTT_CERTS ||
        (size_t)t->num_ca_certs + t->num_client_certs > cap) {
        mvp_r_fail(r, MVP_E_TOO_MANY);
        return;
    }
    t->ca_certs = certs;
    t->client_certs = certs + t->num_ca_certs;
    r_chain(r, certs, t->num_ca_certs);
    r_chain(r, certs + t->num_ca_certs, t->num_client_certs);
    mvp_r_bytes16(r, &t->key, &t->key_len, MVP_MAX_MQTT_CERT);
}

static void r_will(struct mvp_rbuf *r, struct mvp_mqtt_will *w)
{
    w->qos = mvp_r_u8(r);
    w->retain = mvp_r_u8(r);
    if (mvp_r_u16(r) != 0)
        mvp_r_fail(r, MVP_E_INVALID);
    mvp_r_bytes16(r, &w->topic, &w->topic_len, MVP_MAX_MQTT_TOPIC);
    mvp_r_bytes32(r, &w->payload, &w->payload_len, MVP_MAX_MQTT_PAYLOAD);
}

int mvp_mqtt_connect_decode(const uint8_t *in, size_t len, struct mvp_mqtt_connect *m,
                            struct mvp_bytes *certs, size_t cap)
{
    static const struct mvp_mqtt_connect zero;
    struct mvp_rbuf r;
    uint8_t flags;
    int rc;

    *m = zero;
    mvp_r_init(&r, in, len);
    m->protocol_version = mvp_r_u8(&r);
    m->auth_method = mvp_r_u8(&r);
    flags = mvp_r_u8(&r);
    if (mvp_r_u8(&r) != 0 || (flags & ~7u) != 0)
        mvp_r_fail(&r, MVP_E_INVALID);
    m->clean_start = flags & MVP_MQTT_FLAG_CLEAN_START;
    m->has_tls = (flags & MVP_MQTT_FLAG_TLS) != 0;
    m->has_will = (flags & MVP_MQTT_FLAG_WILL) != 0;
    m->port = mvp_r_u16(&r);
    m->keepalive = mvp_r_u32(&r);
    mvp_r_bytes16(&r, &m->host, &m->host_len, MVP_MAX_MQTT_HOST);
    mvp_r_bytes16(&r, &m->client_id, &m->client_id_len, MVP_MAX_MQTT_CLIENT_ID);
    if (!r.err && m->auth_method > 1)
        mvp_r_fail(&r, MVP_E_INVALID); /* the layout depends on it: stop here */
    if (m->auth_method == 1) {
        mvp_r_bytes16(&r, &m->username, &m->username_len, MVP_MAX_MQTT_USERNAME);
        mvp_r_bytes16(&r, &m->password, &m->password_len, MVP_MAX_MQTT_PASSWORD);
    }
    if (m->has_tls)
        r_tls(&r, &m->tls, certs, cap);
    if (m->has_will)
        r_will(&r, &m->will);
    rc = mvp_r_end(&r);
    return rc ? rc : connect_check(m);
}

int mvp_mqtt_result_encode(const struct mvp_mqtt_result *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;

    if (m->request_state > MVP_MAX_MQTT_REQUEST_STATE)
        return -MVP_E_INVALID;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->request_state);
    mvp_w_u32(&w, m->code);
    return mvp_w_result(&w);
}

int mvp_mqtt_result_decode(const uint8_t *in, size_t len, struct mvp_mqtt_result *m)
{
    struct mvp_rbuf r;
    int rc;

    mvp_r_init(&r, in, len);
    m->request_state = mvp_r_u32(&r);
    m->code = mvp_r_u32(&r);
    rc = mvp_r_end(&r);
    if (rc == 0 && m->request_state > MVP_MAX_MQTT_REQUEST_STATE)
        rc = -MVP_E_INVALID;
    return rc;
}
