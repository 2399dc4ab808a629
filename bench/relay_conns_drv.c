/* relay_conns_drv: many idle mutually authenticated TLS clients on one epoll loop, for
 * bench/relay_conns.sh. Against mvrelay (mode relay) each client is a device: TLS with
 * its own certificate (all share one key: devices provisioned from one CSR), WebSocket
 * upgrade, HELLO, WELCOME, then idle, answering the relay's PINGs. Against Mosquitto
 * (mode mqtt) each is an MQTT 3.1.1 client with the same certificates: CONNECT, CONNACK,
 * idle. The same program, the same TLS library and settings on both sides.
 *   relay_conns_drv hold  MODE PORT CA KEY CERTS N      hold N clients (certs 0..N-1);
 *       prints "ready N ms F" (established, milliseconds to establish all, failed) and
 *       idles until stdin closes
 *   relay_conns_drv probe MODE PORT CA KEY CERTS I K    K times one new client with cert
 *       I: connect to WELCOME + PONG (CONNACK + PINGRESP); prints p50/p99/max ms
 * With MVBENCH_RECONNECT=1, hold reconnects every client that loses its connection after
 * a jittered back-off (0.5-2 s, doubling to 8 s), as devices do after a relay restart, and
 * prints "established N" each second (the integration test cloud/tests/integ_conns.sh). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "mvp/ctrl.h"
#include "mvp/frame.h"

#define INFLIGHT 64 /* handshakes at once: a burst, not a SYN flood */
#define RB 4096

enum phase { P_TCP, P_TLS, P_UPGRADE, P_WELCOME, P_IDLE, P_PONG, P_DONE, P_DEAD };

struct conn {
    int fd;
    SSL *ssl;
    enum phase ph;
    double retry_at; /* P_DEAD with reconnect: when to connect again (0: never) */
    double backoff;
    uint8_t *left; /* bytes of an incomplete message kept between reads */
    size_t nleft;
};

static int mqtt, port;
static SSL_CTX *ctx;
static EVP_PKEY *key;
static X509 **certs;
static size_t ncerts;
static int ep;
static unsigned established, failed;
static int reconnect;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what)
{
    fprintf(stderr, "relay_conns_drv: %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static void load(const char *ca, const char *keyfile, const char *certfile)
{
    ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx || SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1)
        die("CA");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    FILE *f = fopen(keyfile, "r");
    if (!f || !(key = PEM_read_PrivateKey(f, NULL, NULL, NULL)))
        die("key");
    fclose(f);
    if (!(f = fopen(certfile, "r")))
        die("certificates");
    X509 *x;
    size_t cap = 0;
    while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
        if (ncerts == cap && !(certs = realloc(certs, (cap = cap ? 2 * cap : 1024) * sizeof *certs)))
            die("memory");
        certs[ncerts++] = x;
    }
    fclose(f);
    ERR_clear_error();
}

static void watch(struct conn *c, uint32_t ev, int op)
{
    struct epoll_event e = {.events = ev, .data.ptr = c};
    epoll_ctl(ep, op, c->fd, &e);
}

static int start(struct conn *c, size_t cert)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    double backoff = c->backoff;
    memset(c, 0, sizeof *c);
    c->backoff = backoff;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c->fd < 0)
        return -1;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS)
        return -1;
    c->ssl = SSL_new(ctx);
    SSL_use_certificate(c->ssl, certs[cert]);
    SSL_use_PrivateKey(c->ssl, key);
    SSL_set_fd(c->ssl, c->fd);
    SSL_set_tlsext_host_name(c->ssl, "localhost");
    c->ph = P_TCP;
    watch(c, EPOLLOUT, EPOLL_CTL_ADD);
    return 0;
}

