/* MQTT channel system calls: requests are verified (every pointer, count, enum and
 * length), copied once into a kernel buffer as proto MQTT messages (mvp/mqtt.h) and
 * queued on the channel; responses and messages from the relay are decoded from the
 * channel's receive buffer, written to the caller's structures, then consumed. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "appmem.h"
#include "chan.h"
#include "mvk_sys_decl.h"
#include "mvp/mqtt.h"
#include "mvp/msg.h"

/* Per-channel typed state word: one connect per channel life cycle. */
#define MQ_CONNECT_SENT 0x1u

/* Encoded requests: each byte of the app's request is read once, into here. */
static uint8_t mq_scratch[MVP_MAX_MSG_PAYLOAD];

static enum MvStatus mq_chan(MvChannelHandle handle, struct mvk_chan **c)
{
    return (enum MvStatus)mvk_chan_lookup(handle, MV_CHANNELTYPE_MQTT, c);
}

static void put32(void *dst, uint32_t v)
{
    memcpy(dst, &v, sizeof v);
}

/* The app's structure at p, checked readable and copied in once: every later check reads
 * the copy, which the app cannot change under it. */
static enum MvStatus copy_in(const void *p, void *copy, size_t n)
{
    if (!mvk_app_rd(p, n))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(copy, p, n);
    return MV_STATUS_OKAY;
}

/* An array of n elements of size bytes: at most max, present if required, copied in whole. */
static enum MvStatus array_in(const void *p, uint32_t n, uint32_t max, int required,
                              size_t size, void *copy)
{
    if (required && n == 0)
        return MV_STATUS_REQUIREDELEMENTMISSING;
    if (n > max)
        return MV_STATUS_TOOMANYELEMENTS;
    if (n != 0 && !mvk_app_rd_array(p, n, size))
        return MV_STATUS_PARAMETERFAULT;
    if (n != 0)
        memcpy(copy, p, n * size);
    return MV_STATUS_OKAY;
}

/* A sized string or payload: readable, within max, present if required (an empty one
 * needs no pointer). */
static enum MvStatus bytes_in(struct MvSizedString s, uint32_t max, int required,
                              const uint8_t **data, uint32_t *len)
{
    if (s.length != 0 && !mvk_app_rd(s.data, s.length))
        return MV_STATUS_PARAMETERFAULT;
    if (s.length > max)
        return MV_STATUS_INPUTTOOLONG;
    if (required && s.length == 0)
        return MV_STATUS_REQUIREDELEMENTMISSING;
    *data = s.data;
    *len = s.length;
    return MV_STATUS_OKAY;
}

/* bytes_in for the protocol's 16-bit string lengths (every max here is below 65536). */
static enum MvStatus str_in(struct MvSizedString s, uint32_t max, int required,
                            const uint8_t **data, uint16_t *len)
{
    uint32_t n;
    enum MvStatus st = bytes_in(s, max, required, data, &n);

    if (st == MV_STATUS_OKAY)
        *len = (uint16_t)n;
    return st;
}

/* Queues an encoded request (n = encoder result). */
static enum MvStatus mq_send(struct mvk_chan *c, uint8_t type, int n)
{
    if (n < 0)
        return MV_STATUS_INVALIDBUFFERSIZE; /* larger than any message may be */
    return mvk_chan_send_msg(c, type, mq_scratch, (uint32_t)n);
}

/* The next received message if it is of type want. */
static enum MvStatus mq_next(struct mvk_chan *c, uint8_t want, const uint8_t **body,
                             uint32_t *len)
{
    uint8_t type;

    if (mvk_chan_peek_msg(c, &type, body, len) != MV_STATUS_OKAY || type != want)
        return MV_STATUS_WRONGDATAREQUESTED;
    return MV_STATUS_OKAY;
}

/* ---- connect --------------------------------------------------------------------------- */
/* One certificate chain: count, array and every certificate. */
static enum MvStatus chain_in(const struct MvTlsCertificateChain *ch, struct mvp_bytes *out,
                              uint8_t *n)
{
    struct MvSizedString certs[MVP_MAX_MQTT_CERTS];
    enum MvStatus st;

    if ((st = array_in(ch->certs, ch->num_certs, MVP_MAX_MQTT_CERTS, 0, sizeof certs[0],
                       certs)) != MV_STATUS_OKAY)
        return st;
    for (uint32_t i = 0; i < ch->num_certs; i++) {
        if ((st = bytes_in(certs[i], MVP_MAX_MQTT_CERT, 1, &out[i].data, &out[i].len)) !=
            MV_STATUS_OKAY)
            return st;
    }
    *n = (uint8_t)ch->num_certs;
    return MV_STATUS_OKAY;
}

