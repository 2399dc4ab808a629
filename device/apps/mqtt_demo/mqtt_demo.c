/* The MQTT demo application: fetches the broker (config values mqtt-host, mqtt-port) over
 * config fetch, connects through the relay's MQTT bridge (will: "offline" retained on
 * mvisor/<device id>/status, "online" published there once connected), subscribes to
 * mvisor/<device id>/command, publishes a telemetry message to mvisor/<device id>/telemetry
 * every few seconds and logs every command it receives (then acknowledges it). When the
 * channel closes (broker gone, network lost) it opens a new one and connects again.
 * Written only against mv_syscalls.h and mv_app_port.h, like the log demo. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mv_app_port.h"
#include "mv_syscalls.h"

#define MQ_IRQ 6u
#define MQ_RING 16u
#define TAG_NET 1u
#define TAG_CFG 2u
#define TAG_MQTT 3u
#define TELEMETRY_US 5000000u
#define RETRY_US 3000000u

static struct MvNotification ring[MQ_RING] APP_SHARED __attribute__((aligned(16)));
static uint8_t log_buf[8192] APP_SHARED __attribute__((aligned(8)));
static uint8_t cfg_rx[2048] APP_SHARED __attribute__((aligned(8)));
static uint8_t cfg_tx[512] APP_SHARED __attribute__((aligned(8)));
static uint8_t mq_rx[4096] APP_SHARED __attribute__((aligned(8)));
static uint8_t mq_tx[4096] APP_SHARED __attribute__((aligned(8)));
static volatile uint32_t ring_next;

/* Broker and topics, from config and the device id (the kernel reads them: app data). */
static struct {
    char host[128];
    uint16_t port;
    char id[40];
    char cmd_topic[96], tel_topic[96], status_topic[96];
} cfg APP_SHARED;
/* A received message: as large as the receive buffer, so every delivered one fits. */
static char rx_topic[1024] APP_SHARED;
static char rx_payload[sizeof mq_rx] APP_SHARED;

/* Consumes ring entries (the main loop polls the channel; the IRQ only wakes it). */
static void mq_irq(void)
{
    while (ring[ring_next].event_type != MV_EVENTTYPE_NOEVENT) {
        ring[ring_next].event_type = MV_EVENTTYPE_NOEVENT;
        ring_next = (ring_next + 1) % MQ_RING;
    }
}

static void mq_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mq_log(const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (len > 0)
        mvServerLog((const uint8_t *)msg, (uint16_t)(len < (int)sizeof msg ? len : 299));
}

static uint64_t now_us(void)
{
    uint64_t t = 0;
    mvGetMicroseconds(&t);
    return t;
}

static MvChannelHandle open_channel(MvNotificationHandle nh, MvNetworkHandle net,
                                    enum MvChannelType type, uint32_t tag, uint8_t *rx,
                                    uint32_t rx_len, uint8_t *tx, uint32_t tx_len)
{
    struct MvOpenChannelParams op = {.version = 1};
    MvChannelHandle ch = 0;

    op.v1.notification_handle = nh;
    op.v1.notification_tag = tag;
    op.v1.network_handle = net;
    op.v1.receive_buffer = rx;
    op.v1.receive_buffer_len = rx_len;
    op.v1.send_buffer = tx;
    op.v1.send_buffer_len = tx_len;
    op.v1.channel_type = type;
    return mvOpenChannel(&op, &ch) == MV_STATUS_OKAY ? ch : 0;
}

static void wait_connected(MvNetworkHandle net)
{
    enum MvNetworkStatus st = MV_NETWORKSTATUS_CONNECTING;

    while (mvGetNetworkStatus(net, &st) != MV_STATUS_OKAY || st != MV_NETWORKSTATUS_CONNECTED)
        app_port_wait_ms(100);
}

/* ---- configuration ----------------------------------------------------------------- */
static int read_item(MvChannelHandle ch, uint32_t i, char *out, uint32_t cap)
{
    enum MvConfigKeyFetchResult result = MV_CONFIGKEYFETCHRESULT_SERVERERROR;
    uint32_t len = 0;
    struct MvConfigResponseReadItemParams p = {i, &result, {(uint8_t *)out, cap - 1, &len}};

    if (mvReadConfigResponseItem(ch, &p) != MV_STATUS_OKAY || result != MV_CONFIGKEYFETCHRESULT_OK)
        return -1;
    out[len] = 0;
    return 0;
}

