/* mvtmqtt: a scriptable MQTT test device for the bridge's integration tests and the
 * relay_mqtt benchmark. It connects like a device (proto/ over wsclient.c), opens MQTT
 * channels and runs the steps given on its command line, printing one line per typed
 * message received so scripts can grep results:
 *   mvtmqtt --port P --ca CA --identity DIR STEP...
 * Steps: open[:WINDOW]  connect:k=v,... (host port id v=3|5 clean ka user pass ca cert key
 *        wtopic wpayload wqos wretain nowait)  sub:CORR:QOS:TOPIC[,TOPIC..][:NL:RAP:RH]
 *        unsub:CORR:TOPIC[,TOPIC..]  pub:CORR:QOS:RETAIN:TOPIC:PAYLOAD (@N = N bytes)
 *        pubn:N:QOS:SIZE:TOPIC (N publishes within credit, waits for every answer, prints
 *        the rate)  ack[:CORR] (default: the last message)  ackall (every QoS 1/2 message
 *        not acknowledged yet)  count (prints the MESSAGEs so far)  autoack:0|1  quiet:0|1  disc
 * close  await:NAME[:N[:SECS]] recvn:N[:SECS] (N MESSAGEs, acked, latency summary)  sleep:MS
 * waitfile:PATH Each line printed for a MESSAGE carries its correlation id, QoS and topic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mv_syscalls.h"
#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/mqtt.h"
#include "mvp/msg.h"
#include "tdev_link.h"
#include "wsclient.h"


static struct ws ws;
static struct tdev_link tlink;
static struct mvp_reader chan_rd;
static uint8_t chan_buf[MVP_MAX_MSG_PAYLOAD];
static uint16_t chan;           /* current channel */
static uint32_t window = 65536; /* our receive buffer */
static uint32_t credit, consumed;
static int autoack, quiet, closed;
static unsigned counts[256]; /* typed messages received, by type; CLOSE at MVP_CLOSE */
static uint32_t last_corr;
static uint32_t unacked[4096]; /* QoS 1/2 messages received and not acknowledged */
static unsigned n_unacked;
/* recvn: latencies of timestamped messages (payload = sender's CLOCK_MONOTONIC us). */
#define LAT_MAX 100000
static int64_t *lat;
static unsigned lat_n;

static int64_t now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int send_frame(uint8_t type, uint16_t ch, const uint8_t *p, uint32_t len)
{
    return tdev_send_frame(&ws, type, ch, p, len);
}

static int send_u32(uint8_t type, uint32_t v)
{
    uint8_t b[4];
    mvp_u32_encode(v, b, sizeof b);
    return send_frame(type, chan, b, 4);
}

/* Next frame within secs; relay PINGs answered. 1, 0 timeout, -1 closed/error. */
static int next_frame(struct mvp_frame *f, int secs)
{
    int rc = tdev_next_frame(&tlink, f, secs * 1000);
    return rc == TDEV_CLOSED ? -1 : rc;
}

static void print_codes(const char *name, const uint8_t *p, uint32_t n)
{
    struct mvp_mqtt_suback a;
    uint32_t codes[MVP_MAX_MQTT_SUBS];
    if (mvp_mqtt_suback_decode(p, n, &a, codes, MVP_MAX_MQTT_SUBS) < 0) {
        printf("BAD %s\n", name);
        return;
    }
    printf("%s corr=%u state=%u codes=", name, a.correlation_id, a.request_state);
    for (size_t i = 0; i < a.num_reason_codes; i++)
        printf("%s%u", i ? "," : "", codes[i]);
    printf("\n");
}