static enum MvStatus tls_in(const struct MvTlsCredentials *p, struct mvp_mqtt_tls *t,
                            struct mvp_bytes ca[MVP_MAX_MQTT_CERTS],
                            struct mvp_bytes cl[MVP_MAX_MQTT_CERTS])
{
    struct MvTlsCredentials cr;
    enum MvStatus st;

    if ((st = copy_in(p, &cr, sizeof cr)) != MV_STATUS_OKAY ||
        (st = chain_in(&cr.cacert, ca, &t->num_ca_certs)) != MV_STATUS_OKAY ||
        (st = chain_in(&cr.clientcert.chain, cl, &t->num_client_certs)) != MV_STATUS_OKAY ||
        (st = str_in(cr.clientcert.key, MVP_MAX_MQTT_CERT, 0, &t->key, &t->key_len)) !=
            MV_STATUS_OKAY)
        return st;
    if (t->num_ca_certs == 0 || (t->num_client_certs != 0) != (t->key_len != 0))
        return MV_STATUS_REQUIREDELEMENTMISSING;
    t->ca_certs = ca;
    t->client_certs = cl;
    return MV_STATUS_OKAY;
}

static enum MvStatus will_in(const struct MvMqttWill *p, struct mvp_mqtt_will *w)
{
    struct MvMqttWill wi;
    enum MvStatus st;

    if ((st = copy_in(p, &wi, sizeof wi)) != MV_STATUS_OKAY ||
        (st = str_in(wi.topic, MVP_MAX_MQTT_TOPIC, 1, &w->topic, &w->topic_len)) !=
            MV_STATUS_OKAY ||
        (st = bytes_in(wi.payload, MVP_MAX_MQTT_PAYLOAD, 0, &w->payload, &w->payload_len)) !=
            MV_STATUS_OKAY)
        return st;
    if (wi.qos > 2u || wi.retain > 1u)
        return MV_STATUS_PARAMETERFAULT;
    w->qos = (uint8_t)wi.qos;
    w->retain = wi.retain;
    return MV_STATUS_OKAY;
}

static enum MvStatus auth_in(const struct MvMqttAuthentication *a, struct mvp_mqtt_connect *m)
{
    enum MvStatus st;

    if ((uint32_t)a->method > (uint32_t)MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD)
        return MV_STATUS_INVALIDAUTHENTICATION;
    m->auth_method = (uint8_t)a->method;
    if (a->method == MV_MQTTAUTHENTICATIONMETHOD_NONE)
        return MV_STATUS_OKAY;
    if ((st = str_in(a->username_password.username, MVP_MAX_MQTT_USERNAME, 0, &m->username,
                     &m->username_len)) != MV_STATUS_OKAY)
        return st;
    return str_in(a->username_password.password, MVP_MAX_MQTT_PASSWORD, 0, &m->password,
                  &m->password_len);
}

/* Arrays the decoded connect request points into while it is encoded. */
struct connect_bufs {
    struct mvp_bytes ca[MVP_MAX_MQTT_CERTS], cl[MVP_MAX_MQTT_CERTS];
};

static enum MvStatus connect_in(const struct MvMqttConnectRequest *request,
                                struct mvp_mqtt_connect *m, struct connect_bufs *b)
{
    struct MvMqttConnectRequest r;
    enum MvStatus st;