static void kill_conn(struct conn *c)
{
    if (c->ph == P_DEAD)
        return;
    if (c->ph < P_IDLE && !reconnect)
        failed++;
    if (reconnect) { /* jitter spreads a whole fleet's reconnects over the back-off */
        c->backoff = c->backoff ? (c->backoff < 4000 ? 2 * c->backoff : 8000) : 500;
        c->retry_at = now_ms() + c->backoff * (1 + 3 * (double)rand() / RAND_MAX) / 4 * 2;
    }
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    SSL_free(c->ssl);
    close(c->fd);
    free(c->left);
    c->left = NULL;
    c->ssl = NULL;
    c->ph = P_DEAD;
}

static int put(struct conn *c, const void *p, size_t n)
{
    return SSL_write(c->ssl, p, (int)n) == (int)n ? 0 : -1; /* small: fits the socket */
}

/* One masked binary WebSocket message holding one protocol frame. */
static int send_frame(struct conn *c, uint8_t type, const uint8_t *pl, uint32_t n)
{
    uint8_t f[128], m[160];
    int len = mvp_frame_encode(type, 0, 0, pl, n, f, sizeof f);
    if (len < 0 || len > 125)
        return -1;
    uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
    m[0] = 0x82;
    m[1] = (uint8_t)(0x80 | len);
    memcpy(m + 2, mask, 4);
    for (int i = 0; i < len; i++)
        m[6 + i] = f[i] ^ mask[i & 3];
    return put(c, m, (size_t)len + 6);
}

static int send_request(struct conn *c, size_t idx)
{
    if (mqtt) {
        char id[24];
        int il = snprintf(id, sizeof id, "bench%zu", idx);
        uint8_t p[64] = {0x10, (uint8_t)(12 + il), 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02,
                         0x02, 0x58, /* keepalive 600 s */ 0, (uint8_t)il};
        memcpy(p + 14, id, (size_t)il);
        return put(c, p, 14 + (size_t)il);
    }
    static const char req[] = "GET /v1/device HTTP/1.1\r\nHost: localhost\r\n"
                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mvisor.v1\r\n\r\n";
    return put(c, req, sizeof req - 1);
}

static int send_hello(struct conn *c)
{
    uint8_t b[64];
    struct mvp_hello h = {.ver_min = 1, .ver_max = 1, .log_next_seq = 1};
    h.boot_id = ((uint64_t)rand() << 20) | 1;
    int n = mvp_hello_encode(&h, b, sizeof b);
    return n < 0 ? -1 : send_frame(c, MVP_HELLO, b, (uint32_t)n);
}

/* Protocol frames inside one WebSocket message. */
static int on_frames(struct conn *c, const uint8_t *p, size_t n, int probe)
{
    while (n >= MVP_HDR_LEN) {
        struct mvp_hdr h;
        if (mvp_hdr_decode(p, &h, MVP_MAX_FRAME_PAYLOAD) < 0 || n < MVP_HDR_LEN + h.len)
            return -1;
        const uint8_t *pl = p + MVP_HDR_LEN;
        if (h.type == MVP_WELCOME && c->ph == P_WELCOME) {
            c->ph = probe ? P_PONG : P_IDLE;
            established++;
            uint8_t v[8] = {0, 0, 0, 0, 0, 0, 0, 7};
            if (probe && send_frame(c, MVP_PING, v, 8) < 0)
                return -1;
        } else if (h.type == MVP_PING) {
            if (send_frame(c, MVP_PONG, pl, h.len) < 0)
                return -1;
        } else if (h.type == MVP_PONG && c->ph == P_PONG) {
            c->ph = P_DONE;
        } else if (h.type == MVP_GOAWAY || h.type == MVP_ERROR) {
            return -1;
        }
        p += MVP_HDR_LEN + h.len;
        n -= MVP_HDR_LEN + h.len;
    }
    return 0;
}

/* Consumes whole messages (WebSocket frames or MQTT packets) from p; returns bytes used
 * or -1. */