static void on_message(const uint8_t *p, uint32_t n)
{
    struct mvp_mqtt_pub m;
    if (mvp_mqtt_pub_decode(p, n, &m) < 0) {
        printf("BAD MESSAGE\n");
        return;
    }
    last_corr = m.correlation_id;
    if (m.qos && !autoack && n_unacked < sizeof unacked / sizeof unacked[0])
        unacked[n_unacked++] = m.correlation_id;
    if (lat && lat_n < LAT_MAX) {
        char ts[32];
        size_t k = m.payload_len < sizeof ts - 1 ? m.payload_len : sizeof ts - 1;
        memcpy(ts, m.payload, k);
        ts[k] = '\0';
        lat[lat_n++] = now_us() - strtoll(ts, NULL, 10);
    }
    if (!quiet) {
        int show = m.payload_len <= 64;
        printf("MESSAGE corr=%u qos=%u retain=%u topic=%.*s len=%u payload=%.*s\n",
               m.correlation_id, m.qos, m.retain, (int)m.topic_len, (const char *)m.topic,
               m.payload_len, show ? (int)m.payload_len : 3,
               show ? (const char *)m.payload : "...");
    }
    if (autoack) {
        uint8_t b[MVP_HDR_LEN + 4];
        mvp_msg_hdr_encode(MVP_MSG_MQTT_MESSAGE_ACK, 4, b);
        mvp_u32_encode(m.correlation_id, b + MVP_HDR_LEN, 4);
        send_frame(MVP_DATA, chan, b, sizeof b); /* 12 bytes: always within credit here */
        credit -= sizeof b;
    }
}

static void print_msg(const struct mvp_frame *m)
{
    const uint8_t *p = m->payload;
    uint32_t n = m->hdr.len;
    struct mvp_mqtt_result r;
    struct mvp_mqtt_pubresp pr;
    struct mvp_mqtt_lost l;
    counts[m->hdr.type]++;
    switch (m->hdr.type) {
    case MVP_MSG_MQTT_CONNECT_RESP:
    case MVP_MSG_MQTT_DISCONNECT_RESP:
        if (mvp_mqtt_result_decode(p, n, &r) == 0)
            printf("%s state=%u code=%u\n",
                   m->hdr.type == MVP_MSG_MQTT_CONNECT_RESP ? "CONNECT_RESP" : "DISCONNECT_RESP",
                   r.request_state, r.code);
        break;
    case MVP_MSG_MQTT_PUBLISH_RESP:
        if (mvp_mqtt_pubresp_decode(p, n, &pr) == 0 && !quiet)
            printf("PUBLISH_RESP corr=%u state=%u reason=%u\n", pr.correlation_id, pr.request_state,
                   pr.reason_code);
        break;
    case MVP_MSG_MQTT_SUBSCRIBE_RESP: print_codes("SUBSCRIBE_RESP", p, n); break;
    case MVP_MSG_MQTT_UNSUBSCRIBE_RESP: print_codes("UNSUBSCRIBE_RESP", p, n); break;
    case MVP_MSG_MQTT_MESSAGE: on_message(p, n); break;
    case MVP_MSG_MQTT_LOST:
        if (mvp_mqtt_lost_decode(p, n, &l) == 0)
            printf("LOST reason=%u len=%u topic=%.*s\n", l.reason, l.message_len, (int)l.topic_len,
                   (const char *)l.topic);
        break;
    default: printf("UNKNOWN type=%u\n", m->hdr.type);
    }
}

/* Handles one frame on our channel; returns its type (MVP_CLOSE etc.). */
static int handle(const struct mvp_frame *f)
{
    uint32_t v = 0;
    if (f->hdr.type == MVP_DATA && f->hdr.chan == chan) {
        const uint8_t *p = f->payload;
        size_t len = f->hdr.len;
        while (len) {
            size_t used = 0;
            struct mvp_frame m;
            int rc = mvp_reader_feed(&chan_rd, p, len, &used, &m);
            p += used, len -= used;
            if (rc < 0) {
                printf("BAD DATA\n");
                return -1;
            }
            if (rc == 1)
                print_msg(&m);
        }
        consumed += f->hdr.len; /* consumed at once: credit back in halves */
        if (consumed >= window / 2) {
            send_u32(MVP_WINDOW, consumed);
            consumed = 0;
        }
    } else if (f->hdr.type == MVP_WINDOW && f->hdr.chan == chan &&
               !mvp_u32_decode(f->payload, f->hdr.len, &v)) {
        credit += v;
    } else if (f->hdr.type == MVP_CLOSE && f->hdr.chan == chan &&
               !mvp_u32_decode(f->payload, f->hdr.len, &v)) {
        printf("CLOSE chan=%u reason=%u\n", chan, v);
        counts[MVP_CLOSE]++;
        closed = 1;
    } else if (f->hdr.type == MVP_OPEN_OK && !mvp_u32_decode(f->payload, f->hdr.len, &v)) {
        credit = v;
        printf("OPEN_OK chan=%u\n", f->hdr.chan);
        counts[MVP_OPEN_OK]++;
    } else if (f->hdr.type == MVP_OPEN_ERR) {
        struct mvp_open_err e;
        printf("OPEN_ERR chan=%u status=%u\n", f->hdr.chan,
               mvp_open_err_decode(f->payload, f->hdr.len, &e) == 0 ? e.status : 0);
        counts[MVP_OPEN_OK]++;
    } else if (f->hdr.type == MVP_GOAWAY) {
        printf("GOAWAY\n");
    } else if (f->hdr.type != MVP_WELCOME && f->hdr.type != MVP_PONG) {
        printf("FRAME %s chan=%u\n", mvp_frame_type_name(f->hdr.type), f->hdr.chan);
    }
    return f->hdr.type;
}

