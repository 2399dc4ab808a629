/* relay_ingest_many: many benchmark devices on one epoll loop, for bench/relay_ingest.sh.
 * One process holds all N devices so that the driver costs little CPU next to the relay
 * (one process per device, 256 of them on 2 cores, mostly measured their own scheduling).
 * Each device does what relay_ingest_drv does for one: mutual TLS with its own
 * certificate and key, WebSocket upgrade, HELLO, then RECORDS log records in LOG batches
 * of BATCH with up to WINDOW batches unacknowledged; every LOG_ACK must cover exactly the
 * oldest batches in flight (no ack for a seq never sent, no ack going backwards), and
 * each batch is timed from its send to the LOG_ACK covering it. A dropped connection is
 * retried (at most 3 times per device): WELCOME's acked seq says where to resume.
 *   relay_ingest_many --port P --ca CA --identities PREFIX --devices N --boot HEX
 *                     --records R --batch B [--window W]
 * Device i (1..N) uses PREFIX<i>/device.{cert,key}.pem and connects from 127.1.(i/256).
 * (i%256), as relay_ingest.sh's single-device runs do. Prints one line per device, as
 * relay_ingest_drv does; exits 1 unless every device finished. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/log.h"
#include "ingest_report.h"
#include "ws_hdr.h"

#define MSG_LEN 80u
#define MAX_RETRIES 3
#define INFLIGHT 64      /* handshakes at once: the relay's per-address cap is not hit */
#define RUN_LIMIT_S 120.0 /* the whole run, as the single driver's `timeout 60` per device */

enum phase { P_TCP, P_TLS, P_UPGRADE, P_WELCOME, P_RUN, P_DONE, P_DEAD };

struct inflight {
    uint32_t end_seq;
    double t_send;
};

struct dev {
    unsigned idx; /* 1..N */
    int fd;
    SSL *ssl;
    enum phase ph;
    X509 *cert;
    EVP_PKEY *key;
    uint8_t *in, *out; /* received bytes not yet parsed; bytes not yet taken by TLS */
    size_t nin, cap_in, nout, cap_out;
    struct inflight *fl; /* ring of window entries */
    uint32_t fl_head, fl_n, acked, next;
    double *lat_ms;
    size_t nlat;
    double t0, t1;
    unsigned reconnects;
};