    if ((st = copy_in(request, &r, sizeof r)) != MV_STATUS_OKAY)
        return st;
    memset(m, 0, sizeof *m);
    if ((uint32_t)r.protocol_version > (uint32_t)MV_MQTTPROTOCOLVERSION_V5)
        return MV_STATUS_PARAMETERFAULT;
    if ((st = str_in(r.host, MVP_MAX_MQTT_HOST, 1, &m->host, &m->host_len)) != MV_STATUS_OKAY ||
        (st = str_in(r.clientid, MVP_MAX_MQTT_CLIENT_ID, 1, &m->client_id, &m->client_id_len)) !=
            MV_STATUS_OKAY ||
        (st = auth_in(&r.authentication, m)) != MV_STATUS_OKAY)
        return st;
    if (r.tls_credentials != NULL &&
        (st = tls_in(r.tls_credentials, &m->tls, b->ca, b->cl)) != MV_STATUS_OKAY)
        return st;
    if (r.will != NULL && (st = will_in(r.will, &m->will)) != MV_STATUS_OKAY)
        return st;
    if (m->auth_method != 0 && m->tls.num_client_certs != 0)
        return MV_STATUS_INVALIDAUTHENTICATION; /* password and client certificate */
    if (r.port == 0)
        return MV_STATUS_REQUIREDELEMENTMISSING;
    if (r.clean_start > 1u)
        return MV_STATUS_PARAMETERFAULT;
    m->protocol_version = (uint8_t)r.protocol_version;
    m->port = r.port;
    m->keepalive = r.keepalive;
    m->clean_start = r.clean_start;
    m->has_tls = r.tls_credentials != NULL;
    m->has_will = r.will != NULL;
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_mqtt_request_connect(MvChannelHandle handle,
                                           const struct MvMqttConnectRequest *request)
{
    struct mvk_chan *c;
    struct mvp_mqtt_connect m;
    struct connect_bufs b;
    enum MvStatus st;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY)
        return st;
    if (*mvk_chan_typed_state(c) & MQ_CONNECT_SENT)
        return MV_STATUS_REQUESTALREADYSENT;
    if ((st = connect_in(request, &m, &b)) != MV_STATUS_OKAY)
        return st;
    st = mq_send(c, MVP_MSG_MQTT_CONNECT,
                 mvp_mqtt_connect_encode(&m, mq_scratch, sizeof mq_scratch));
    /* Only one attempt per channel, even one that could never fit the send buffer. */
    if (st == MV_STATUS_OKAY || st == MV_STATUS_INVALIDBUFFERSIZE)
        *mvk_chan_typed_state(c) |= MQ_CONNECT_SENT;
    return st;
}

/* ---- subscribe, unsubscribe, publish, acknowledge, disconnect ------------------------ */
enum MvStatus mvk_sys_mqtt_request_subscribe(MvChannelHandle handle,
                                             const struct MvMqttSubscribeRequest *request)
{
    struct mvk_chan *c;
    struct MvMqttSubscribeRequest r;
    struct MvMqttSubscription s[MVP_MAX_MQTT_SUBS];
    struct mvp_mqtt_sub subs[MVP_MAX_MQTT_SUBS];
    enum MvStatus st;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY ||
        (st = copy_in(request, &r, sizeof r)) != MV_STATUS_OKAY ||
        (st = array_in(r.subscriptions, r.num_subscriptions, MVP_MAX_MQTT_SUBS, 1, sizeof s[0],
                       s)) != MV_STATUS_OKAY)
        return st;
    for (uint32_t i = 0; i < r.num_subscriptions; i++) {
        if ((st = str_in(s[i].topic, MVP_MAX_MQTT_TOPIC, 1, &subs[i].topic, &subs[i].topic_len)) !=
            MV_STATUS_OKAY)
            return st;
        if (s[i].desired_qos > 2u || s[i].nl > 1u || s[i].rap > 1u || s[i].rh > 2u)
            return MV_STATUS_PARAMETERFAULT;
        subs[i].qos = (uint8_t)s[i].desired_qos;
        subs[i].nl = (uint8_t)s[i].nl;
        subs[i].rap = (uint8_t)s[i].rap;
        subs[i].rh = (uint8_t)s[i].rh;
    }
    return mq_send(c, MVP_MSG_MQTT_SUBSCRIBE,
                   mvp_mqtt_subscribe_encode(r.correlation_id, subs, r.num_subscriptions,
                                             mq_scratch, sizeof mq_scratch));
}