/* Reads until counts[type] reaches want (type: message type or MVP_CLOSE/OPEN_OK). */
static int await_count(int type, unsigned want, int secs)
{
    int64_t end = now_us() + (int64_t)secs * 1000000;
    while (counts[type] < want) {
        struct mvp_frame f;
        int left = (int)((end - now_us()) / 1000000) + 1;
        int rc = now_us() < end ? next_frame(&f, left) : 0;
        if (rc <= 0) {
            printf(rc == 0 ? "TIMEOUT\n" : "EOF\n");
            return -1;
        }
        if (handle(&f) < 0)
            return -1;
    }
    return 0;
}

/* Sends bytes of the channel's typed-message stream within the relay's credit (reading
 * frames until credit is there), in DATA frames as large as credit allows. */
static int send_bytes(const uint8_t *buf, size_t total)
{
    size_t off = 0;
    while (off < total) {
        while (credit == 0) {
            struct mvp_frame f;
            if (next_frame(&f, 10) <= 0 || handle(&f) < 0 || closed)
                return -1;
        }
        size_t n = total - off;
        if (n > credit)
            n = credit;
        if (n > MVP_MAX_FRAME_PAYLOAD)
            n = MVP_MAX_FRAME_PAYLOAD;
        if (send_frame(MVP_DATA, chan, buf + off, (uint32_t)n) < 0)
            return -1;
        credit -= (uint32_t)n;
        off += n;
    }
    return 0;
}

/* Appends one typed message (header + body) to out; its total length or -1. */
static long put_msg(uint8_t *out, size_t cap, uint8_t type, const uint8_t *body, int blen)
{
    if (blen < 0 || MVP_HDR_LEN + (size_t)blen > cap)
        return -1;
    mvp_msg_hdr_encode(type, (uint32_t)blen, out);
    if (blen)
        memcpy(out + MVP_HDR_LEN, body, (size_t)blen);
    return (long)(MVP_HDR_LEN + (size_t)blen);
}

static int send_msg(uint8_t type, const uint8_t *body, int blen)
{
    static uint8_t buf[MVP_HDR_LEN + MVP_MAX_MSG_PAYLOAD];
    long n = put_msg(buf, sizeof buf, type, body, blen);
    return n < 0 ? -1 : send_bytes(buf, (size_t)n);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    static char bufs[3][8192];
    static int next;
    char *b = bufs[next++ % 3];
    if (!f)
        return NULL;
    *len = fread(b, 1, sizeof bufs[0], f);
    fclose(f);
    return b;
}

static int kv(const char *args, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    for (const char *p = args; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
        if (!strncmp(p, key, kl) && p[kl] == '=') {
            size_t n = strcspn(p + kl + 1, ",");
            if (n >= cap)
                n = cap - 1;
            memcpy(out, p + kl + 1, n);
            out[n] = '\0';
            return 1;
        }
    }
    return 0;
}

static struct mvp_bytes file_bytes(const char *args, const char *key, int *ok)
{
    char path[512];
    struct mvp_bytes b = {0};
    size_t n = 0;
    *ok = kv(args, key, path, sizeof path);
    if (*ok && (b.data = (const uint8_t *)read_file(path, &n)))
        b.len = (uint16_t)n;
    return b;
}

