/* Requests of a bridged MQTT session: PUBLISH, SUBSCRIBE, UNSUBSCRIBE and DISCONNECT
 * forwarded to libmosquitto, their answers correlated back to the application's
 * correlation ids through the message ids libmosquitto assigned, and the end of the
 * broker connection (ours or the broker's). */
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvp/msg.h"
#include "mvr/log.h"
#include "device/session_priv.h"
#include "svc/mqtt/mqtt_metrics.h"
#include "svc/mqtt/mqtt_priv.h"

static uint32_t state_of_rc(int rc)
{
    return rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_CONN_LOST
               ? MV_MQTTREQUESTSTATE_NOTCONNECTED
               : MV_MQTTREQUESTSTATE_INVALIDPARAMETERS;
}

static int pub_resp(struct mq_chan *m, uint32_t corr, uint32_t state, uint32_t code)
{
    uint8_t b[12];
    struct mvp_mqtt_pubresp r = {
        .correlation_id = corr, .request_state = state, .reason_code = code};
    return mq_send(m, MVP_MSG_MQTT_PUBLISH_RESP, b, mvp_mqtt_pubresp_encode(&r, b, sizeof b));
}

static int suback(struct mq_chan *m, uint8_t type, uint32_t corr, uint32_t state,
                  const uint32_t *codes, size_t n)
{
    uint8_t b[4 + 4 + 1 + 4 * MVP_MAX_MQTT_SUBS];
    struct mvp_mqtt_suback a = {.correlation_id = corr,
                                .request_state = state,
                                .reason_codes = codes,
                                .num_reason_codes = n};
    return mq_send(m, type, b, mvp_mqtt_suback_encode(&a, b, sizeof b));
}

static struct mq_pend *pend_new(struct mq_chan *m, uint8_t kind, uint32_t corr)
{
    for (int i = 0; i < MQ_MAX_PENDING; i++) {
        if (!m->pend[i].used) {
            m->pend[i] = (struct mq_pend){.used = 1, .kind = kind, .corr = corr};
            return &m->pend[i];
        }
    }
    return NULL;
}

/* The pending request of kind that sent message id mid; *idx its part. */
static struct mq_pend *pend_find(struct mq_chan *m, uint8_t kind, int mid, int *idx)
{
    for (int i = 0; i < MQ_MAX_PENDING; i++) {
        struct mq_pend *p = &m->pend[i];
        for (int j = 0; p->used && p->kind == kind && j < p->n; j++) {
            if (p->mids[j] == mid) {
                *idx = j;
                return p;
            }
        }
    }
    return NULL;
}

/* ---- publish ---------------------------------------------------------------------- */
int mq_on_publish(struct mq_chan *m, const uint8_t *body, size_t len)
{
    struct mvp_mqtt_pub r;
    char topic[MVP_MAX_MQTT_TOPIC + 1];
    if (mvp_mqtt_pub_decode(body, len, &r) < 0)
        return MVR_SVC_RESET;
    struct mosquitto *mosq = mvr_mqc_mosq(m->cli);
    if (!mosq || m->st != MQ_UP)
        return pub_resp(m, r.correlation_id, MV_MQTTREQUESTSTATE_NOTCONNECTED, 0);
    memcpy(topic, r.topic, r.topic_len);
    topic[r.topic_len] = '\0';
    struct mq_pend *p = pend_new(m, MQ_PUB, r.correlation_id);
    if (!p || memchr(r.topic, 0, r.topic_len))
        return pub_resp(m, r.correlation_id, MV_MQTTREQUESTSTATE_INVALIDPARAMETERS, 0);
    /* A QoS 0 publish may be written, and its callback run, inside mosquitto_publish. */
    m->cur_pub_corr = r.correlation_id;
    m->cur_pub_active = 1;
    m->cur_pub_done = 0;
    int mid = 0;
    int rc = mosquitto_publish_v5(mosq, &mid, topic, (int)r.payload_len, r.payload, r.qos,
                                  r.retain != 0, NULL);
    m->cur_pub_active = 0;
    if (rc != MOSQ_ERR_SUCCESS || m->cur_pub_done) {
        p->used = 0;
        if (rc != MOSQ_ERR_SUCCESS)
            return pub_resp(m, r.correlation_id, state_of_rc(rc), 0);
    } else {
        p->n = 1;
        p->mids[0] = mid;
    }
    mvr_mqtt_metrics.publishes_out++;
    mvr_mqc_flush(m->cli);
    return 0;
}