/* mqtt-host and mqtt-port (account config); 0 or -1. */
static int fetch_broker(MvNotificationHandle nh, MvNetworkHandle net)
{
    char keys[32], port[16];
    struct MvConfigKeyToFetch items[2];
    struct MvConfigKeyFetchParams req = {2, items};
    struct MvConfigResponseData rd;
    enum MvStatus st = MV_STATUS_RESPONSENOTPRESENT;
    int rc = -1;

    memcpy(keys, "mqtt-host", 9);
    memcpy(keys + 16, "mqtt-port", 9);
    items[0] = (struct MvConfigKeyToFetch){
        MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_CONFIG, {(const uint8_t *)keys, 9}};
    items[1] = (struct MvConfigKeyToFetch){MV_CONFIGKEYFETCHSCOPE_ACCOUNT,
                                           MV_CONFIGKEYFETCHSTORE_CONFIG,
                                           {(const uint8_t *)keys + 16, 9}};
    MvChannelHandle ch = open_channel(nh, net, MV_CHANNELTYPE_CONFIGFETCH, TAG_CFG, cfg_rx,
                                      sizeof cfg_rx, cfg_tx, sizeof cfg_tx);
    if (!ch || mvSendConfigFetchRequest(ch, &req) != MV_STATUS_OKAY)
        goto out;
    for (int i = 0; i < 100 && st == MV_STATUS_RESPONSENOTPRESENT; i++) {
        st = mvReadConfigFetchResponseData(ch, &rd);
        if (st == MV_STATUS_RESPONSENOTPRESENT)
            app_port_wait_ms(100);
    }
    if (st == MV_STATUS_OKAY && rd.result == MV_CONFIGFETCHRESULT_OK &&
        read_item(ch, 0, cfg.host, sizeof cfg.host) == 0 &&
        read_item(ch, 1, port, sizeof port) == 0) {
        cfg.port = (uint16_t)atoi(port);
        rc = cfg.port ? 0 : -1;
    }
out:
    if (ch)
        mvCloseChannel(&ch);
    return rc;
}

/* ---- MQTT ------------------------------------------------------------------------------ */
/* APP_SHARED: mvCloseChannel writes the handle back (zeroed). */
static struct {
    MvChannelHandle ch;
    int up;
    uint32_t next_corr;
    unsigned long sent;
} mq APP_SHARED;

static void request_connect(void)
{
    /* The will: "offline" (retained) on the status topic if the device goes away without
     * disconnecting; "online" is published over it once connected. On the stack: string
     * literals are not application memory on every port. */
    char offline[8];
    memcpy(offline, "offline", 7);
    struct MvMqttWill will = {
        .topic = {(const uint8_t *)cfg.status_topic, (uint32_t)strlen(cfg.status_topic)},
        .payload = {(const uint8_t *)offline, 7},
        .qos = 1,
        .retain = 1,
    };
    struct MvMqttConnectRequest r = {
        .protocol_version = MV_MQTTPROTOCOLVERSION_V3_1_1,
        .host = {(const uint8_t *)cfg.host, (uint32_t)strlen(cfg.host)},
        .port = cfg.port,
        .clientid = {(const uint8_t *)cfg.id, (uint32_t)strlen(cfg.id)},
        .authentication = {.method = MV_MQTTAUTHENTICATIONMETHOD_NONE},
        .keepalive = 60,
        .clean_start = 1,
        .will = &will,
    };
    enum MvStatus st = mvMqttRequestConnect(mq.ch, &r);

    if (st != MV_STATUS_OKAY)
        mq_log("mqtt_demo: connect request refused (status %u)", (unsigned)st);
}

static void subscribe(void)
{
    struct MvMqttSubscription s = {
        .topic = {(const uint8_t *)cfg.cmd_topic, (uint32_t)strlen(cfg.cmd_topic)},
        .desired_qos = 1};
    struct MvMqttSubscribeRequest r = {
        .correlation_id = mq.next_corr++, .subscriptions = &s, .num_subscriptions = 1};

    mvMqttRequestSubscribe(mq.ch, &r);
}

static void publish_status(void)
{
    char online[8];
    memcpy(online, "online", 6);
    struct MvMqttPublishRequest r = {
        .correlation_id = mq.next_corr++,
        .topic = {(const uint8_t *)cfg.status_topic, (uint32_t)strlen(cfg.status_topic)},
        .payload = {(const uint8_t *)online, 6},
        .desired_qos = 1,
        .retain = 1,
    };

    mvMqttRequestPublish(mq.ch, &r);
}