static int step_connect(const char *a)
{
    static char host[256], id[256], user[256], pass[256], wt[256], wp[256], v[16];
    static uint8_t body[MVP_MAX_MSG_PAYLOAD];
    struct mvp_bytes ca[1], cl[1];
    int has_ca, has_cert, has_key;
    struct mvp_mqtt_connect c = {.clean_start = 1, .keepalive = 60};
    kv(a, "host", host, sizeof host);
    kv(a, "id", id, sizeof id);
    if (kv(a, "port", v, sizeof v))
        c.port = (uint16_t)atoi(v);
    if (kv(a, "v", v, sizeof v))
        c.protocol_version = atoi(v) == 5;
    if (kv(a, "clean", v, sizeof v))
        c.clean_start = (uint8_t)atoi(v);
    if (kv(a, "ka", v, sizeof v))
        c.keepalive = (uint32_t)atoi(v);
    c.host = (const uint8_t *)host, c.host_len = (uint16_t)strlen(host);
    c.client_id = (const uint8_t *)id, c.client_id_len = (uint16_t)strlen(id);
    if (kv(a, "user", user, sizeof user)) {
        kv(a, "pass", pass, sizeof pass);
        c.auth_method = 1;
        c.username = (const uint8_t *)user, c.username_len = (uint16_t)strlen(user);
        c.password = (const uint8_t *)pass, c.password_len = (uint16_t)strlen(pass);
    }
    ca[0] = file_bytes(a, "ca", &has_ca);
    cl[0] = file_bytes(a, "cert", &has_cert);
    struct mvp_bytes key = file_bytes(a, "key", &has_key);
    if (has_ca) {
        c.has_tls = 1;
        c.tls = (struct mvp_mqtt_tls){.ca_certs = ca,
                                      .num_ca_certs = 1,
                                      .client_certs = cl,
                                      .num_client_certs = has_cert,
                                      .key = key.data,
                                      .key_len = key.len};
    }
    if (kv(a, "wtopic", wt, sizeof wt)) {
        kv(a, "wpayload", wp, sizeof wp);
        c.has_will = 1;
        c.will = (struct mvp_mqtt_will){.topic = (const uint8_t *)wt,
                                        .topic_len = (uint16_t)strlen(wt),
                                        .payload = (const uint8_t *)wp,
                                        .payload_len = (uint32_t)strlen(wp)};
        if (kv(a, "wqos", v, sizeof v))
            c.will.qos = (uint8_t)atoi(v);
        if (kv(a, "wretain", v, sizeof v))
            c.will.retain = (uint8_t)atoi(v);
    }
    if (send_msg(MVP_MSG_MQTT_CONNECT, body, mvp_mqtt_connect_encode(&c, body, sizeof body)) < 0)
        return -1;
    if (kv(a, "nowait", v, sizeof v)) /* the answer is not awaited (a close may follow) */
        return 0;
    return await_count(MVP_MSG_MQTT_CONNECT_RESP, counts[MVP_MSG_MQTT_CONNECT_RESP] + 1, 15);
}

/* Splits "a,b,c" into up to 8 topics (in place). */
static size_t split(char *s, char **out)
{
    size_t n = 0;
    for (char *t = strtok(s, ","); t && n < MVP_MAX_MQTT_SUBS; t = strtok(NULL, ","))
        out[n++] = t;
    return n;
}

static int step_sub(const char *a)
{
    char topics[2048], *t[MVP_MAX_MQTT_SUBS];
    unsigned corr, qos, nl = 0, rap = 0, rh = 0;
    uint8_t body[16384];
    struct mvp_mqtt_sub s[MVP_MAX_MQTT_SUBS];
    if (sscanf(a, "%u:%u:%2047[^:]:%u:%u:%u", &corr, &qos, topics, &nl, &rap, &rh) < 3)
        return -1;
    size_t n = split(topics, t);
    for (size_t i = 0; i < n; i++)
        s[i] = (struct mvp_mqtt_sub){.topic = (const uint8_t *)t[i],
                                     .topic_len = (uint16_t)strlen(t[i]),
                                     .qos = (uint8_t)qos,
                                     .nl = (uint8_t)nl,
                                     .rap = (uint8_t)rap,
                                     .rh = (uint8_t)rh};
    return send_msg(MVP_MSG_MQTT_SUBSCRIBE, body,
                    mvp_mqtt_subscribe_encode(corr, s, n, body, sizeof body));
}

