/* The receive side of MQTT channels (sys_mqtt.c) beyond connect/publish responses and
 * messages: subscribe/unsubscribe responses with their reason codes, lost-message info,
 * disconnect responses, the acknowledgement the app sends, and the readable notification
 * for a message that arrives in pieces. */
#include <criterion/criterion.h>
#include <string.h>

#include "api_test.h"
#include "mvp/frame.h"
#include "mvp/mqtt.h"
#include "mvp/msg.h"

TestSuite(mqtt_rx, .init = mvt_reset);

struct suback_out {
    enum MvMqttRequestState state;
    uint32_t corr, codes[8], n;
};

static struct MvMqttSubscribeResponse *suback_req(struct suback_out *o, uint32_t size)
{
    struct MvMqttSubscribeResponse *r = mvt_app_alloc(sizeof *r);
    *r = (struct MvMqttSubscribeResponse){&o->state, &o->corr, o->codes, size, &o->n};
    return r;
}

/* The unsubscribe response has the same layout (sys_mqtt.c asserts it). */
static const struct MvMqttUnsubscribeResponse *unsuback_req(struct suback_out *o)
{
    return (const struct MvMqttUnsubscribeResponse *)suback_req(o, 32);
}

Test(mqtt_rx, subscribe_and_unsubscribe_responses)
{
    MvChannelHandle ch;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_MQTT, 4096, 4096, &ch);
    struct suback_out *o = mvt_app_alloc(sizeof *o);
    enum MvMqttReadableDataType *t = mvt_app_alloc(sizeof *t);
    uint32_t codes[3] = {1, 0x80, 2};
    struct mvp_mqtt_suback a = {7, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED, codes, 3};
    uint8_t b[64];
    int n = mvp_mqtt_suback_encode(&a, b, sizeof b);

    mvt_inject_msg(id, MVP_MSG_MQTT_SUBSCRIBE_RESP, b, (uint32_t)n);
    cr_assert_eq(mvMqttGetNextReadableDataType(ch, t), MV_STATUS_OKAY);
    cr_assert_eq(*t, MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE);
    /* Room for two codes only: refused, and the response stays for a retry. */
    cr_assert_eq(mvMqttReadSubscribeResponse(ch, suback_req(o, 8)), MV_STATUS_INVALIDBUFFERSIZE);
    cr_assert_eq(mvMqttReadUnsubscribeResponse(ch, unsuback_req(o)), MV_STATUS_WRONGDATAREQUESTED);
    cr_assert_eq(mvMqttReadSubscribeResponse(ch, suback_req(o, 32)), MV_STATUS_OKAY);
    cr_assert_eq(o->corr, 7);
    cr_assert_eq(o->n, 3);
    cr_assert_eq(o->codes[1], 0x80);
    cr_assert_eq(o->codes[2], 2);

    a = (struct mvp_mqtt_suback){8, MV_MQTTREQUESTSTATE_NOTCONNECTED, NULL, 0};
    n = mvp_mqtt_suback_encode(&a, b, sizeof b);
    mvt_inject_msg(id, MVP_MSG_MQTT_UNSUBSCRIBE_RESP, b, (uint32_t)n);
    cr_assert_eq(mvMqttGetNextReadableDataType(ch, t), MV_STATUS_OKAY);
    cr_assert_eq(*t, MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE);
    cr_assert_eq(mvMqttReadUnsubscribeResponse(ch, unsuback_req(o)), MV_STATUS_OKAY);
    cr_assert_eq(o->corr, 8);
    cr_assert_eq(o->state, MV_MQTTREQUESTSTATE_NOTCONNECTED);
    cr_assert_eq(o->n, 0);
}