enum MvStatus mvk_sys_mqtt_request_unsubscribe(MvChannelHandle handle,
                                               const struct MvMqttUnsubscribeRequest *request)
{
    struct mvk_chan *c;
    struct MvMqttUnsubscribeRequest r;
    struct MvSizedString t[MVP_MAX_MQTT_SUBS];
    struct mvp_bytes topics[MVP_MAX_MQTT_SUBS];
    enum MvStatus st;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY ||
        (st = copy_in(request, &r, sizeof r)) != MV_STATUS_OKAY ||
        (st = array_in(r.topics, r.num_topics, MVP_MAX_MQTT_SUBS, 1, sizeof t[0], t)) !=
            MV_STATUS_OKAY)
        return st;
    for (uint32_t i = 0; i < r.num_topics; i++) {
        if ((st = bytes_in(t[i], MVP_MAX_MQTT_TOPIC, 1, &topics[i].data, &topics[i].len)) !=
            MV_STATUS_OKAY)
            return st;
    }
    return mq_send(c, MVP_MSG_MQTT_UNSUBSCRIBE,
                   mvp_mqtt_unsubscribe_encode(r.correlation_id, topics, r.num_topics,
                                               mq_scratch, sizeof mq_scratch));
}

enum MvStatus mvk_sys_mqtt_request_publish(MvChannelHandle handle,
                                           const struct MvMqttPublishRequest *request)
{
    struct mvk_chan *c;
    struct MvMqttPublishRequest r;
    struct mvp_mqtt_pub m;
    enum MvStatus st;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY ||
        (st = copy_in(request, &r, sizeof r)) != MV_STATUS_OKAY ||
        (st = str_in(r.topic, MVP_MAX_MQTT_TOPIC, 1, &m.topic, &m.topic_len)) != MV_STATUS_OKAY ||
        (st = bytes_in(r.payload, MVP_MAX_MQTT_PAYLOAD, 0, &m.payload, &m.payload_len)) !=
            MV_STATUS_OKAY)
        return st;
    if (r.desired_qos > 2u || r.retain > 1u)
        return MV_STATUS_PARAMETERFAULT;
    m.correlation_id = r.correlation_id;
    m.qos = (uint8_t)r.desired_qos;
    m.retain = (uint8_t)r.retain;
    return mq_send(c, MVP_MSG_MQTT_PUBLISH, mvp_mqtt_pub_encode(&m, mq_scratch, sizeof mq_scratch));
}

enum MvStatus mvk_sys_mqtt_acknowledge_message(MvChannelHandle handle, uint32_t correlation_id)
{
    struct mvk_chan *c;
    enum MvStatus st;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY)
        return st;
    return mq_send(c, MVP_MSG_MQTT_MESSAGE_ACK,
                   mvp_mqtt_ack_encode(correlation_id, mq_scratch, sizeof mq_scratch));
}

enum MvStatus mvk_sys_mqtt_request_disconnect(MvChannelHandle handle)
{
    struct mvk_chan *c;
    enum MvStatus st;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY)
        return st;
    return mq_send(c, MVP_MSG_MQTT_DISCONNECT, 0);
}

/* ---- reading what the relay sent --------------------------------------------------- */
enum MvStatus mvk_sys_mqtt_get_next_readable_data_type(MvChannelHandle handle,
                                                       enum MvMqttReadableDataType *data_type)
{
    static const struct {
        uint8_t msg;
        enum MvMqttReadableDataType type;
    } map[] = {
        {MVP_MSG_MQTT_MESSAGE, MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED},
        {MVP_MSG_MQTT_LOST, MV_MQTTREADABLEDATATYPE_MESSAGELOST},
        {MVP_MSG_MQTT_CONNECT_RESP, MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE},
        {MVP_MSG_MQTT_SUBSCRIBE_RESP, MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE},
        {MVP_MSG_MQTT_UNSUBSCRIBE_RESP, MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE},
        {MVP_MSG_MQTT_PUBLISH_RESP, MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE},
        {MVP_MSG_MQTT_DISCONNECT_RESP, MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE},
    };
    struct mvk_chan *c;
    enum MvMqttReadableDataType t = MV_MQTTREADABLEDATATYPE_NONE;
    enum MvStatus st;
    uint8_t type;
    const uint8_t *body;
    uint32_t len;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY)
        return st;
    if (!mvk_app_wr(data_type, sizeof *data_type))
        return MV_STATUS_PARAMETERFAULT;
    if (mvk_chan_peek_msg(c, &type, &body, &len) == MV_STATUS_OKAY) {
        st = MV_STATUS_INTERNALERROR; /* a message type the relay may not send here */
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
            if (map[i].msg == type) {
                t = map[i].type;
                st = MV_STATUS_OKAY;
            }
        }
        if (st != MV_STATUS_OKAY)
            return st;
    }
    memcpy(data_type, &t, sizeof t);
    return MV_STATUS_OKAY;
}

