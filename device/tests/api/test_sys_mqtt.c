/* MQTT channel calls (sys_mqtt.c): request validation and encoding, and reading the
 * relay's responses and messages injected into the channel. */
#include <criterion/criterion.h>
#include <string.h>

#include "api_test.h"
#include "mvp/frame.h"
#include "mvp/mqtt.h"
#include "mvp/msg.h"

TestSuite(mqtt, .init = mvt_reset);

static struct MvSizedString app_str(const char *s)
{
    size_t n = strlen(s);
    uint8_t *p = mvt_app_alloc(n + 1);

    memcpy(p, s, n);
    return (struct MvSizedString){p, (uint32_t)n};
}

static struct MvMqttConnectRequest *make_connect(void)
{
    struct MvMqttConnectRequest *r = mvt_app_alloc(sizeof *r);

    r->protocol_version = MV_MQTTPROTOCOLVERSION_V5;
    r->host = app_str("localhost");
    r->port = 1883;
    r->clientid = app_str("dev1");
    r->authentication.method = MV_MQTTAUTHENTICATIONMETHOD_NONE;
    r->keepalive = 60;
    r->clean_start = 1;
    return r;
}

static const uint8_t *last_msg(uint8_t *type, uint32_t *len)
{
    uint8_t ftype;
    uint16_t chan;
    const uint8_t *f = mvt_conn_last(&ftype, &chan, len);

    cr_assert_not_null(f);
    cr_assert_eq(ftype, MVP_DATA);
    *type = f[0];
    *len -= 8;
    return f + 8;
}

Test(mqtt, connect_is_encoded_once)
{
    MvChannelHandle ch;
    struct mvp_mqtt_connect m;
    struct mvp_bytes certs[16];
    const uint8_t *body;
    uint8_t type;
    uint32_t len;

    mvt_open_channel(MV_CHANNELTYPE_MQTT, 4096, 4096, &ch);
    cr_assert_eq(mvMqttRequestConnect(ch, make_connect()), MV_STATUS_OKAY);
    body = last_msg(&type, &len);
    cr_assert_eq(type, MVP_MSG_MQTT_CONNECT);
    cr_assert_geq(mvp_mqtt_connect_decode(body, len, &m, certs, 16), 0);
    cr_assert_eq(m.port, 1883);
    cr_assert_eq(m.host_len, 9);
    cr_assert_eq(m.keepalive, 60);
    cr_assert_eq(mvMqttRequestConnect(ch, make_connect()), MV_STATUS_REQUESTALREADYSENT);
}