static int step_unsub(const char *a)
{
    char topics[2048], *t[MVP_MAX_MQTT_SUBS];
    unsigned corr;
    uint8_t body[16384];
    struct mvp_bytes b[MVP_MAX_MQTT_SUBS];
    if (sscanf(a, "%u:%2047s", &corr, topics) < 2)
        return -1;
    size_t n = split(topics, t);
    for (size_t i = 0; i < n; i++)
        b[i] = (struct mvp_bytes){.data = (const uint8_t *)t[i], .len = (uint16_t)strlen(t[i])};
    return send_msg(MVP_MSG_MQTT_UNSUBSCRIBE, body,
                    mvp_mqtt_unsubscribe_encode(corr, b, n, body, sizeof body));
}

static int publish(uint32_t corr, unsigned qos, unsigned retain, const char *topic,
                   const uint8_t *payload, size_t plen)
{
    static uint8_t body[MVP_MAX_MSG_PAYLOAD];
    struct mvp_mqtt_pub p = {.correlation_id = corr,
                             .topic = (const uint8_t *)topic,
                             .topic_len = (uint16_t)strlen(topic),
                             .payload = payload,
                             .payload_len = (uint32_t)plen,
                             .qos = (uint8_t)qos,
                             .retain = (uint8_t)retain};
    return send_msg(MVP_MSG_MQTT_PUBLISH, body, mvp_mqtt_pub_encode(&p, body, sizeof body));
}

static const uint8_t *payload_of(const char *spec, size_t *len)
{
    static uint8_t big[MVP_MAX_MQTT_PAYLOAD + 16];
    if (spec[0] != '@') {
        *len = strlen(spec);
        return (const uint8_t *)spec;
    }
    *len = (size_t)atol(spec + 1);
    if (*len > sizeof big)
        *len = sizeof big;
    memset(big, 'x', *len);
    return big;
}

static int step_pub(const char *a)
{
    unsigned corr, qos, retain;
    char topic[1100], spec[1100] = "";
    if (sscanf(a, "%u:%u:%u:%1099[^:]:%1099[^\n]", &corr, &qos, &retain, topic, spec) < 4)
        return -1;
    size_t n;
    const uint8_t *p = payload_of(spec, &n);
    return publish(corr, qos, retain, topic, p, n);
}

/* N publishes as fast as credit allows, then every PUBLISH_RESP: prints msgs/s. The
 * messages go out in batches of up to 16 KiB per DATA frame, as the device kernel sends
 * what its channel send buffer holds. */
static int step_pubn(const char *a)
{
    static uint8_t batch[16384], body[MVP_MAX_MSG_PAYLOAD];
    unsigned n, qos, size;
    char topic[1100], spec[32];
    size_t plen, blen = 0;
    if (sscanf(a, "%u:%u:%u:%1099s", &n, &qos, &size, topic) < 4)
        return -1;
    snprintf(spec, sizeof spec, "@%u", size);
    const uint8_t *p = payload_of(spec, &plen);
    int q = quiet;
    quiet = 1;
    unsigned base = counts[MVP_MSG_MQTT_PUBLISH_RESP];
    int64_t t0 = now_us();
    for (unsigned i = 0; i < n; i++) {
        struct mvp_mqtt_pub m = {.correlation_id = i + 1,
                                 .topic = (const uint8_t *)topic,
                                 .topic_len = (uint16_t)strlen(topic),
                                 .payload = p,
                                 .payload_len = (uint32_t)plen,
                                 .qos = (uint8_t)qos};
        int bl = mvp_mqtt_pub_encode(&m, body, sizeof body);
        long k = put_msg(batch + blen, sizeof batch - blen, MVP_MSG_MQTT_PUBLISH, body, bl);
        if (k < 0) { /* batch full: send it, start the next */
            if (send_bytes(batch, blen) < 0)
                return -1;
            blen = 0;
            k = put_msg(batch, sizeof batch, MVP_MSG_MQTT_PUBLISH, body, bl);
            if (k < 0)
                return -1;
        }
        blen += (size_t)k;
        /* drain what arrived without waiting, so answers do not pile up */
        struct mvp_frame f;
        while (ws_readable(&ws, 0) && next_frame(&f, 1) == 1)
            handle(&f);
    }
    if (blen && send_bytes(batch, blen) < 0)
        return -1;
    int rc = await_count(MVP_MSG_MQTT_PUBLISH_RESP, base + n, 60);
    double secs = (double)(now_us() - t0) / 1e6;
    quiet = q;
    printf("PUBN n=%u qos=%u size=%u secs=%.3f rate=%.0f\n", n, qos, size, secs, n / secs);
    return rc;
}