/* CONNECT_RESP and DISCONNECT_RESP: {request_state, code} into a two-word structure. */
static enum MvStatus read_result(MvChannelHandle handle, uint8_t want, void *out)
{
    struct mvk_chan *c;
    struct mvp_mqtt_result r;
    const uint8_t *body;
    uint32_t len;
    enum MvStatus st;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY)
        return st;
    if (!mvk_app_wr(out, 2 * sizeof(uint32_t)))
        return MV_STATUS_PARAMETERFAULT;
    if ((st = mq_next(c, want, &body, &len)) != MV_STATUS_OKAY)
        return st;
    if (mvp_mqtt_result_decode(body, len, &r) < 0)
        return MV_STATUS_INTERNALERROR;
    put32(out, r.request_state);
    put32((uint8_t *)out + sizeof(uint32_t), r.code);
    mvk_chan_consume_msg(c);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_mqtt_read_connect_response(MvChannelHandle handle,
                                                 struct MvMqttConnectResponse *response_data)
{
    return read_result(handle, MVP_MSG_MQTT_CONNECT_RESP, response_data);
}

enum MvStatus mvk_sys_mqtt_read_disconnect_response(MvChannelHandle handle,
                                                    struct MvMqttDisconnectResponse *response_data)
{
    return read_result(handle, MVP_MSG_MQTT_DISCONNECT_RESP, response_data);
}

_Static_assert(sizeof(struct MvMqttSubscribeResponse) == sizeof(struct MvMqttUnsubscribeResponse),
               "subscribe and unsubscribe responses share a layout");

/* SUBSCRIBE_RESP and UNSUBSCRIBE_RESP: resp is either response structure (same layout),
 * copied whole before use. */
static enum MvStatus read_suback(MvChannelHandle handle, uint8_t want, const void *resp)
{
    struct mvk_chan *c;
    struct MvMqttSubscribeResponse o;
    struct mvp_mqtt_suback a;
    uint32_t codes[MVP_MAX_MQTT_SUBS];
    const uint8_t *body;
    uint32_t len;
    enum MvStatus st;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY ||
        (st = copy_in(resp, &o, sizeof o)) != MV_STATUS_OKAY)
        return st;
    if (!mvk_app_wr(o.request_state, sizeof *o.request_state) ||
        !mvk_app_wr(o.correlation_id, sizeof *o.correlation_id) ||
        !mvk_app_wr(o.reason_codes, o.reason_codes_size) ||
        !mvk_app_wr(o.reason_codes_len, sizeof *o.reason_codes_len))
        return MV_STATUS_PARAMETERFAULT;
    if ((st = mq_next(c, want, &body, &len)) != MV_STATUS_OKAY)
        return st;
    if (mvp_mqtt_suback_decode(body, len, &a, codes, MVP_MAX_MQTT_SUBS) < 0)
        return MV_STATUS_INTERNALERROR;
    if (a.num_reason_codes * sizeof codes[0] > o.reason_codes_size)
        return MV_STATUS_INVALIDBUFFERSIZE;
    put32(o.request_state, a.request_state);
    put32(o.correlation_id, a.correlation_id);
    if (a.num_reason_codes != 0)
        memcpy(o.reason_codes, codes, a.num_reason_codes * sizeof codes[0]);
    put32(o.reason_codes_len, (uint32_t)a.num_reason_codes);
    mvk_chan_consume_msg(c);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_mqtt_read_subscribe_response(MvChannelHandle handle,
                                                   const struct MvMqttSubscribeResponse *response_data)
{
    return read_suback(handle, MVP_MSG_MQTT_SUBSCRIBE_RESP, response_data);
}

enum MvStatus mvk_sys_mqtt_read_unsubscribe_response(
    MvChannelHandle handle, const struct MvMqttUnsubscribeResponse *response_data)
{
    return read_suback(handle, MVP_MSG_MQTT_UNSUBSCRIBE_RESP, response_data);
}