static long on_bytes(struct conn *c, const uint8_t *p, size_t n, int probe)
{
    size_t used = 0;
    if (c->ph == P_UPGRADE && !mqtt) {
        const uint8_t *e = memmem(p, n, "\r\n\r\n", 4);
        if (!e)
            return 0;
        if (n < 12 || memcmp(p, "HTTP/1.1 101", 12) || send_hello(c) < 0)
            return -1;
        c->ph = P_WELCOME;
        used = (size_t)(e + 4 - p);
    }
    while (used < n) {
        const uint8_t *q = p + used;
        size_t avail = n - used;
        if (mqtt) {
            if (avail < 2)
                break;
            if (q[0] == 0x20 && c->ph == P_UPGRADE) {
                if (avail < 4 || q[3] != 0)
                    return avail < 4 ? (long)used : -1;
                established++;
                c->ph = probe ? P_PONG : P_IDLE;
                if (probe && put(c, "\xc0\x00", 2) < 0)
                    return -1;
            } else if (q[0] == 0xd0 && c->ph == P_PONG) {
                c->ph = P_DONE;
            }
            used += 2u + q[1];
            continue;
        }
        if (avail < 2)
            break;
        size_t hl = 2, len = q[1] & 0x7f;
        if (len == 126) {
            if (avail < 4)
                break;
            len = (size_t)q[2] << 8 | q[3];
            hl = 4;
        } else if (len == 127) {
            return -1; /* the relay never sends 64 KiB messages here */
        }
        if (avail < hl + len)
            break;
        if ((q[0] & 0x0f) == 8 || ((q[0] & 0x0f) == 2 && on_frames(c, q + hl, len, probe) < 0))
            return -1;
        used += hl + len;
    }
    return (long)used;
}

static void on_read(struct conn *c, int probe)
{
    static uint8_t buf[RB + 16384];
    for (;;) {
        if (c->nleft)
            memcpy(buf, c->left, c->nleft);
        int r = SSL_read(c->ssl, buf + c->nleft, RB);
        if (r <= 0) {
            int e = SSL_get_error(c->ssl, r);
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
                kill_conn(c);
            return;
        }
        size_t n = c->nleft + (size_t)r;
        long used = on_bytes(c, buf, n, probe);
        if (used < 0 || n - (size_t)used > 16384) {
            kill_conn(c);
            return;
        }
        free(c->left);
        c->left = NULL;
        c->nleft = n - (size_t)used;
        if (c->nleft) {
            if (!(c->left = malloc(c->nleft)))
                die("memory");
            memcpy(c->left, buf + used, c->nleft);
        }
    }
}

static void on_event(struct conn *c, size_t idx, int probe)
{
    if (c->ph == P_TCP) {
        int err = 0;
        socklen_t l = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err) {
            kill_conn(c);
            return;
        }
        c->ph = P_TLS;
    }
    if (c->ph == P_TLS) {
        int r = SSL_connect(c->ssl);
        if (r != 1) {
            int e = SSL_get_error(c->ssl, r);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
                watch(c, e == SSL_ERROR_WANT_READ ? EPOLLIN : EPOLLOUT, EPOLL_CTL_MOD);
            else
                kill_conn(c);
            return;
        }
        if (send_request(c, idx) < 0) {
            kill_conn(c);
            return;
        }
        c->ph = P_UPGRADE;
        watch(c, EPOLLIN, EPOLL_CTL_MOD);
    }
    on_read(c, probe);
}

static int pending(struct conn *cs, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += cs[i].ph < P_IDLE;
    return k;
}

static void run_events(struct conn *cs, size_t base, int probe, int timeout_ms)
{
    struct epoll_event ev[256];
    int n = epoll_wait(ep, ev, 256, timeout_ms);
    for (int i = 0; i < n; i++) {
        struct conn *c = ev[i].data.ptr;
        on_event(c, base + (size_t)(c - cs), probe);
    }
}