Test(mqtt, connect_validation)
{
    MvChannelHandle ch;
    struct MvMqttConnectRequest *r;
    struct MvTlsCredentials *tls = mvt_app_alloc(sizeof *tls);
    struct MvSizedString *certs = mvt_app_alloc(9 * sizeof *certs);

    mvt_open_channel(MV_CHANNELTYPE_MQTT, 4096, 4096, &ch);
    cr_assert_eq(mvMqttRequestConnect(ch, NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvMqttRequestConnect(ch, (struct MvMqttConnectRequest *)mvt_kernel_mem),
                 MV_STATUS_PARAMETERFAULT);
    r = make_connect();
    r->host.length = 0;
    cr_assert_eq(mvMqttRequestConnect(ch, r), MV_STATUS_REQUIREDELEMENTMISSING);
    r = make_connect();
    r->clientid.data = mvt_kernel_mem;
    cr_assert_eq(mvMqttRequestConnect(ch, r), MV_STATUS_PARAMETERFAULT);
    r = make_connect();
    r->protocol_version = (enum MvMqttProtocolVersion)2;
    cr_assert_eq(mvMqttRequestConnect(ch, r), MV_STATUS_PARAMETERFAULT);
    r = make_connect();
    r->authentication.method = (enum MvMqttAuthenticationMethod)2;
    cr_assert_eq(mvMqttRequestConnect(ch, r), MV_STATUS_INVALIDAUTHENTICATION);
    for (int i = 0; i < 9; i++)
        certs[i] = app_str("CERT");
    r = make_connect();
    r->tls_credentials = tls;
    tls->cacert = (struct MvTlsCertificateChain){9, certs};
    cr_assert_eq(mvMqttRequestConnect(ch, r), MV_STATUS_TOOMANYELEMENTS);
    tls->cacert.num_certs = 1;
    tls->clientcert.chain = (struct MvTlsCertificateChain){1, certs};
    cr_assert_eq(mvMqttRequestConnect(ch, r), MV_STATUS_REQUIREDELEMENTMISSING); /* no key */
    tls->clientcert.key = app_str("KEY");
    r->authentication.method = MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD;
    cr_assert_eq(mvMqttRequestConnect(ch, r), MV_STATUS_INVALIDAUTHENTICATION);
    r->authentication.method = MV_MQTTAUTHENTICATIONMETHOD_NONE;
    tls->cacert.certs = (const struct MvSizedString *)mvt_kernel_mem;
    cr_assert_eq(mvMqttRequestConnect(ch, r), MV_STATUS_PARAMETERFAULT);
    tls->cacert.certs = certs;
    cr_assert_eq(mvMqttRequestConnect(ch, r), MV_STATUS_OKAY);
}

Test(mqtt, subscribe_limits_and_encoding)
{
    MvChannelHandle ch;
    struct MvMqttSubscribeRequest *r = mvt_app_alloc(sizeof *r);
    struct MvMqttSubscription *s = mvt_app_alloc(9 * sizeof *s);
    struct mvp_mqtt_sub subs[8];
    const uint8_t *body;
    uint32_t corr, len;
    size_t n;
    uint8_t type;

    mvt_open_channel(MV_CHANNELTYPE_MQTT, 4096, 4096, &ch);
    for (int i = 0; i < 9; i++)
        s[i] = (struct MvMqttSubscription){app_str("a/b"), 1, 0, 0, 0};
    *r = (struct MvMqttSubscribeRequest){77, s, 9};
    cr_assert_eq(mvMqttRequestSubscribe(ch, r), MV_STATUS_TOOMANYELEMENTS);
    r->num_subscriptions = 0;
    cr_assert_eq(mvMqttRequestSubscribe(ch, r), MV_STATUS_REQUIREDELEMENTMISSING);
    r->num_subscriptions = 2;
    s[1].desired_qos = 3;
    cr_assert_eq(mvMqttRequestSubscribe(ch, r), MV_STATUS_PARAMETERFAULT);
    s[1].desired_qos = 2;
    r->subscriptions = (const struct MvMqttSubscription *)mvt_kernel_mem;
    cr_assert_eq(mvMqttRequestSubscribe(ch, r), MV_STATUS_PARAMETERFAULT);
    r->subscriptions = s;
    cr_assert_eq(mvMqttRequestSubscribe(ch, r), MV_STATUS_OKAY);
    body = last_msg(&type, &len);
    cr_assert_eq(type, MVP_MSG_MQTT_SUBSCRIBE);
    cr_assert_geq(mvp_mqtt_subscribe_decode(body, len, &corr, subs, 8, &n), 0);
    cr_assert_eq(corr, 77);
    cr_assert_eq(n, 2);
    cr_assert_eq(subs[1].qos, 2);
}

Test(mqtt, publish_and_unsubscribe_validation)
{
    MvChannelHandle ch;
    struct MvMqttPublishRequest *p = mvt_app_alloc(sizeof *p);
    struct MvMqttUnsubscribeRequest *u = mvt_app_alloc(sizeof *u);
    struct MvSizedString *topics = mvt_app_alloc(9 * sizeof *topics);

    mvt_open_channel(MV_CHANNELTYPE_MQTT, 4096, 4096, &ch);
    *p = (struct MvMqttPublishRequest){5, app_str("t"), app_str("payload"), 1, 0};
    cr_assert_eq(mvMqttRequestPublish(ch, p), MV_STATUS_OKAY);
    p->retain = 2;
    cr_assert_eq(mvMqttRequestPublish(ch, p), MV_STATUS_PARAMETERFAULT);
    p->retain = 0;
    p->topic.length = 0;
    cr_assert_eq(mvMqttRequestPublish(ch, p), MV_STATUS_REQUIREDELEMENTMISSING);
    for (int i = 0; i < 9; i++)
        topics[i] = app_str("t");
    *u = (struct MvMqttUnsubscribeRequest){6, topics, 9};
    cr_assert_eq(mvMqttRequestUnsubscribe(ch, u), MV_STATUS_TOOMANYELEMENTS);
    u->num_topics = 8;
    cr_assert_eq(mvMqttRequestUnsubscribe(ch, u), MV_STATUS_OKAY);
    cr_assert_eq(mvMqttAcknowledgeMessage(ch, 9), MV_STATUS_OKAY);
    cr_assert_eq(mvMqttRequestDisconnect(ch), MV_STATUS_OKAY);
}

Test(mqtt, wrong_type_and_closed_handles)
{
    MvChannelHandle ch, http;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_MQTT, 4096, 4096, &ch);
    const uint8_t reason[4] = {0, 0, 0, MV_CLOSUREREASON_CHANNELRESETBYSERVER};

    mvt_open_channel(MV_CHANNELTYPE_HTTP, 4096, 4096, &http);
    cr_assert_eq(mvMqttRequestConnect(http, make_connect()), MV_STATUS_INVALIDHANDLE);
    cr_assert_eq(mvMqttRequestDisconnect(NULL), MV_STATUS_INVALIDHANDLE);
    mvt_inject(MVP_CLOSE, id, reason, sizeof reason);
    cr_assert_eq(mvMqttRequestConnect(ch, make_connect()), MV_STATUS_CHANNELCLOSED);
}