static void on_connect_response(void)
{
    struct MvMqttConnectResponse r;

    if (mvMqttReadConnectResponse(mq.ch, &r) != MV_STATUS_OKAY)
        return;
    if (r.request_state != MV_MQTTREQUESTSTATE_REQUESTCOMPLETED || r.reason_code != 0) {
        mq_log("mqtt_demo: connect to %s:%u failed (state %u, reason %u)", cfg.host,
               (unsigned)cfg.port, (unsigned)r.request_state, (unsigned)r.reason_code);
        mvCloseChannel(&mq.ch); /* retried after RETRY_US */
        return;
    }
    mq.up = 1;
    mq_log("mqtt_demo: connected to %s:%u as %s", cfg.host, (unsigned)cfg.port, cfg.id);
    subscribe();
    publish_status();
}

static void on_subscribe_response(void)
{
    enum MvMqttRequestState state = MV_MQTTREQUESTSTATE_REQUESTCOMPLETED;
    uint32_t corr = 0, codes[1] = {0}, n = 0;
    struct MvMqttSubscribeResponse r = {&state, &corr, codes, sizeof codes, &n};

    if (mvMqttReadSubscribeResponse(mq.ch, &r) != MV_STATUS_OKAY)
        return;
    if (state == MV_MQTTREQUESTSTATE_REQUESTCOMPLETED && n == 1 && codes[0] <= 2u)
        mq_log("mqtt_demo: subscribed to %s (QoS %u)", cfg.cmd_topic, (unsigned)codes[0]);
    else
        mq_log("mqtt_demo: subscribe failed (state %u, code %u)", (unsigned)state,
               (unsigned)codes[0]);
}

static void on_publish_response(void)
{
    struct MvMqttPublishResponse r;

    if (mvMqttReadPublishResponse(mq.ch, &r) == MV_STATUS_OKAY &&
        (r.request_state != MV_MQTTREQUESTSTATE_REQUESTCOMPLETED || r.reason_code >= 0x80u))
        mq_log("mqtt_demo: publish %u failed (state %u, reason %u)", (unsigned)r.correlation_id,
               (unsigned)r.request_state, (unsigned)r.reason_code);
}

/* A command: logged, then acknowledged (for QoS 1 the broker's message is settled only
 * now: the relay kept it until this acknowledgement). */
static void on_message(void)
{
    uint32_t corr = 0, tlen = 0, plen = 0, qos = 0;
    uint8_t retain = 0;
    struct MvMqttMessage m = {&corr,
                              {(uint8_t *)rx_topic, sizeof rx_topic - 1, &tlen},
                              {(uint8_t *)rx_payload, sizeof rx_payload - 1, &plen},
                              &qos,
                              &retain};

    if (mvMqttReceiveMessage(mq.ch, &m) != MV_STATUS_OKAY)
        return;
    rx_topic[tlen] = 0;
    rx_payload[plen] = 0;
    mq_log("mqtt_demo: command on %s (QoS %u): %.200s", rx_topic, (unsigned)qos, rx_payload);
    mvMqttAcknowledgeMessage(mq.ch, corr);
}

static void on_lost(void)
{
    enum MvMqttLostMessageReason reason = MV_MQTTLOSTMESSAGEREASON_DEVICERECEIVEBUFFERTOOSMALL;
    char topic[128];
    uint32_t tlen = 0, len = 0;
    struct MvMqttLostMessageInfo l = {&reason, {(uint8_t *)topic, sizeof topic - 1, &tlen}, &len};

    if (mvMqttReceiveLostMessageInfo(mq.ch, &l) != MV_STATUS_OKAY)
        return;
    topic[tlen] = 0;
    mq_log("mqtt_demo: message on %s lost (%u bytes, too large for the receive buffer)", topic,
           (unsigned)len);
}

/* What the relay sent, in order (bounded per pass, so a read that fails cannot spin). */
static void drain(void)
{
    enum MvMqttReadableDataType t = MV_MQTTREADABLEDATATYPE_NONE;

    for (int i = 0; i < 32 && mq.ch && mvMqttGetNextReadableDataType(mq.ch, &t) == MV_STATUS_OKAY &&
                    t != MV_MQTTREADABLEDATATYPE_NONE;
         i++) {
        if (t == MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE)
            on_connect_response();
        else if (t == MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE)
            on_subscribe_response();
        else if (t == MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE)
            on_publish_response();
        else if (t == MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED)
            on_message();
        else if (t == MV_MQTTREADABLEDATATYPE_MESSAGELOST)
            on_lost();
        else /* unsubscribe or disconnect responses: this demo sends neither */
            break;
    }
}