void mq_published(void *o, int mid, int reason)
{
    struct mq_chan *m = o;
    int idx;
    struct mq_pend *p = pend_find(m, MQ_PUB, mid, &idx);
    uint32_t corr;
    if (p) {
        corr = p->corr;
        p->used = 0;
    } else if (m->cur_pub_active && !m->cur_pub_done) {
        corr = m->cur_pub_corr;
        m->cur_pub_done = 1;
    } else {
        return;
    }
    pub_resp(m, corr, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED, (uint32_t)reason);
    mq_kick(m);
}

/* ---- subscribe / unsubscribe --------------------------------------------------------- */
static int sub_options(const struct mq_chan *m, const struct mvp_mqtt_sub *s)
{
    if (!m->v5)
        return 0; /* v3.1.1 has no subscription options */
    return (s->nl ? MQTT_SUB_OPT_NO_LOCAL : 0) | (s->rap ? MQTT_SUB_OPT_RETAIN_AS_PUBLISHED : 0) |
           (s->rh << 4);
}

/* Sends part i of a request (one topic); MOSQ_ERR_*. */
static int send_part(struct mq_chan *m, struct mosquitto *mosq, struct mq_pend *p, int i,
                     const uint8_t *t, uint16_t tlen, const struct mvp_mqtt_sub *s)
{
    char topic[MVP_MAX_MQTT_TOPIC + 1];
    char *topics[1] = {topic};
    if (memchr(t, 0, tlen))
        return MOSQ_ERR_INVAL;
    memcpy(topic, t, tlen);
    topic[tlen] = '\0';
    if (s)
        return mosquitto_subscribe_multiple(mosq, &p->mids[i], 1, topics, s->qos, sub_options(m, s),
                                            NULL);
    return mosquitto_unsubscribe_multiple(mosq, &p->mids[i], 1, topics, NULL);
}

/* A (un)subscribe whose parts went out (rc 0) waits for its answers; one that failed is
 * answered now and the SUBACKs of parts already sent are ignored. The flush comes last:
 * a connection loss found while writing may end the channel (and free m). */
static int finish(struct mq_chan *m, struct mq_pend *p, uint8_t type, uint32_t corr, int rc)
{
    int ret = 0;
    if (rc != MOSQ_ERR_SUCCESS) {
        if (p)
            p->used = 0;
        ret = suback(m, type, corr, state_of_rc(rc), NULL, 0);
    }
    mvr_mqc_flush(m->cli);
    return ret;
}

int mq_on_subscribe(struct mq_chan *m, const uint8_t *body, size_t len)
{
    struct mvp_mqtt_sub subs[MVP_MAX_MQTT_SUBS];
    uint32_t corr;
    size_t n;
    if (mvp_mqtt_subscribe_decode(body, len, &corr, subs, MVP_MAX_MQTT_SUBS, &n) < 0)
        return MVR_SVC_RESET;
    struct mosquitto *mosq = mvr_mqc_mosq(m->cli);
    if (!mosq || m->st != MQ_UP)
        return suback(m, MVP_MSG_MQTT_SUBSCRIBE_RESP, corr, MV_MQTTREQUESTSTATE_NOTCONNECTED, NULL,
                      0);
    struct mq_pend *p = pend_new(m, MQ_SUB, corr);
    int rc = p ? MOSQ_ERR_SUCCESS : MOSQ_ERR_NOMEM;
    for (size_t i = 0; p && i < n && rc == MOSQ_ERR_SUCCESS; i++) {
        rc = send_part(m, mosq, p, (int)i, subs[i].topic, subs[i].topic_len, &subs[i]);
        if (rc == MOSQ_ERR_SUCCESS)
            p->n++;
    }
    return finish(m, p, MVP_MSG_MQTT_SUBSCRIBE_RESP, corr, rc);
}

int mq_on_unsubscribe(struct mq_chan *m, const uint8_t *body, size_t len)
{
    struct mvp_bytes topics[MVP_MAX_MQTT_SUBS];
    uint32_t corr;
    size_t n;
    if (mvp_mqtt_unsubscribe_decode(body, len, &corr, topics, MVP_MAX_MQTT_SUBS, &n) < 0)
        return MVR_SVC_RESET;
    struct mosquitto *mosq = mvr_mqc_mosq(m->cli);
    if (!mosq || m->st != MQ_UP)
        return suback(m, MVP_MSG_MQTT_UNSUBSCRIBE_RESP, corr, MV_MQTTREQUESTSTATE_NOTCONNECTED,
                      NULL, 0);
    struct mq_pend *p = pend_new(m, MQ_UNSUB, corr);
    int rc = p ? MOSQ_ERR_SUCCESS : MOSQ_ERR_NOMEM;
    for (size_t i = 0; p && i < n && rc == MOSQ_ERR_SUCCESS; i++) {
        rc = send_part(m, mosq, p, (int)i, topics[i].data, topics[i].len, NULL);
        if (rc == MOSQ_ERR_SUCCESS)
            p->n++;
    }
    return finish(m, p, MVP_MSG_MQTT_UNSUBSCRIBE_RESP, corr, rc);
}