static struct {
    int port;
    const char *ca, *prefix;
    unsigned ndev;
    uint64_t boot;
    uint32_t records, batch, window;
} o;
static SSL_CTX *ctx;
static int ep;
static unsigned finished, given_up;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    fprintf(stderr, "relay_ingest_many: %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static void load_identity(struct dev *d)
{
    char path[512];
    snprintf(path, sizeof path, "%s%u/device.cert.pem", o.prefix, d->idx);
    FILE *f = fopen(path, "r");
    if (!f || !(d->cert = PEM_read_X509(f, NULL, NULL, NULL)))
        die(path);
    fclose(f);
    snprintf(path, sizeof path, "%s%u/device.key.pem", o.prefix, d->idx);
    if (!(f = fopen(path, "r")) || !(d->key = PEM_read_PrivateKey(f, NULL, NULL, NULL)))
        die(path);
    fclose(f);
}

static void watch(struct dev *d, int op)
{
    struct epoll_event e = {.events = EPOLLIN | (d->nout || d->ph == P_TCP ? EPOLLOUT : 0u),
                            .data.ptr = d};
    epoll_ctl(ep, op, d->fd, &e);
}

static void grow(uint8_t **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 4096;
    while (c < need)
        c *= 2;
    if (!(*p = realloc(*p, c)))
        die("memory");
    *cap = c;
}

/* Hands what is queued to TLS; what the socket does not take waits for EPOLLOUT. */
static int flush(struct dev *d)
{
    int had = d->nout > 0;
    while (d->nout) {
        int r = SSL_write(d->ssl, d->out, (int)d->nout);
        if (r <= 0) {
            int e = SSL_get_error(d->ssl, r);
            if (e != SSL_ERROR_WANT_WRITE && e != SSL_ERROR_WANT_READ)
                return -1;
            break;
        }
        memmove(d->out, d->out + r, d->nout - (size_t)r);
        d->nout -= (size_t)r;
    }
    if (had != (d->nout > 0))
        watch(d, EPOLL_CTL_MOD);
    return 0;
}

static void queue_bytes(struct dev *d, const void *p, size_t n)
{
    grow(&d->out, &d->cap_out, d->nout + n);
    memcpy(d->out + d->nout, p, n);
    d->nout += n;
}

/* One masked binary WebSocket message holding one protocol frame. */
static void queue_frame(struct dev *d, uint8_t type, const uint8_t *pl, uint32_t n)
{
    static uint8_t f[MVP_HDR_LEN + MVP_MAX_FRAME_PAYLOAD];
    static const uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
    int len = mvp_frame_encode(type, 0, MVP_CTRL_CHANNEL, pl, n, f, sizeof f);
    if (len < 0)
        die("frame encode");
    uint8_t h[8];
    size_t hl = 2;
    h[0] = 0x82;
    if (len < 126) {
        h[1] = (uint8_t)(0x80 | len);
    } else {
        h[1] = 0x80 | 126;
        h[2] = (uint8_t)(len >> 8);
        h[3] = (uint8_t)len;
        hl = 4;
    }
    memcpy(h + hl, mask, 4);
    queue_bytes(d, h, hl + 4);
    for (int i = 0; i < len; i++)
        f[i] ^= mask[i & 3];
    queue_bytes(d, f, (size_t)len);
}

static void start(struct dev *d)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o.port)};
    struct sockaddr_in src = {.sin_family = AF_INET};
    int one = 1;
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    /* Each device from its own address, as a fleet comes: from one address, 256 devices
     * would meet the relay's cap on unauthenticated connections per address. */
    src.sin_addr.s_addr = htonl(0x7f010000u | d->idx);
    d->nin = d->nout = 0;
    d->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (d->fd < 0)
        die("socket");
    setsockopt(d->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(d->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    if (bind(d->fd, (struct sockaddr *)&src, sizeof src) < 0 ||
        (connect(d->fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS))
        die("connect");
    if (!(d->ssl = SSL_new(ctx)) || SSL_use_certificate(d->ssl, d->cert) != 1 ||
        SSL_use_PrivateKey(d->ssl, d->key) != 1)
        die("TLS identity");
    SSL_set_mode(d->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_set_fd(d->ssl, d->fd);
    SSL_set_tlsext_host_name(d->ssl, "localhost");
    d->ph = P_TCP;
    watch(d, EPOLL_CTL_ADD);
}

static void close_conn(struct dev *d)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, d->fd, NULL);
    SSL_free(d->ssl);
    close(d->fd);
    d->ssl = NULL;
    d->fd = -1;
}

/* The connection failed: reconnect (resending everything unacked) or give up. */
static void lost(struct dev *d, const char *why)
{
    close_conn(d);
    if (++d->reconnects > MAX_RETRIES) {
        fprintf(stderr, "relay_ingest_many: device %u: %s; giving up at acked seq %u\n",
                d->idx, why, d->acked);
        d->ph = P_DEAD;
        given_up++;
        return;
    }
    start(d);
}

static void send_batch(struct dev *d)
{
    static uint8_t payload[MVP_MAX_FRAME_PAYLOAD];
    char msg[MSG_LEN + 1];
    struct mvp_log_writer lw;
    uint32_t first = d->next, last = first + o.batch - 1;
    if (last > o.records)
        last = o.records;
    mvp_log_writer_init(&lw, payload, sizeof payload, o.boot);
    for (uint32_t s = first; s <= last; s++) {
        snprintf(msg, sizeof msg, "bench record %010u %-56s", s, "payload");
        struct mvp_log_rec r = {.seq = s, .device_us = s * 1000ull, .kind = MVP_LOG_KIND_MSG,
                                .msg = (const uint8_t *)msg, .msg_len = MSG_LEN};
        if (mvp_log_writer_add(&lw, &r) < 0)
            die("log writer");
    }
    int n = mvp_log_writer_end(&lw);
    if (n < 0)
        die("log writer");
    queue_frame(d, MVP_LOG, payload, (uint32_t)n);
    d->fl[(d->fl_head + d->fl_n) % o.window] = (struct inflight){last, now_s()};
    d->fl_n++;
    d->next = last + 1;
}

static void pump(struct dev *d)
{
    while (d->fl_n < o.window && d->next <= o.records)
        send_batch(d);
}

/* Retires every in-flight batch the ack covers, recording its latency; -1 when the ack
 * is for another boot, goes backwards, or covers a seq not sent. */
static int on_ack(struct dev *d, const uint8_t *p, uint32_t len)
{
    uint64_t boot;
    uint32_t seq;
    if (mvp_log_ack_decode(p, len, &boot, &seq) < 0 || boot != o.boot || seq <= d->acked ||
        seq >= d->next)
        return -1;
    double t = now_s();
    while (d->fl_n && d->fl[d->fl_head].end_seq <= seq) {
        d->lat_ms[d->nlat++] = (t - d->fl[d->fl_head].t_send) * 1e3;
        d->fl_head = (d->fl_head + 1) % o.window;
        d->fl_n--;
    }
    d->acked = seq;
    if (d->acked >= o.records) {
        d->t1 = t;
        d->ph = P_DONE;
        finished++;
    } else {
        pump(d);
    }
    return 0;
}

static int on_welcome(struct dev *d, const uint8_t *p, uint32_t len)
{
    struct mvp_welcome w;
    if (mvp_welcome_decode(p, len, &w) < 0)
        return -1;
    if (w.flags & MVP_WELCOME_LOG_ACKED_VALID && w.log_acked_seq > d->acked)
        d->acked = w.log_acked_seq;
    d->next = d->acked + 1; /* everything unacked is sent again */
    d->fl_n = d->fl_head = 0;
    d->ph = P_RUN;
    if (d->t0 == 0)
        d->t0 = now_s();
    pump(d);
    return 0;
}

/* The protocol frames of one WebSocket message. */
static int on_frames(struct dev *d, const uint8_t *p, size_t n)
{
    while (n >= MVP_HDR_LEN && d->ph != P_DONE) {
        struct mvp_hdr h;
        if (mvp_hdr_decode(p, &h, MVP_MAX_FRAME_PAYLOAD) < 0 || n < MVP_HDR_LEN + h.len)
            return -1;
        const uint8_t *pl = p + MVP_HDR_LEN;
        int rc = 0;
        if (h.type == MVP_WELCOME && d->ph == P_WELCOME)
            rc = on_welcome(d, pl, h.len);
        else if (h.type == MVP_LOG_ACK && d->ph == P_RUN)
            rc = on_ack(d, pl, h.len);
        else if (h.type == MVP_PING)
            queue_frame(d, MVP_PONG, pl, h.len);
        else if (h.type == MVP_GOAWAY || h.type == MVP_ERROR)
            rc = -1;
        if (rc < 0)
            return -1;
        p += MVP_HDR_LEN + h.len;
        n -= MVP_HDR_LEN + h.len;
    }
    return 0;
}

static int send_hello(struct dev *d)
{
    uint8_t b[128];
    struct mvp_hello h = {.ver_min = 1, .ver_max = 1, .boot_id = o.boot,
                          .log_next_seq = d->acked + 1,
                          .fw_version = (const uint8_t *)"relay_ingest", .fw_version_len = 12};
    int n = mvp_hello_encode(&h, b, sizeof b);
    if (n < 0)
        return -1;
    queue_frame(d, MVP_HELLO, b, (uint32_t)n);
    return 0;
}

/* Consumes whole messages from d->in: the upgrade answer, then WebSocket frames. */
static int parse(struct dev *d)
{
    size_t used = 0;
    if (d->ph == P_UPGRADE) {
        const uint8_t *e = memmem(d->in, d->nin, "\r\n\r\n", 4);
        if (!e)
            return 0;
        if (d->nin < 12 || memcmp(d->in, "HTTP/1.1 101", 12) || send_hello(d) < 0)
            return -1;
        d->ph = P_WELCOME;
        used = (size_t)(e + 4 - d->in);
    }
    while (used < d->nin && d->ph != P_DONE) {
        const uint8_t *q = d->in + used;
        size_t avail = d->nin - used, hl, len;
        int h = ws_hdr(q, avail, &hl, &len);
        if (h < 0)
            return -1;
        if (h == 0 || avail < hl + len)
            break;
        unsigned op = q[0] & 0x0fu;
        if (op == 8 || (op == 2 && on_frames(d, q + hl, len) < 0))
            return -1;
        if (op == 9) { /* a WebSocket ping: pong with its data, masked */
            uint8_t m[6 + 125] = {0x8a, (uint8_t)(0x80 | len), 0, 0, 0, 0};
            if (len > 125)
                return -1;
            memcpy(m + 6, q + hl, len);
            queue_bytes(d, m, 6 + len);
        }
        used += hl + len;
    }
    memmove(d->in, d->in + used, d->nin - used);
    d->nin -= used;
    return 0;
}

static int on_readable(struct dev *d)
{
    for (;;) {
        grow(&d->in, &d->cap_in, d->nin + 16384);
        int r = SSL_read(d->ssl, d->in + d->nin, 16384);
        if (r <= 0) {
            int e = SSL_get_error(d->ssl, r);
            return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : -1;
        }
        d->nin += (size_t)r;
        if (parse(d) < 0)
            return -1;
        if (d->ph == P_DONE)
            return 0;
    }
}

static int handshake(struct dev *d)
{
    static const char req[] = "GET /v1/device HTTP/1.1\r\nHost: localhost\r\n"
                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Sec-WebSocket-Version: 13\r\n"
                              "Sec-WebSocket-Protocol: mvisor.v1\r\n\r\n";
    int r = SSL_connect(d->ssl);
    if (r != 1) {
        int e = SSL_get_error(d->ssl, r);
        return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : -1;
    }
    d->ph = P_UPGRADE;
    queue_bytes(d, req, sizeof req - 1);
    return 0;
}

static void on_event(struct dev *d)
{
    int rc = 0;
    if (d->ph == P_TCP) {
        int err = 0;
        socklen_t l = sizeof err;
        getsockopt(d->fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err)
            return lost(d, "connect failed");
        d->ph = P_TLS;
        watch(d, EPOLL_CTL_MOD);
    }
    if (d->ph == P_TLS)
        rc = handshake(d);
    if (rc == 0 && d->ph >= P_UPGRADE)
        rc = on_readable(d);
    if (rc == 0 && d->ph != P_DONE)
        rc = flush(d);
    if (rc < 0)
        lost(d, "connection lost");
    else if (d->ph == P_DONE)
        close_conn(d);
}

static void report(struct dev *d)
{
    ingest_report(o.records, o.batch, o.window, d->t0, d->t1, d->lat_ms, d->nlat,
                  d->reconnects);
}

static int parse_args(int argc, char **argv)
{
    o.window = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--port"))
            o.port = atoi(v);
        else if (!strcmp(k, "--ca"))
            o.ca = v;
        else if (!strcmp(k, "--identities"))
            o.prefix = v;
        else if (!strcmp(k, "--devices"))
            o.ndev = (unsigned)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--boot"))
            o.boot = strtoull(v, NULL, 16);
        else if (!strcmp(k, "--records"))
            o.records = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--batch"))
            o.batch = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--window"))
            o.window = (uint32_t)strtoul(v, NULL, 10);
        else
            return -1;
    }
    return o.port && o.ca && o.prefix && o.ndev && o.ndev < 65536 && o.boot && o.records &&
                   o.batch && o.batch <= 128 && o.window
               ? 0
               : -1;
}