static int step_open(const char *a)
{
    uint8_t buf[64];
    if (*a)
        window = (uint32_t)atoi(a);
    chan++;
    closed = 0;
    consumed = 0;
    credit = 0;
    struct mvp_open o = {.chan_type = MV_CHANNELTYPE_MQTT, .window = window};
    int n = mvp_open_encode(&o, buf, sizeof buf);
    mvp_reader_init(&chan_rd, chan_buf, sizeof chan_buf, MVP_MAX_MSG_PAYLOAD);
    if (n < 0 || send_frame(MVP_OPEN, chan, buf, (uint32_t)n) < 0)
        return -1;
    return await_count(MVP_OPEN_OK, counts[MVP_OPEN_OK] + 1, 10);
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* N timestamped MESSAGEs (acknowledged): prints the delivery latency p50/p99. */
static int step_recvn(const char *a)
{
    unsigned n = 0, secs = 60;
    if (sscanf(a, "%u:%u", &n, &secs) < 1 || n == 0 || n > LAT_MAX)
        return -1;
    lat = calloc(LAT_MAX, sizeof *lat);
    if (!lat)
        return -1;
    int q = quiet, aa = autoack;
    quiet = autoack = 1;
    lat_n = 0;
    printf("RECVN ready\n");
    int rc = await_count(MVP_MSG_MQTT_MESSAGE, counts[MVP_MSG_MQTT_MESSAGE] + n, (int)secs);
    quiet = q, autoack = aa;
    if (rc == 0) {
        qsort(lat, lat_n, sizeof *lat, cmp64);
        printf("RECVN n=%u p50_us=%lld p99_us=%lld\n", lat_n, (long long)lat[lat_n / 2],
               (long long)lat[(size_t)((double)lat_n * 0.99)]);
    }
    free(lat);
    lat = NULL;
    return rc;
}

static int step_await(const char *a)
{
    static const struct {
        const char *name;
        int type;
    } names[] = {
        {"CONNECT_RESP", MVP_MSG_MQTT_CONNECT_RESP},
        {"SUBSCRIBE_RESP", MVP_MSG_MQTT_SUBSCRIBE_RESP},
        {"UNSUBSCRIBE_RESP", MVP_MSG_MQTT_UNSUBSCRIBE_RESP},
        {"PUBLISH_RESP", MVP_MSG_MQTT_PUBLISH_RESP},
        {"MESSAGE", MVP_MSG_MQTT_MESSAGE},
        {"LOST", MVP_MSG_MQTT_LOST},
        {"DISCONNECT_RESP", MVP_MSG_MQTT_DISCONNECT_RESP},
        {"CLOSE", MVP_CLOSE},
    };
    char name[32];
    unsigned n = 1, secs = 10;
    if (sscanf(a, "%31[^:]:%u:%u", name, &n, &secs) < 1)
        return -1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i].name))
            return await_count(names[i].type, counts[names[i].type] + n, (int)secs);
    return -1;
}

static int step_ack(const char *a)
{
    uint8_t b[4];
    uint32_t corr = *a ? (uint32_t)strtoul(a, NULL, 10) : last_corr;
    return send_msg(MVP_MSG_MQTT_MESSAGE_ACK, b, mvp_mqtt_ack_encode(corr, b, sizeof b));
}

/* Acknowledges every QoS 1/2 message received so far. */
static int step_ackall(void)
{
    uint8_t b[4];
    for (unsigned i = 0; i < n_unacked; i++)
        if (send_msg(MVP_MSG_MQTT_MESSAGE_ACK, b, mvp_mqtt_ack_encode(unacked[i], b, sizeof b)) < 0)
            return -1;
    n_unacked = 0;
    return 0;
}