Test(mqtt_rx, lost_message_info)
{
    MvChannelHandle ch;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_MQTT, 4096, 4096, &ch);
    enum MvMqttReadableDataType *t = mvt_app_alloc(sizeof *t);
    uint32_t *w = mvt_app_alloc(3 * sizeof *w);
    uint8_t *topic = mvt_app_alloc(16);
    struct MvMqttLostMessageInfo *l = mvt_app_alloc(sizeof *l);
    struct mvp_mqtt_lost lost = {0, 5000, (const uint8_t *)"big/x", 5};
    uint8_t b[64];
    int n = mvp_mqtt_lost_encode(&lost, b, sizeof b);

    mvt_inject_msg(id, MVP_MSG_MQTT_LOST, b, (uint32_t)n);
    cr_assert_eq(mvMqttGetNextReadableDataType(ch, t), MV_STATUS_OKAY);
    cr_assert_eq(*t, MV_MQTTREADABLEDATATYPE_MESSAGELOST);
    *l = (struct MvMqttLostMessageInfo){
        (enum MvMqttLostMessageReason *)&w[0], {topic, 4, &w[1]}, &w[2]};
    cr_assert_eq(mvMqttReceiveLostMessageInfo(ch, l), MV_STATUS_INVALIDBUFFERSIZE);
    l->message_len = (uint32_t *)mvt_kernel_mem;
    l->topic.size = 16;
    cr_assert_eq(mvMqttReceiveLostMessageInfo(ch, l), MV_STATUS_PARAMETERFAULT);
    l->message_len = &w[2];
    cr_assert_eq(mvMqttReceiveLostMessageInfo(ch, l), MV_STATUS_OKAY);
    cr_assert_eq(w[0], MV_MQTTLOSTMESSAGEREASON_DEVICERECEIVEBUFFERTOOSMALL);
    cr_assert_eq(w[1], 5);
    cr_assert_eq(memcmp(topic, "big/x", 5), 0);
    cr_assert_eq(w[2], 5000);
    cr_assert_eq(mvMqttGetNextReadableDataType(ch, t), MV_STATUS_OKAY);
    cr_assert_eq(*t, MV_MQTTREADABLEDATATYPE_NONE);
}

Test(mqtt_rx, disconnect_response_and_ack)
{
    MvChannelHandle ch;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_MQTT, 4096, 4096, &ch);
    struct MvMqttDisconnectResponse *d = mvt_app_alloc(sizeof *d);
    struct mvp_mqtt_result r = {MV_MQTTREQUESTSTATE_REQUESTCOMPLETED, 0x8e};
    uint8_t b[16], type;
    uint32_t len, corr = 0;
    int n = mvp_mqtt_result_encode(&r, b, sizeof b);

    mvt_inject_msg(id, MVP_MSG_MQTT_DISCONNECT_RESP, b, (uint32_t)n);
    cr_assert_eq(mvMqttReadConnectResponse(ch, (struct MvMqttConnectResponse *)d),
                 MV_STATUS_WRONGDATAREQUESTED);
    cr_assert_eq(mvMqttReadDisconnectResponse(ch, d), MV_STATUS_OKAY);
    cr_assert_eq(d->disconnect_code, 0x8e);

    cr_assert_eq(mvMqttAcknowledgeMessage(ch, 0xabcd), MV_STATUS_OKAY);
    const uint8_t *f = mvt_conn_last(&type, &(uint16_t){0}, &len);
    cr_assert_eq(type, MVP_DATA);
    cr_assert_eq(f[0], MVP_MSG_MQTT_MESSAGE_ACK);
    cr_assert_eq(mvp_mqtt_ack_decode(f + 8, len - 8, &corr), 0);
    cr_assert_eq(corr, 0xabcd);
}

/* A MESSAGE split over two DATA frames: readable (and notified) only once complete. */
Test(mqtt_rx, readable_only_when_complete)
{
    MvChannelHandle ch;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_MQTT, 4096, 4096, &ch);
    enum MvMqttReadableDataType *t = mvt_app_alloc(sizeof *t);
    struct mvp_mqtt_pub pub = {3, (const uint8_t *)"c/d", 3, (const uint8_t *)"0123456789", 10, 1,
                               0};
    uint8_t m[64];
    int n = mvp_mqtt_pub_encode(&pub, m + 8, sizeof m - 8);

    mvp_msg_hdr_encode(MVP_MSG_MQTT_MESSAGE, (uint32_t)n, m);
    uint32_t irqs = mvt_irqs_raised();
    mvt_inject(MVP_DATA, id, m, 12);
    cr_assert_eq(mvMqttGetNextReadableDataType(ch, t), MV_STATUS_OKAY);
    cr_assert_eq(*t, MV_MQTTREADABLEDATATYPE_NONE);
    cr_assert_eq(mvt_irqs_raised(), irqs);
    mvt_inject(MVP_DATA, id, m + 12, (uint32_t)n + 8 - 12);
    cr_assert_gt(mvt_irqs_raised(), irqs);
    cr_assert_eq(mvMqttGetNextReadableDataType(ch, t), MV_STATUS_OKAY);
    cr_assert_eq(*t, MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED);
}