/* One part answered; the response goes when every part is. */
static void part_done(struct mq_chan *m, uint8_t kind, int mid, uint32_t code)
{
    int idx;
    struct mq_pend *p = pend_find(m, kind, mid, &idx);
    if (!p)
        return;
    p->codes[idx] = code;
    p->mids[idx] = -1;
    if (++p->got < p->n)
        return;
    p->used = 0;
    suback(m, kind == MQ_SUB ? MVP_MSG_MQTT_SUBSCRIBE_RESP : MVP_MSG_MQTT_UNSUBSCRIBE_RESP, p->corr,
           MV_MQTTREQUESTSTATE_REQUESTCOMPLETED, p->codes, p->n);
    mq_kick(m);
}

void mq_subscribed(void *o, int mid, int n, const int *granted)
{
    /* One topic per SUBSCRIBE: the granted QoS (0..2) or the failure code (>= 0x80). */
    part_done(o, MQ_SUB, mid, n > 0 ? (uint32_t)granted[0] : 0x80u);
}

void mq_unsubscribed(void *o, int mid)
{
    /* libmosquitto 2.0 does not pass UNSUBACK reason codes on: success is reported. */
    part_done(o, MQ_UNSUB, mid, 0);
}

void mq_fail_pending(struct mq_chan *m, uint32_t state)
{
    for (int i = 0; i < MQ_MAX_PENDING; i++) {
        struct mq_pend *p = &m->pend[i];
        if (!p->used)
            continue;
        p->used = 0;
        if (p->kind == MQ_PUB)
            pub_resp(m, p->corr, state, 0);
        else
            suback(m,
                   p->kind == MQ_SUB ? MVP_MSG_MQTT_SUBSCRIBE_RESP : MVP_MSG_MQTT_UNSUBSCRIBE_RESP,
                   p->corr, state, NULL, 0);
    }
}

/* ---- disconnect and connection loss -------------------------------------------------- */
static int disc_resp(struct mq_chan *m, uint32_t state, uint32_t code)
{
    uint8_t b[8];
    struct mvp_mqtt_result r = {.request_state = state, .code = code};
    return mq_send(m, MVP_MSG_MQTT_DISCONNECT_RESP, b, mvp_mqtt_result_encode(&r, b, sizeof b));
}

int mq_on_disconnect(struct mq_chan *m)
{
    struct mosquitto *mosq = mvr_mqc_mosq(m->cli);
    if (!mosq || m->st != MQ_UP)
        return disc_resp(m, MV_MQTTREQUESTSTATE_NOTCONNECTED, 0);
    m->st = MQ_DISCONNECTING;
    /* The DISCONNECT is written at once; mq_lost(rc 0) then answers the application. */
    int rc = mosquitto_disconnect(mosq);
    if (rc != MOSQ_ERR_SUCCESS && m->st == MQ_DISCONNECTING)
        mq_lost(m, rc);
    mvr_mqc_flush(m->cli); /* also drops the poll on the socket the disconnect closed */
    return 0;
}

void mq_lost(void *o, int rc)
{
    struct mq_chan *m = o;
    mvr_mqtt_metrics.disconnects++;
    if (m->st == MQ_DISCONNECTING) {
        /* The application's own disconnect: answered, the channel stays for reading. */
        mvr_log(MVR_INFO, "mqtt disconnect", "device=%s chan=%u broker=%s:%d", m->s->device_id,
                m->c->id, m->host, m->port);
        m->st = MQ_DOWN;
        mvr_mqtt_metrics.sessions--;
        mq_fail_pending(m, MV_MQTTREQUESTSTATE_NOTCONNECTED);
        disc_resp(m, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED, 0);
        mq_kick(m);
        return;
    }
    /* The broker closed or the connection failed: the application learns it from the
     * channel's closure (CHANNELCLOSEDBYSERVER) and reconnects on a new channel. */
    mvr_log(MVR_WARN, "mqtt connection lost", "device=%s chan=%u broker=%s:%d rc=%d error=\"%s\"",
            m->s->device_id, m->c->id, m->host, m->port, rc, mosquitto_strerror(rc));
    mq_end(m, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER);
}
