/* State shared by the MQTT bridge's files: the bridge (service context) and one
 * channel's bridged session. mqtt_bridge.c dispatches device messages, mqtt_connect.c
 * connects, mqtt_ops.c forwards requests and correlates responses, mqtt_inbound.c
 * delivers broker messages within the device's credit. */
#ifndef MVR_MQTT_PRIV_H
#define MVR_MQTT_PRIV_H

#include <openssl/ssl.h>
#include <stdint.h>
#include <uv.h>

#include "mvp/mqtt.h"
#include "mvr/mqtt_config.h"
#include "svc/mqtt/mqtt_client.h"
#include "svc/mqtt/mqtt_held.h"
#include "svc/mqtt/mqtt_msg.h"
#include "svc/mqtt/mqtt_tls.h"
#include "svc/svc.h"

struct mvr_session;
struct mvr_chan;

/* Withhold reads from the broker while a channel holds this many messages (queued for
 * the device or awaiting its acknowledgement) or bytes. */
#define MQ_BACKLOG_MSGS 64
#define MQ_BACKLOG_BYTES (256u * 1024u)
#define MQ_MAX_PENDING 64 /* outstanding publish/subscribe/unsubscribe requests */

struct mvr_mqtt_bridge {
    uv_loop_t *loop;
    const struct mvr_mqtt_config *cfg;
    struct mq_held *held;
    struct mvr_svc svc;
};

enum mq_state { MQ_IDLE, MQ_CONNECTING, MQ_UP, MQ_DISCONNECTING, MQ_DOWN };
enum mq_kind { MQ_PUB, MQ_SUB, MQ_UNSUB };

/* One request to the broker awaiting its answer(s): a SUBSCRIBE with n topics is sent
 * as n packets (libmosquitto takes one QoS and option set per packet). */
struct mq_pend {
    uint8_t used, kind, n, got;
    uint32_t corr;
    int mids[MVP_MAX_MQTT_SUBS];
    uint32_t codes[MVP_MAX_MQTT_SUBS];
};

struct mq_chan {
    struct mvr_mqtt_bridge *br;
    struct mvr_session *s;
    struct mvr_chan *c;
    uint32_t dev_window; /* the device's receive buffer: larger messages are lost */
    enum mq_state st;
    struct mvr_mqc *cli;
    SSL_CTX *tls; /* our reference; libmosquitto holds its own while it connects */
    char host[MVP_MAX_MQTT_HOST + 1];
    int port, v5, clean_start;
    char client_id[MVP_MAX_MQTT_CLIENT_ID + 1];
    char key[600]; /* held-store key: device, broker, client id */
    struct mq_pend pend[MQ_MAX_PENDING];
    uint32_t cur_pub_corr; /* a QoS 0 publish may complete inside mosquitto_publish */
    int cur_pub_active, cur_pub_done;
    struct mq_list queue;   /* from the broker, not yet sent to the device */
    struct mq_list unacked; /* sent, QoS >= 1, awaiting MESSAGE_ACK */
    uint32_t next_corr;
    int64_t connected_us;
};

/* Queues one typed message to the device (header + body); 0 or -1. */
int mq_send(struct mq_chan *m, uint8_t type, const uint8_t *body, int blen);
/* Output queued from a libuv callback must be written. */
void mq_kick(struct mq_chan *m);

int mq_on_connect(struct mq_chan *m, const uint8_t *body, size_t len);
int mq_on_publish(struct mq_chan *m, const uint8_t *body, size_t len);
int mq_on_subscribe(struct mq_chan *m, const uint8_t *body, size_t len);
int mq_on_unsubscribe(struct mq_chan *m, const uint8_t *body, size_t len);
int mq_on_disconnect(struct mq_chan *m);
int mq_on_ack(struct mq_chan *m, const uint8_t *body, size_t len);

/* libmosquitto events (mqtt_ops.c, mqtt_inbound.c, mqtt_connect.c). */
extern const struct mvr_mqc_ev mq_events;
void mq_published(void *o, int mid, int reason);
void mq_subscribed(void *o, int mid, int n, const int *granted);
void mq_unsubscribed(void *o, int mid);
void mq_message(void *o, const struct mosquitto_message *msg);
void mq_lost(void *o, int rc);
/* Requests still waiting for an answer are answered with state (connection gone). */
void mq_fail_pending(struct mq_chan *m, uint32_t state);

/* Sends what fits the device's credit, then adjusts the broker read hold. */
void mq_pump(struct mq_chan *m);
/* Channel end: unacknowledged QoS >= 1 messages go to the held store. */
void mq_inbound_release(struct mq_chan *m);
/* A resumed session: held messages go first into the queue. */
void mq_inbound_resume(struct mq_chan *m);
/* Ends the broker connection and the channel (CLOSE{reason}) from a libuv callback. */
void mq_end(struct mq_chan *m, uint32_t reason);

#endif
