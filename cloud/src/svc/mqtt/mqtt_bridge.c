/* The MQTT bridge service: one bridged MQTT session per MQTT channel. Device messages
 * are dispatched to the connect, request and acknowledgement handlers; the channel's end
 * (any cause) closes the broker connection without DISCONNECT unless the application
 * asked to disconnect, so the broker publishes the will of a device that vanished. */
#include "svc/mqtt/mqtt_bridge.h"

#include <mosquitto.h>
#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvp/frame.h"
#include "mvp/msg.h"
#include "mvr/log.h"
#include "device/session_priv.h"
#include "svc/mqtt/mqtt_metrics.h"
#include "svc/mqtt/mqtt_priv.h"

int mq_send(struct mq_chan *m, uint8_t type, const uint8_t *body, int blen)
{
    if (blen < 0)
        return -1;
    uint8_t *buf = malloc(MVP_HDR_LEN + (size_t)blen);
    if (!buf)
        return -1;
    mvp_msg_hdr_encode(type, (uint32_t)blen, buf);
    if (blen)
        memcpy(buf + MVP_HDR_LEN, body, (size_t)blen);
    int rc = mvr_chan_send(m->s, m->c, buf, MVP_HDR_LEN + (size_t)blen);
    free(buf);
    return rc;
}

void mq_kick(struct mq_chan *m)
{
    mvr_session_kick(m->s);
}

void mq_end(struct mq_chan *m, uint32_t reason)
{
    /* svc->close (mq_close below) frees m on the way. */
    mvr_chan_close(m->s, m->c, reason);
}

static uint32_t mq_open(void *ctx, struct mvr_session *s, struct mvr_chan *c,
                        const uint8_t *endpoint, size_t endpoint_len, const char **why)
{
    (void)endpoint;
    if (endpoint_len) {
        *why = "MQTT channels take no endpoint (the broker comes with the connect request)";
        return MV_STATUS_UNKNOWNCHANNELENDPOINT;
    }
    struct mq_chan *m = calloc(1, sizeof *m);
    if (!m) {
        *why = "out of memory";
        return MV_STATUS_UNAVAILABLE;
    }
    m->br = ctx;
    m->s = s;
    m->c = c;
    m->dev_window = c->tx_credit; /* at OPEN: the device's whole receive buffer */
    m->next_corr = 1;
    mq_list_init(&m->queue);
    mq_list_init(&m->unacked);
    c->svc_state = m;
    return 0;
}

static int dispatch(struct mq_chan *m, uint8_t type, const uint8_t *p, size_t n)
{
    switch (type) {
    case MVP_MSG_MQTT_CONNECT: return mq_on_connect(m, p, n);
    case MVP_MSG_MQTT_PUBLISH: return mq_on_publish(m, p, n);
    case MVP_MSG_MQTT_SUBSCRIBE: return mq_on_subscribe(m, p, n);
    case MVP_MSG_MQTT_UNSUBSCRIBE: return mq_on_unsubscribe(m, p, n);
    case MVP_MSG_MQTT_MESSAGE_ACK: return mq_on_ack(m, p, n);
    case MVP_MSG_MQTT_DISCONNECT:
        return mvp_mqtt_disconnect_decode(p, n) < 0 ? MVR_SVC_RESET : mq_on_disconnect(m);
    default: return MVR_SVC_RESET; /* a relay-to-device type or unknown: protocol error */
    }
}

static int mq_msg(void *ctx, struct mvr_session *s, struct mvr_chan *c, const struct mvp_frame *f)
{
    (void)ctx, (void)s;
    if (f->hdr.chan != 0)
        return MVR_SVC_RESET;
    return dispatch(c->svc_state, f->hdr.type, f->payload, f->hdr.len);
}

static void mq_window(void *ctx, struct mvr_session *s, struct mvr_chan *c)
{
    (void)ctx, (void)s;
    mq_pump(c->svc_state);
}

static void log_end(const struct mq_chan *m)
{
    if (m->st != MQ_UP && m->st != MQ_DISCONNECTING && m->st != MQ_CONNECTING)
        return;
    mvr_log(MVR_INFO, "mqtt session end", "device=%s chan=%u broker=%s:%d cause=%s",
            m->s->device_id, m->c->id, m->host, m->port,
            m->st == MQ_DISCONNECTING ? "disconnect" : "channel closed");
}

static void mq_close(void *ctx, struct mvr_session *s, struct mvr_chan *c)
{
    (void)ctx, (void)s;
    struct mq_chan *m = c->svc_state;
    if (!m)
        return;
    log_end(m);
    if (m->st == MQ_UP || m->st == MQ_DISCONNECTING)
        mvr_mqtt_metrics.sessions--;
    /* No DISCONNECT: a channel that ends without mvMqttRequestDisconnect is a device
     * that went away, and the broker must publish its will. */
    mvr_mqc_close(m->cli, 0);
    SSL_CTX_free(m->tls);
    mq_inbound_release(m);
    free(m);
    c->svc_state = NULL;
}

struct mvr_mqtt_bridge *mvr_mqtt_bridge_new(uv_loop_t *loop, const struct mvr_mqtt_config *cfg)
{
    struct mvr_mqtt_bridge *b = calloc(1, sizeof *b);
    if (!b || !(b->held = mq_held_new())) {
        free(b);
        return NULL;
    }
    mosquitto_lib_init();
    b->loop = loop;
    b->cfg = cfg;
    /* A broker message (64 KiB payload, 1 KiB topic) or a connect with certificates. */
    b->svc = (struct mvr_svc){.name = "mqtt",
                              .open = mq_open,
                              .msg = mq_msg,
                              .window = mq_window,
                              .close = mq_close,
                              .ctx = b,
                              .max_msg = MVP_MAX_MSG_PAYLOAD};
    return b;
}

const struct mvr_svc *mvr_mqtt_bridge_svc(struct mvr_mqtt_bridge *b)
{
    return b ? &b->svc : NULL;
}

void mvr_mqtt_bridge_free(struct mvr_mqtt_bridge *b)
{
    if (!b)
        return;
    mq_held_free(b->held);
    mvr_mqtt_metrics.held = 0;
    mosquitto_lib_cleanup();
    free(b);
}