static void publish_telemetry(unsigned long counter)
{
    char payload[96];
    int n = snprintf(payload, sizeof payload, "{\"counter\":%lu,\"uptime_s\":%lu}", counter,
                     (unsigned long)(now_us() / 1000000u));
    struct MvMqttPublishRequest r = {
        .correlation_id = mq.next_corr++,
        .topic = {(const uint8_t *)cfg.tel_topic, (uint32_t)strlen(cfg.tel_topic)},
        .payload = {(const uint8_t *)payload, (uint32_t)n},
        .desired_qos = 1};

    if (mvMqttRequestPublish(mq.ch, &r) == MV_STATUS_OKAY) {
        mq.sent++;
        mq_log("mqtt_demo: telemetry %s", payload);
    }
}

/* A closed channel (broker gone, network lost, relay restarted) is released. */
static int channel_closed(void)
{
    enum MvClosureReason why = MV_CLOSUREREASON_NONE;

    if (!mq.ch || mvGetChannelClosureReason(mq.ch, &why) != MV_STATUS_OKAY ||
        why == MV_CLOSUREREASON_NONE)
        return 0;
    mq_log("mqtt_demo: MQTT channel closed (reason %u), reconnecting", (unsigned)why);
    if (mvCloseChannel(&mq.ch) != MV_STATUS_OKAY)
        mq.ch = 0; /* cannot happen with a valid handle; never spin on it */
    mq.up = 0;
    return 1;
}

static void mqtt_demo_main(void)
{
    struct MvNotificationSetup ns = {MQ_IRQ, ring, sizeof ring};
    struct MvRequestNetworkParams rp = {.version = 1};
    MvNotificationHandle nh = 0;
    MvNetworkHandle net = 0;
    uint64_t next_tel = 0, retry_at = 0;
    unsigned long counter = 0;

    if (mvSetupNotifications(&ns, &nh) != MV_STATUS_OKAY ||
        app_port_set_irq_handler(MQ_IRQ, mq_irq) != 0 ||
        mvServerLoggingInit(log_buf, sizeof log_buf) != MV_STATUS_OKAY)
        return;
    mq_log("mqtt_demo: starting");
    rp.v1.notification_handle = nh;
    rp.v1.notification_tag = TAG_NET;
    /* The device id is exactly 34 characters ("UV" + 32 hex). */
    if (mvRequestNetwork(&rp, &net) != MV_STATUS_OKAY ||
        mvGetDeviceId((uint8_t *)cfg.id, 34) != MV_STATUS_OKAY) {
        mq_log("mqtt_demo: network or device id unavailable");
        return;
    }
    cfg.id[34] = 0;
    snprintf(cfg.cmd_topic, sizeof cfg.cmd_topic, "mvisor/%s/command", cfg.id);
    snprintf(cfg.tel_topic, sizeof cfg.tel_topic, "mvisor/%s/telemetry", cfg.id);
    snprintf(cfg.status_topic, sizeof cfg.status_topic, "mvisor/%s/status", cfg.id);
    wait_connected(net);
    while (fetch_broker(nh, net) != 0) {
        mq_log("mqtt_demo: config mqtt-host / mqtt-port unavailable, retrying");
        app_port_wait_ms(5000);
    }
    mq_log("mqtt_demo: broker %s:%u, commands on %s", cfg.host, (unsigned)cfg.port, cfg.cmd_topic);
    mq.next_corr = 1;
    for (;;) {
        uint64_t now = now_us();
        if (channel_closed())
            retry_at = now + RETRY_US;
        if (!mq.ch && now >= retry_at) {
            mq.ch = open_channel(nh, net, MV_CHANNELTYPE_MQTT, TAG_MQTT, mq_rx, sizeof mq_rx, mq_tx,
                                 sizeof mq_tx);
            if (mq.ch)
                request_connect();
            retry_at = now + RETRY_US;
        }
        drain();
        if (mq.ch && mq.up && now >= next_tel) {
            publish_telemetry(counter++);
            next_tel = now + TELEMETRY_US;
        }
        app_port_wait_ms(200);
    }
}

APP_PORT_MAIN(mqtt_demo, mqtt_demo_main)
