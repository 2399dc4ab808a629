/* Broker-to-device delivery on a bridged MQTT channel. Messages are queued in arrival
 * order and sent as MQTT_MESSAGE only within the device's credit; one that could never
 * fit the device's receive buffer becomes MQTT_LOST (topic and length), never a silent
 * drop. QoS 1/2 messages stay held until the application's MESSAGE_ACK. libmosquitto
 * itself queues without limit, so the backlog is bounded by not reading from the broker
 * while the channel holds MQ_BACKLOG_MSGS messages or MQ_BACKLOG_BYTES bytes: TCP
 * backpressure then stalls the broker, which keeps the messages for this session. */
#include <stdlib.h>
#include <string.h>

#include "mvp/msg.h"
#include "device/session_priv.h"
#include "svc/mqtt/mqtt_metrics.h"
#include "svc/mqtt/mqtt_priv.h"

#define MSG_FIXED (MVP_HDR_LEN + 4 + 1 + 1 + 2 + 2 + 4) /* MESSAGE without topic/payload */
#define LOST_FIXED (MVP_HDR_LEN + 4 + 4 + 2)

static size_t wire_size(const struct mq_msg *q)
{
    return q->lost ? LOST_FIXED + q->topic_len : MSG_FIXED + q->topic_len + (size_t)q->payload_len;
}

static size_t backlog(const struct mq_chan *m)
{
    return m->queue.n + m->unacked.n;
}

void mq_message(void *o, const struct mosquitto_message *msg)
{
    struct mq_chan *m = o;
    size_t tlen = strlen(msg->topic), plen = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
    struct mq_msg *q;
    if (tlen > MVP_MAX_MQTT_TOPIC || plen > MVP_MAX_MQTT_PAYLOAD ||
        MSG_FIXED + tlen + plen > m->dev_window) {
        /* Never deliverable: report it (topic dropped if even that is too long). */
        q = mq_msg_new(msg->topic, tlen > MVP_MAX_MQTT_TOPIC ? 0 : tlen, NULL, 0, msg->qos,
                       msg->retain);
        if (q) {
            q->lost = 1;
            q->payload_len = (uint32_t)plen;
        }
    } else {
        q = mq_msg_new(msg->topic, tlen, msg->payload, plen, msg->qos, msg->retain);
    }
    if (!q)
        return; /* out of memory: the relay cannot do better than the log line below */
    mq_list_push(&m->queue, q);
    mvr_mqtt_metrics.backlog++;
    mq_pump(m);
}

static int send_one(struct mq_chan *m, struct mq_msg *q)
{
    uint8_t *body = malloc(wire_size(q));
    int rc = -1;
    if (!body)
        return -1;
    if (q->lost) {
        struct mvp_mqtt_lost l = {.reason = 0,
                                  .message_len = q->payload_len,
                                  .topic = q->data,
                                  .topic_len = q->topic_len};
        rc = mq_send(m, MVP_MSG_MQTT_LOST, body, mvp_mqtt_lost_encode(&l, body, wire_size(q)));
    } else {
        if (!q->corr && !(q->corr = m->next_corr++))
            q->corr = m->next_corr++; /* 0 is never used */
        struct mvp_mqtt_pub p = {.correlation_id = q->corr,
                                 .topic = q->data,
                                 .topic_len = q->topic_len,
                                 .payload = q->data + q->topic_len,
                                 .payload_len = q->payload_len,
                                 .qos = q->qos,
                                 .retain = q->retain};
        rc = mq_send(m, MVP_MSG_MQTT_MESSAGE, body, mvp_mqtt_pub_encode(&p, body, wire_size(q)));
    }
    free(body);
    return rc;
}

void mq_pump(struct mq_chan *m)
{
    int sent = 0;
    while (m->queue.head && wire_size(m->queue.head) <= mvr_chan_avail(m->c)) {
        struct mq_msg *q = mq_list_pop(&m->queue);
        if (send_one(m, q) < 0) {
            mq_list_push(&m->unacked, q); /* out of memory: kept, resent on resume */
            break;
        }
        sent = 1;
        if (q->lost)
            mvr_mqtt_metrics.messages_lost++;
        else
            mvr_mqtt_metrics.messages_in++;
        if (!q->lost && q->qos) {
            mq_list_push(&m->unacked, q);
        } else {
            free(q);
            mvr_mqtt_metrics.backlog--;
        }
    }
    int hold =
        backlog(m) >= MQ_BACKLOG_MSGS || m->queue.bytes + m->unacked.bytes >= MQ_BACKLOG_BYTES;
    mvr_mqc_hold(m->cli, hold);
    if (sent)
        mq_kick(m);
}

int mq_on_ack(struct mq_chan *m, const uint8_t *body, size_t len)
{
    uint32_t corr;
    if (mvp_mqtt_ack_decode(body, len, &corr) < 0)
        return MVR_SVC_RESET;
    struct mq_msg *q = mq_list_take(&m->unacked, corr);
    if (q) {
        free(q);
        mvr_mqtt_metrics.backlog--;
    }
    mq_pump(m); /* may lift the read hold */
    return 0;
}

void mq_inbound_release(struct mq_chan *m)
{
    struct mq_list all;
    mq_list_init(&all);
    mq_list_append(&all, &m->unacked);
    mq_list_append(&all, &m->queue);
    mvr_mqtt_metrics.backlog -= (int64_t)all.n;
    /* Only a session that outlives the channel (clean_start = 0) can be resumed. */
    if (!m->key[0] || m->clean_start) {
        mq_list_free(&all);
        return;
    }
    size_t before = mq_held_count(m->br->held);
    mvr_mqtt_metrics.held_dropped += mq_held_put(m->br->held, m->key, &all);
    mvr_mqtt_metrics.held += (int64_t)mq_held_count(m->br->held) - (int64_t)before;
}

void mq_inbound_resume(struct mq_chan *m)
{
    struct mq_list held;
    mq_list_init(&held);
    mq_held_take(m->br->held, m->key, &held);
    mvr_mqtt_metrics.held -= (int64_t)held.n;
    mvr_mqtt_metrics.messages_redelivered += held.n;
    mvr_mqtt_metrics.backlog += (int64_t)held.n;
    for (struct mq_msg *q = held.head; q; q = q->next)
        q->corr = 0; /* new ids on the new channel */
    mq_list_append(&held, &m->queue);
    mq_list_append(&m->queue, &held);
}