enum MvStatus mvk_sys_mqtt_read_publish_response(MvChannelHandle handle,
                                                 struct MvMqttPublishResponse *response_data)
{
    struct mvk_chan *c;
    struct mvp_mqtt_pubresp r;
    const uint8_t *body;
    uint32_t len;
    enum MvStatus st;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY)
        return st;
    if (!mvk_app_wr(response_data, sizeof *response_data))
        return MV_STATUS_PARAMETERFAULT;
    if ((st = mq_next(c, MVP_MSG_MQTT_PUBLISH_RESP, &body, &len)) != MV_STATUS_OKAY)
        return st;
    if (mvp_mqtt_pubresp_decode(body, len, &r) < 0)
        return MV_STATUS_INTERNALERROR;
    put32(&((uint8_t *)response_data)[offsetof(struct MvMqttPublishResponse, request_state)],
          r.request_state);
    put32(&((uint8_t *)response_data)[offsetof(struct MvMqttPublishResponse, correlation_id)],
          r.correlation_id);
    put32(&((uint8_t *)response_data)[offsetof(struct MvMqttPublishResponse, reason_code)],
          r.reason_code);
    mvk_chan_consume_msg(c);
    return MV_STATUS_OKAY;
}

/* A string buffer the kernel fills: data[size] and *length writable. */
static int strbuf_ok(const struct MvSizedStringBuffer *b)
{
    return mvk_app_wr(b->data, b->size) && mvk_app_wr(b->length, sizeof *b->length);
}

static void strbuf_put(const struct MvSizedStringBuffer *b, const uint8_t *p, uint32_t n)
{
    if (n != 0)
        memmove(b->data, p, n);
    put32(b->length, n);
}

enum MvStatus mvk_sys_mqtt_receive_message(MvChannelHandle handle,
                                           const struct MvMqttMessage *message_data)
{
    struct mvk_chan *c;
    struct MvMqttMessage o;
    struct mvp_mqtt_pub m;
    const uint8_t *body;
    uint32_t len;
    enum MvStatus st;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY ||
        (st = copy_in(message_data, &o, sizeof o)) != MV_STATUS_OKAY)
        return st;
    if (!mvk_app_wr(o.correlation_id, sizeof *o.correlation_id) || !strbuf_ok(&o.topic) ||
        !strbuf_ok(&o.payload) || !mvk_app_wr(o.qos, sizeof *o.qos) ||
        !mvk_app_wr(o.retain, sizeof *o.retain))
        return MV_STATUS_PARAMETERFAULT;
    if ((st = mq_next(c, MVP_MSG_MQTT_MESSAGE, &body, &len)) != MV_STATUS_OKAY)
        return st;
    if (mvp_mqtt_pub_decode(body, len, &m) < 0)
        return MV_STATUS_INTERNALERROR;
    /* Too small: the message stays, so the app can retry with larger buffers. */
    if (m.topic_len > o.topic.size || m.payload_len > o.payload.size)
        return MV_STATUS_INVALIDBUFFERSIZE;
    put32(o.correlation_id, m.correlation_id);
    strbuf_put(&o.topic, m.topic, m.topic_len);
    strbuf_put(&o.payload, m.payload, m.payload_len);
    put32(o.qos, m.qos);
    memcpy(o.retain, &m.retain, 1);
    mvk_chan_consume_msg(c);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_mqtt_receive_lost_message_info(MvChannelHandle handle,
                                                     const struct MvMqttLostMessageInfo *lost_message_info)
{
    struct mvk_chan *c;
    struct MvMqttLostMessageInfo o;
    struct mvp_mqtt_lost m;
    const uint8_t *body;
    uint32_t len;
    enum MvStatus st;

    if ((st = mq_chan(handle, &c)) != MV_STATUS_OKAY ||
        (st = copy_in(lost_message_info, &o, sizeof o)) != MV_STATUS_OKAY)
        return st;
    if (!mvk_app_wr(o.reason, sizeof *o.reason) || !strbuf_ok(&o.topic) ||
        !mvk_app_wr(o.message_len, sizeof *o.message_len))
        return MV_STATUS_PARAMETERFAULT;
    if ((st = mq_next(c, MVP_MSG_MQTT_LOST, &body, &len)) != MV_STATUS_OKAY)
        return st;
    if (mvp_mqtt_lost_decode(body, len, &m) < 0)
        return MV_STATUS_INTERNALERROR;
    if (m.topic_len > o.topic.size)
        return MV_STATUS_INVALIDBUFFERSIZE;
    put32(o.reason, m.reason);
    strbuf_put(&o.topic, m.topic, m.topic_len);
    put32(o.message_len, m.message_len);
    mvk_chan_consume_msg(c);
    return MV_STATUS_OKAY;
}