/* Starts at most INFLIGHT handshakes at a time (a burst, not a SYN flood). */
static void admit(struct dev *ds, unsigned *started)
{
    unsigned handshaking = 0;
    for (unsigned i = 0; i < *started; i++)
        handshaking += ds[i].ph < P_RUN;
    while (*started < o.ndev && handshaking < INFLIGHT) {
        start(&ds[(*started)++]);
        handshaking++;
    }
}

int main(int argc, char **argv)
{
    if (parse_args(argc, argv) < 0) {
        fprintf(stderr, "usage: relay_ingest_many --port P --ca CA --identities PREFIX "
                        "--devices N --boot HEX --records R --batch B(1..128) [--window W]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx || SSL_CTX_load_verify_locations(ctx, o.ca, NULL) != 1)
        die("CA");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if ((ep = epoll_create1(0)) < 0)
        die("epoll");
    struct dev *ds = calloc(o.ndev, sizeof *ds);
    if (!ds)
        die("memory");
    for (unsigned i = 0; i < o.ndev; i++) {
        ds[i].idx = i + 1;
        ds[i].fd = -1;
        ds[i].fl = calloc(o.window, sizeof *ds[i].fl);
        /* one latency per batch sent, resends included */
        ds[i].lat_ms = calloc(o.records / o.batch + 1 + (size_t)MAX_RETRIES * o.window,
                              sizeof *ds[i].lat_ms);
        if (!ds[i].fl || !ds[i].lat_ms)
            die("memory");
        load_identity(&ds[i]);
    }
    unsigned started = 0;
    double t_start = now_s(), limit = t_start + RUN_LIMIT_S;
    while (finished + given_up < o.ndev && now_s() < limit) {
        admit(ds, &started);
        struct epoll_event ev[256];
        int n = epoll_wait(ep, ev, 256, 200);
        for (int i = 0; i < n; i++) {
            struct dev *d = ev[i].data.ptr;
            if (d->fd >= 0 && d->ph != P_DONE && d->ph != P_DEAD)
                on_event(d);
        }
    }
    if (finished < o.ndev) {
        fprintf(stderr, "relay_ingest_many: %u of %u devices finished\n", finished, o.ndev);
        return 1;
    }
    for (unsigned i = 0; i < o.ndev; i++)
        report(&ds[i]);
    /* Every batch of every device together: the fleet's p99 (the table's p99 is the
     * worst device's own p99, a far tail with hundreds of devices). */
    size_t all = 0;
    for (unsigned i = 0; i < o.ndev; i++)
        all += ds[i].nlat;
    double *pool = malloc((all ? all : 1) * sizeof *pool);
    if (!pool)
        die("memory");
    all = 0;
    for (unsigned i = 0; i < o.ndev; i++)
        for (size_t k = 0; k < ds[i].nlat; k++)
            pool[all++] = ds[i].lat_ms[k];
    qsort(pool, all, sizeof *pool, ingest_cmp_double);
    if (all)
        fprintf(stderr, "driver: all %zu batches: LOG_ACK latency p50 %.1f ms, p99 %.1f ms, "
                        "max %.1f ms\n",
                all, pool[all / 2], pool[(all * 99 + 99) / 100 - 1], pool[all - 1]);
    free(pool);
    /* What the driver itself cost, next to the relay's CPU (relay_ingest.sh). */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    fprintf(stderr, "driver: %u devices, CPU %.1f s in %.1f s (%.0f %% of a core)\n", o.ndev,
            cpu, now_s() - t_start, cpu / (now_s() - t_start) * 100);
    return 0;
}
