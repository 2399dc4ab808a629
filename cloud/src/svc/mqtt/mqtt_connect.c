/* MQTT_CONNECT on a bridged channel: decode, check the broker against the allow list,
 * build the TLS context from the application's certificates, start the libmosquitto
 * client, and answer CONNECT_RESP when the attempt ends (request state + the broker's
 * reason code). One logfmt line per attempt; never the password or any payload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvp/msg.h"
#include "mvr/log.h"
#include "mvr/util.h"
#include "device/session_priv.h"
#include "svc/mqtt/mqtt_metrics.h"
#include "svc/mqtt/mqtt_priv.h"

static int respond(struct mq_chan *m, uint32_t state, uint32_t code)
{
    uint8_t body[8];
    struct mvp_mqtt_result r = {.request_state = state, .code = code};
    return mq_send(m, MVP_MSG_MQTT_CONNECT_RESP, body,
                   mvp_mqtt_result_encode(&r, body, sizeof body));
}

static void log_attempt(const struct mq_chan *m, const char *client_id, uint32_t state,
                        uint32_t code)
{
    char esc[600];
    mvr_log(state == 0 && code == 0 ? MVR_INFO : MVR_WARN, "mqtt connect",
            "device=%s chan=%u broker=%s:%d client_id=\"%s\" version=%s tls=%d clean_start=%d "
            "state=%u reason=%u",
            m->s->device_id, m->c->id, m->host, m->port,
            mvr_log_esc(client_id, strlen(client_id), esc, sizeof esc), m->v5 ? "5" : "3.1.1",
            m->tls != NULL, m->clean_start, state, code);
}

static void connected(void *o, uint32_t state, uint32_t reason)
{
    struct mq_chan *m = o;
    if (m->st != MQ_CONNECTING)
        return;
    log_attempt(m, m->client_id, state, reason);
    if (state == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED && reason == 0) {
        m->st = MQ_UP;
        m->connected_us = mvr_now_us();
        mvr_mqtt_metrics.connects_ok++;
        mvr_mqtt_metrics.sessions++;
        if (!m->clean_start)
            mq_inbound_resume(m);
    } else {
        m->st = MQ_DOWN;
        mvr_mqtt_metrics.connects_failed++;
    }
    respond(m, state, reason);
    if (m->st == MQ_UP)
        mq_pump(m);
    mq_kick(m);
}

const struct mvr_mqc_ev mq_events = {
    .connected = connected,
    .lost = mq_lost,
    .published = mq_published,
    .message = mq_message,
    .subscribed = mq_subscribed,
    .unsubscribed = mq_unsubscribed,
};

static uint32_t tls_state(void *o)
{
    struct mq_chan *m = o;
    return m->tls ? mvr_mqtt_tls_state_of(m->tls) : MV_MQTTREQUESTSTATE_SOCKETERROR;
}

/* A NUL-terminated copy of a protocol byte string; NULL if it holds a NUL byte. */
static char *cstr(const uint8_t *p, size_t n)
{
    if (n && memchr(p, 0, n))
        return NULL;
    char *s = malloc(n + 1);
    if (s) {
        if (n)
            memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

struct cstrs {
    char *client_id, *username, *password, *will_topic;
};

static void cstrs_free(struct cstrs *x)
{
    free(x->client_id), free(x->username), free(x->password), free(x->will_topic);
}

/* libmosquitto takes C strings: NUL bytes inside are invalid parameters. */
static int to_params(const struct mvp_mqtt_connect *r, struct cstrs *x, struct mvr_mqc_params *p)
{
    x->client_id = cstr(r->client_id, r->client_id_len);
    if (!x->client_id)
        return -1;
    if (r->auth_method == 1 && (!(x->username = cstr(r->username, r->username_len)) ||
                                !(x->password = cstr(r->password, r->password_len))))
        return -1;
    if (r->has_will && !(x->will_topic = cstr(r->will.topic, r->will.topic_len)))
        return -1;
    p->client_id = x->client_id;
    p->username = x->username;
    p->password = x->password;
    p->will_topic = x->will_topic;
    p->will_payload = r->will.payload;
    p->will_len = (int)r->will.payload_len;
    p->will_qos = r->will.qos;
    p->will_retain = r->will.retain;
    return 0;
}

/* The attempt, once the request decoded and the broker is allowed. */
static int start(struct mq_chan *m, const struct mvp_mqtt_connect *r)
{
    struct cstrs x = {0};
    struct mvr_mqc_params p = {.host = m->host,
                               .port = m->port,
                               .keepalive = (int)r->keepalive,
                               .v5 = m->v5,
                               .clean_start = m->clean_start,
                               .tls_state = tls_state};
    uint32_t state = MV_MQTTREQUESTSTATE_INVALIDPARAMETERS;
    if (r->keepalive > 65535 || to_params(r, &x, &p) < 0)
        goto refuse;
    snprintf(m->client_id, sizeof m->client_id, "%s", x.client_id);
    snprintf(m->key, sizeof m->key, "%s|%s|%d|%s", m->s->device_id, m->host, m->port, x.client_id);
    if (r->has_tls) {
        char err[128];
        if (!(m->tls = mvr_mqtt_tls_ctx(&r->tls, m->host, err, sizeof err))) {
            mvr_log(MVR_WARN, "mqtt tls setup", "device=%s chan=%u reason=\"%s\"", m->s->device_id,
                    m->c->id, err);
            goto refuse;
        }
        p.tls = m->tls;
    }
    if (m->clean_start) /* a new session: nothing of an earlier one is delivered */
        mvr_mqtt_metrics.held -= (int64_t)mq_held_drop(m->br->held, m->key);
    m->st = MQ_CONNECTING;
    m->cli = mvr_mqc_start(m->br->loop, &p, &mq_events, m, &state);
    cstrs_free(&x);
    if (m->cli)
        return 0;
    m->st = MQ_DOWN;
    mvr_mqtt_metrics.connects_failed++;
    log_attempt(m, "", state, 0);
    return respond(m, state, 0);
refuse:
    cstrs_free(&x);
    m->st = MQ_DOWN;
    mvr_mqtt_metrics.connects_failed++;
    log_attempt(m, "", state, 0);
    return respond(m, state, 0);
}

int mq_on_connect(struct mq_chan *m, const uint8_t *body, size_t len)
{
    struct mvp_mqtt_connect r;
    struct mvp_bytes certs[2 * MVP_MAX_MQTT_CERTS];
    if (mvp_mqtt_connect_decode(body, len, &r, certs, 2 * MVP_MAX_MQTT_CERTS) < 0)
        return MVR_SVC_RESET;
    if (m->st != MQ_IDLE)
        return respond(m,
                       m->st == MQ_DOWN ? MV_MQTTREQUESTSTATE_INVALIDPARAMETERS
                                        : MV_MQTTREQUESTSTATE_ALREADYCONNECTED,
                       0);
    memcpy(m->host, r.host, r.host_len);
    m->host[r.host_len] = '\0';
    m->port = r.port;
    m->v5 = r.protocol_version == 1;
    m->clean_start = r.clean_start;
    if (memchr(r.host, 0, r.host_len) || !mvr_mqtt_allowed(m->br->cfg, m->host, m->port)) {
        char esc[600];
        m->st = MQ_DOWN;
        mvr_mqtt_metrics.connects_refused++;
        mvr_log(MVR_WARN, "mqtt broker not allowed", "device=%s chan=%u broker=\"%s\":%d",
                m->s->device_id, m->c->id, mvr_log_esc(m->host, strlen(m->host), esc, sizeof esc),
                m->port);
        return respond(m, MV_MQTTREQUESTSTATE_INVALIDPARAMETERS, 0);
    }
    return start(m, &r);
}