/* Reconnects the clients whose back-off has passed, and once a second prints how many are
 * established. */
static void redial(struct conn *cs, size_t n, double *report)
{
    double t = now_ms();
    unsigned idle = 0;
    int inflight = pending(cs, n);
    for (size_t i = 0; i < n; i++) {
        if (cs[i].ph == P_DEAD && cs[i].retry_at && cs[i].retry_at <= t &&
            inflight < INFLIGHT) {
            if (start(&cs[i], i) < 0)
                die("socket");
            inflight++;
        }
        if (cs[i].ph == P_IDLE && cs[i].backoff) /* up again: the next loss starts over */
            cs[i].backoff = 0;
        idle += cs[i].ph == P_IDLE;
    }
    if (t >= *report) {
        printf("established %u\n", idle);
        fflush(stdout);
        *report = t + 1000;
    }
}

static int hold(size_t n)
{
    struct conn *cs = calloc(n, sizeof *cs);
    size_t next = 0;
    double t0 = now_ms();
    if (!cs || n > ncerts)
        die("not enough certificates");
    while (next < n || pending(cs, next)) {
        while (next < n && pending(cs, next) < INFLIGHT) {
            if (start(&cs[next], next) < 0)
                die("socket (descriptor limit?)");
            next++;
        }
        run_events(cs, 0, 0, 1000);
        if (now_ms() - t0 > 600000)
            break;
    }
    printf("ready %u %.0f %u\n", established, now_ms() - t0, failed);
    fflush(stdout);
    struct pollfd in = {.fd = 0, .events = POLLIN};
    double report = now_ms() + 1000;
    for (;;) {
        run_events(cs, 0, 0, 200);
        if (reconnect)
            redial(cs, n, &report);
        char b[64];
        if (poll(&in, 1, 0) == 1 && read(0, b, sizeof b) <= 0)
            break;
    }
    unsigned alive = 0;
    for (size_t i = 0; i < n; i++)
        alive += cs[i].ph == P_IDLE;
    printf("alive %u\n", alive);
    return 0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int probe(size_t cert, int k)
{
    double *t = calloc((size_t)k, sizeof *t);
    int ok = 0;
    for (int i = 0; i < k; i++) {
        struct conn c;
        double t0 = now_ms();
        if (start(&c, cert) < 0)
            die("socket");
        while (c.ph != P_DONE && c.ph != P_DEAD && now_ms() - t0 < 10000)
            run_events(&c, cert, 1, 100);
        if (c.ph == P_DONE)
            t[ok++] = now_ms() - t0;
        if (c.ph == P_DONE)
            c.ph = P_IDLE; /* closing a finished probe is not a failure */
        kill_conn(&c);
        usleep(20000);
    }
    qsort(t, (size_t)ok, sizeof *t, cmp_d);
    printf("probe %d/%d p50 %.1f p99 %.1f max %.1f\n", ok, k, ok ? t[ok / 2] : -1,
           ok ? t[(ok * 99) / 100 < ok ? (ok * 99) / 100 : ok - 1] : -1, ok ? t[ok - 1] : -1);
    return ok == k ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 8 && argc != 9)
        die("usage: hold|probe relay|mqtt PORT CA KEY CERTS N | I K");
    mqtt = !strcmp(argv[2], "mqtt");
    reconnect = getenv("MVBENCH_RECONNECT") && !strcmp(getenv("MVBENCH_RECONNECT"), "1");
    port = atoi(argv[3]);
    srand((unsigned)getpid());
    signal(SIGPIPE, SIG_IGN); /* a write to a connection the server closed is an error */
    load(argv[4], argv[5], argv[6]);
    if ((ep = epoll_create1(0)) < 0)
        die("epoll");
    if (!strcmp(argv[1], "hold"))
        return hold((size_t)atol(argv[7]));
    return probe((size_t)atol(argv[7]), argc > 8 ? atoi(argv[8]) : 50);
}