static int run_step(const char *s)
{
    const char *a = strchr(s, ':') ? strchr(s, ':') + 1 : "";
    if (!strncmp(s, "open", 4))
        return step_open(a);
    if (!strncmp(s, "connect:", 8))
        return step_connect(a);
    if (!strncmp(s, "sub:", 4))
        return step_sub(a);
    if (!strncmp(s, "unsub:", 6))
        return step_unsub(a);
    if (!strncmp(s, "pubn:", 5))
        return step_pubn(a);
    if (!strncmp(s, "pub:", 4))
        return step_pub(a);
    if (!strcmp(s, "ackall"))
        return step_ackall();
    if (!strcmp(s, "count")) {
        printf("COUNT messages=%u\n", counts[MVP_MSG_MQTT_MESSAGE]);
        return 0;
    }
    if (!strncmp(s, "ack", 3))
        return step_ack(a);
    if (!strncmp(s, "autoack:", 8))
        return autoack = atoi(a), 0;
    if (!strncmp(s, "quiet:", 6))
        return quiet = atoi(a), 0;
    if (!strcmp(s, "disc"))
        return send_msg(MVP_MSG_MQTT_DISCONNECT, NULL, 0);
    if (!strcmp(s, "close"))
        return send_u32(MVP_CLOSE, MV_CLOSUREREASON_CLOSEDBYAPPLICATION);
    if (!strncmp(s, "await:", 6))
        return step_await(a);
    if (!strncmp(s, "recvn:", 6))
        return step_recvn(a);
    if (!strncmp(s, "waitfile:", 9)) {
        for (int i = 0; i < 400 && access(a, F_OK) != 0; i++)
            usleep(50000);
        return access(a, F_OK) == 0 ? 0 : -1;
    }
    if (!strncmp(s, "sleep:", 6)) {
        /* keep reading meanwhile: answers and messages are printed as they come */
        int64_t end = now_us() + atoi(a) * 1000LL;
        struct mvp_frame f;
        while (now_us() < end) {
            int rc = next_frame(&f, 1);
            if (rc < 0)
                return -1;
            if (rc == 1)
                handle(&f);
        }
        return 0;
    }
    fprintf(stderr, "mvtmqtt: unknown step %s\n", s);
    return -1;
}

int main(int argc, char **argv)
{
    const char *ca = NULL, *id_dir = NULL;
    char cert[4200], key[4200];
    int port = 0, i = 1;
    for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
        if (!strcmp(argv[i], "--port"))
            port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--ca"))
            ca = argv[i + 1];
        else if (!strcmp(argv[i], "--identity"))
            id_dir = argv[i + 1];
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!port || !ca || !id_dir) {
        fprintf(stderr, "usage: mvtmqtt --port P --ca CA --identity DIR STEP...\n");
        return 2;
    }
    snprintf(cert, sizeof cert, "%s/device.cert.pem", id_dir);
    snprintf(key, sizeof key, "%s/device.key.pem", id_dir);
    tdev_link_init(&tlink, &ws);
    if (ws_connect(&ws, "localhost", port, "/v1/device", ca, cert, key, 10) < 0) {
        printf("CONNECT_FAILED\n");
        return 3;
    }
    uint8_t hb[128];
    struct mvp_hello h = {.ver_min = 1,
                          .ver_max = 1,
                          .boot_id = (uint64_t)now_us() | 1,
                          .log_next_seq = 1,
                          .fw_version = (const uint8_t *)"mvtmqtt",
                          .fw_version_len = 7};
    int hn = mvp_hello_encode(&h, hb, sizeof hb);
    struct mvp_frame f;
    if (hn < 0 || send_frame(MVP_HELLO, 0, hb, (uint32_t)hn) < 0 || next_frame(&f, 10) != 1 ||
        f.hdr.type != MVP_WELCOME) {
        printf("HELLO_FAILED\n");
        return 3;
    }
    printf("CONNECTED\n");
    int rc = 0;
    for (; i < argc && rc == 0; i++)
        if ((rc = run_step(argv[i])) != 0)
            printf("STEP_FAILED %s\n", argv[i]);
    fflush(stdout);
    ws_close(&ws);
    return rc == 0 ? 0 : 1;
}