Test(mqtt, responses_are_typed_and_consumed)
{
    MvChannelHandle ch;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_MQTT, 4096, 4096, &ch);
    enum MvMqttReadableDataType *t = mvt_app_alloc(sizeof *t);
    struct MvMqttConnectResponse *cr = mvt_app_alloc(sizeof *cr);
    struct MvMqttPublishResponse *pr = mvt_app_alloc(sizeof *pr);
    struct mvp_mqtt_result res = {MV_MQTTREQUESTSTATE_REQUESTCOMPLETED, 0};
    struct mvp_mqtt_pubresp pub = {5, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED, 16};
    uint8_t b[64];
    int n;

    cr_assert_eq(mvMqttGetNextReadableDataType(ch, t), MV_STATUS_OKAY);
    cr_assert_eq(*t, MV_MQTTREADABLEDATATYPE_NONE);
    cr_assert_eq(mvMqttReadConnectResponse(ch, cr), MV_STATUS_WRONGDATAREQUESTED);
    n = mvp_mqtt_result_encode(&res, b, sizeof b);
    mvt_inject_msg(id, MVP_MSG_MQTT_CONNECT_RESP, b, (uint32_t)n);
    n = mvp_mqtt_pubresp_encode(&pub, b, sizeof b);
    mvt_inject_msg(id, MVP_MSG_MQTT_PUBLISH_RESP, b, (uint32_t)n);
    cr_assert_eq(mvMqttGetNextReadableDataType(ch, t), MV_STATUS_OKAY);
    cr_assert_eq(*t, MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE);
    cr_assert_eq(mvMqttReadPublishResponse(ch, pr), MV_STATUS_WRONGDATAREQUESTED);
    cr_assert_eq(mvMqttReadConnectResponse(ch, NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvMqttReadConnectResponse(ch, cr), MV_STATUS_OKAY);
    cr_assert_eq(cr->request_state, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    cr_assert_eq(mvMqttGetNextReadableDataType(ch, t), MV_STATUS_OKAY);
    cr_assert_eq(*t, MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE);
    cr_assert_eq(mvMqttReadPublishResponse(ch, pr), MV_STATUS_OKAY);
    cr_assert_eq(pr->correlation_id, 5);
    cr_assert_eq(pr->reason_code, 16);
}

Test(mqtt, message_receive_checks_buffers)
{
    MvChannelHandle ch;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_MQTT, 4096, 4096, &ch);
    struct MvMqttMessage *m = mvt_app_alloc(sizeof *m);
    uint32_t *words = mvt_app_alloc(4 * sizeof *words);
    uint8_t *topic = mvt_app_alloc(16), *payload = mvt_app_alloc(16);
    struct mvp_mqtt_pub pub = {9, (const uint8_t *)"a/b", 3, (const uint8_t *)"hello", 5, 1, 1};
    uint8_t b[64];
    int n = mvp_mqtt_pub_encode(&pub, b, sizeof b);

    mvt_inject_msg(id, MVP_MSG_MQTT_MESSAGE, b, (uint32_t)n);
    *m = (struct MvMqttMessage){&words[0], {topic, 2, &words[1]}, {payload, 16, &words[2]},
                                &words[3], (uint8_t *)&words[3] + 3};
    cr_assert_eq(mvMqttReceiveMessage(ch, m), MV_STATUS_INVALIDBUFFERSIZE);
    m->topic.size = 16;
    m->qos = (uint32_t *)mvt_kernel_mem;
    cr_assert_eq(mvMqttReceiveMessage(ch, m), MV_STATUS_PARAMETERFAULT);
    m->qos = &words[3];
    m->retain = topic + 15;
    cr_assert_eq(mvMqttReceiveMessage(ch, m), MV_STATUS_OKAY);
    cr_assert_eq(words[0], 9);
    cr_assert_eq(words[1], 3);
    cr_assert_eq(memcmp(topic, "a/b", 3), 0);
    cr_assert_eq(words[2], 5);
    cr_assert_eq(memcmp(payload, "hello", 5), 0);
    cr_assert_eq(words[3], 1);
    cr_assert_eq(topic[15], 1);
    /* consumed: nothing left */
    cr_assert_eq(mvMqttReceiveMessage(ch, m), MV_STATUS_WRONGDATAREQUESTED);
}
