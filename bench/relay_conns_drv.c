/* relay_conns_drv: many idle mutually authenticated TLS clients on one epoll loop, for
 * bench/relay_conns.sh. Against mvrelay (mode relay) each client is a device: TLS with
 * its own certificate (all share one key: devices provisioned from one CSR), WebSocket
 * upgrade, HELLO, WELCOME, then idle, answering the relay's PINGs. Against Mosquitto
 * (mode mqtt) each is an MQTT 3.1.1 client with the same certificates: CONNECT, CONNACK,
 * idle. The same program, the same TLS library and settings on both sides.
 *   relay_conns_drv hold  MODE PORT CA KEY CERTS N [BASE]   hold N clients (certs
 *       BASE..BASE+N-1, so that several processes can share a descriptor-limited load);
 *       prints "ready N ms F" (established, milliseconds to establish all, failed) and
 *       idles until stdin closes. A line "drop K" on stdin starts a reconnect storm: K held
 *       clients are reset at once (RST, as when power or the network goes) and reconnect
 *       with the device kernel's jittered back-off (device/kernel/conn/backoff.c: 100 ms +
 *       uniform 0..500 ms, the ceiling doubling per failed attempt up to 5 s; a handshake
 *       not done within 10 s is a failed attempt); when all K are back it prints
 *       "back K P50 P99 MAX retries R lost L" (milliseconds from the drop until a client
 *       was established again, over the K; MAX is when all were back; failed attempts;
 *       established clients the server closed after the drop, which then reconnect too)
 *   relay_conns_drv probe MODE PORT CA KEY CERTS I K    K times one new client with cert
 *       I: connect to WELCOME + PONG (CONNACK + PINGRESP); prints p50/p99/max ms
 * With MVBENCH_BACK_FILE set, hold also writes each storm client's time to be back there
 * (one per line, for merging several processes' figures). With MVBENCH_PROBE_UNTIL=FILE,
 * probe stops before its next attempt once FILE exists, and MVBENCH_PROBE_GAP_MS (default
 * 20) sets the pause between attempts; a probe that fails (10 s) then counts as failed
 * without failing the run: during a storm the figure is how many were served, and how fast.
 * With MVBENCH_SPREAD_SRC=1 client i (certificate i) connects from its own loopback
 * address 127.1.0.0 + i, as a fleet comes from many addresses: the relay's per-address
 * cap on unauthenticated connections then limits no more than it would in the field.
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
#include "ws_hdr.h"

#define INFLIGHT 64 /* handshakes at once: a burst, not a SYN flood */
#define RB 4096

enum phase { P_TCP, P_TLS, P_UPGRADE, P_WELCOME, P_IDLE, P_PONG, P_DONE, P_DEAD };

struct conn {
    int fd;
    SSL *ssl;
    enum phase ph;
    double retry_at; /* P_DEAD with reconnect: when to connect again (0: never) */
    double backoff;
    double deadline; /* storm: a reconnect not established by then is a failed attempt */
    double t_back;   /* storm: when it was back, ms after the drop */
    unsigned attempt; /* storm: failed reconnect attempts so far */
    int storm;        /* dropped by "drop K": reconnects with the device back-off */
    int dropped;      /* dropped in the current storm (its t_back counts) */
    int is_back;      /* dropped, and established again since */
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
static int spread_src; /* MVBENCH_SPREAD_SRC=1: client i connects from 127.1.0.0 + i */

/* Reconnect storm state (one storm at a time). */
#define STORM_TIMEOUT_MS 10000.0
#define STORM_BASE_MS 500u    /* MVK_BACKOFF_BASE_MS */
#define STORM_CAP_MS 5000u    /* MVK_BACKOFF_RECENT_CAP_MS: the relay was just there */
#define STORM_FLOOR_MS 100u   /* MVK_BACKOFF_FLOOR_MS */
static double storm_t0;
static int storm_report; /* all are back: print the storm's figures */
static unsigned storm_n, storm_back, storm_retries;
static unsigned storm_lost; /* connections lost since the drop other than by the drop */
static int storm_armed, dropping; /* a storm began: every lost client reconnects */

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
    unsigned attempt = c->attempt;
    int storm = c->storm, dropped = c->dropped, is_back = c->is_back;
    memset(c, 0, sizeof *c);
    c->is_back = is_back;
    c->backoff = backoff;
    c->attempt = attempt;
    c->storm = storm;
    c->dropped = dropped;
    c->deadline = now_ms() + STORM_TIMEOUT_MS;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c->fd < 0)
        return -1;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (spread_src) { /* a fleet comes from many addresses, not one (per-address caps) */
        struct sockaddr_in src = {.sin_family = AF_INET};
        src.sin_addr.s_addr = htonl(0x7f010000u + (uint32_t)cert);
        setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(c->fd, (struct sockaddr *)&src, sizeof src) < 0)
            return -1;
    }
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

/* The device kernel's delay before reconnect attempt a: full jitter under a doubling
 * ceiling, plus a floor. */
static double storm_delay(unsigned a)
{
    uint32_t ceil_ms = STORM_BASE_MS;
    for (unsigned i = 0; i < a && ceil_ms < STORM_CAP_MS; i++)
        ceil_ms *= 2u;
    if (ceil_ms > STORM_CAP_MS)
        ceil_ms = STORM_CAP_MS;
    return STORM_FLOOR_MS + (double)((uint32_t)rand() % (ceil_ms + 1u));
}

static void kill_conn(struct conn *c)
{
    if (c->ph == P_DEAD)
        return;
    if (c->storm) { /* a failed reconnect attempt: back off further */
        storm_retries++;
        c->retry_at = now_ms() + storm_delay(++c->attempt);
    } else if (storm_armed && !dropping) {
        /* Lost by the server's doing during or after a storm (closed, GOAWAY): a device
         * reconnects, so this client does too; counted apart. */
        storm_lost++;
        c->storm = 1;
        c->attempt = 0;
        c->retry_at = now_ms() + storm_delay(0);
    } else if (c->ph < P_IDLE && !reconnect) {
        failed++;
    }
    if (reconnect && !c->storm) { /* jitter spreads a whole fleet's reconnects over the back-off */
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

/* c has just been established (WELCOME or CONNACK). */
static void on_established(struct conn *c, int probe)
{
    established++;
    c->ph = probe ? P_PONG : P_IDLE;
    if (!c->storm)
        return;
    c->storm = 0;
    if (!c->dropped || c->is_back)
        return;
    c->is_back = 1;
    c->t_back = now_ms() - storm_t0;
    if (++storm_back == storm_n)
        storm_report = 1;
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
            on_established(c, probe);
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
                on_established(c, probe);
                if (probe && put(c, "\xc0\x00", 2) < 0)
                    return -1;
            } else if (q[0] == 0xd0 && c->ph == P_PONG) {
                c->ph = P_DONE;
            }
            used += 2u + q[1];
            continue;
        }
        size_t hl, len;
        int h = ws_hdr(q, avail, &hl, &len);
        if (h < 0)
            return -1;
        if (h == 0 || avail < hl + len)
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

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Reconnects the clients whose back-off has passed (MVBENCH_RECONNECT: at most INFLIGHT
 * handshakes at once; storm: each on its own, as independent devices do), fails storm
 * handshakes past their deadline, and with MVBENCH_RECONNECT prints once a second how
 * many are established. */
static void redial(struct conn *cs, size_t n, size_t base, double *report)
{
    double t = now_ms();
    unsigned idle = 0;
    int inflight = reconnect ? pending(cs, n) : 0;
    for (size_t i = 0; i < n; i++) {
        struct conn *c = &cs[i];
        if (c->storm && c->ph < P_IDLE && t > c->deadline)
            kill_conn(c);
        if (c->ph == P_DEAD && c->retry_at && c->retry_at <= t &&
            (c->storm || inflight < INFLIGHT)) {
            if (start(c, base + i) < 0)
                die("socket");
            inflight += !c->storm;
        }
        if (c->ph == P_IDLE && c->backoff) /* up again: the next loss starts over */
            c->backoff = 0;
        idle += c->ph == P_IDLE;
    }
    if (reconnect && t >= *report) {
        printf("established %u\n", idle);
        fflush(stdout);
        *report = t + 1000;
    }
}

/* "drop K": resets up to K held clients at once (SO_LINGER 0: RST, no FIN handshake and
 * no TIME_WAIT, as when a device loses power or its network) and schedules each one's
 * first reconnect attempt with the device back-off. */
static void drop(struct conn *cs, size_t n, unsigned k)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    storm_t0 = now_ms();
    storm_n = storm_back = storm_retries = storm_lost = 0;
    storm_report = 0;
    storm_armed = dropping = 1;
    for (size_t i = 0; i < n && storm_n < k; i++) {
        struct conn *c = &cs[i];
        if (c->ph != P_IDLE)
            continue;
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        kill_conn(c);
        c->storm = c->dropped = 1;
        c->attempt = 0;
        c->retry_at = storm_t0 + storm_delay(0);
        storm_n++;
    }
    dropping = 0;
    storm_report = storm_n == 0;
}

static void storm_print(struct conn *cs, size_t n)
{
    double *t = malloc((storm_n ? storm_n : 1) * sizeof *t);
    size_t k = 0;
    if (!t)
        die("memory");
    for (size_t i = 0; i < n; i++)
        if (cs[i].dropped) {
            cs[i].dropped = cs[i].is_back = 0;
            if (k < storm_n)
                t[k++] = cs[i].t_back;
        }
    qsort(t, k, sizeof *t, cmp_d);
    const char *path = getenv("MVBENCH_BACK_FILE");
    FILE *f = path ? fopen(path, "w") : NULL;
    for (size_t i = 0; f && i < k; i++)
        fprintf(f, "%.1f\n", t[i]);
    if (f)
        fclose(f);
    printf("back %u %.1f %.1f %.1f retries %u lost %u\n", storm_back, k ? t[k / 2] : 0,
           k ? t[(k * 99) / 100] : 0, k ? t[k - 1] : 0, storm_retries, storm_lost);
    fflush(stdout);
    free(t);
    storm_report = 0;
}

static int hold(size_t n, size_t base)
{
    struct conn *cs = calloc(n, sizeof *cs);
    size_t next = 0;
    double t0 = now_ms();
    if (!cs || base + n > ncerts)
        die("not enough certificates");
    while (next < n || pending(cs, next)) {
        while (next < n && pending(cs, next) < INFLIGHT) {
            if (start(&cs[next], base + next) < 0)
                die("socket (descriptor limit?)");
            next++;
        }
        run_events(cs, base, 0, 1000);
        if (now_ms() - t0 > 600000)
            break;
    }
    printf("ready %u %.0f %u\n", established, now_ms() - t0, failed);
    fflush(stdout);
    struct pollfd in = {.fd = 0, .events = POLLIN};
    double report = now_ms() + 1000;
    for (;;) {
        run_events(cs, base, 0, 200);
        redial(cs, n, base, &report);
        if (storm_report)
            storm_print(cs, n);
        char b[64];
        unsigned k;
        ssize_t r = poll(&in, 1, 0) == 1 ? read(0, b, sizeof b - 1) : 1;
        if (r <= 0)
            break;
        b[r] = 0;
        if (r > 1 && sscanf(b, "drop %u", &k) == 1)
            drop(cs, n, k);
    }
    unsigned alive = 0;
    for (size_t i = 0; i < n; i++)
        alive += cs[i].ph == P_IDLE;
    printf("alive %u\n", alive);
    return 0;
}

static int probe(size_t cert, int k)
{
    double *t = calloc((size_t)k, sizeof *t);
    const char *until = getenv("MVBENCH_PROBE_UNTIL");
    const char *gap = getenv("MVBENCH_PROBE_GAP_MS");
    useconds_t gap_us = (useconds_t)(gap ? atoi(gap) : 20) * 1000u;
    int ok = 0, tried = 0;
    for (; tried < k && !(until && access(until, F_OK) == 0); tried++) {
        struct conn c = {0};
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
        usleep(gap_us);
    }
    qsort(t, (size_t)ok, sizeof *t, cmp_d);
    printf("probe %d/%d p50 %.1f p99 %.1f max %.1f\n", ok, tried, ok ? t[ok / 2] : -1,
           ok ? t[(ok * 99) / 100 < ok ? (ok * 99) / 100 : ok - 1] : -1, ok ? t[ok - 1] : -1);
    free(t);
    return ok == tried || until ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 8 && argc != 9)
        die("usage: hold|probe relay|mqtt PORT CA KEY CERTS N [BASE] | I K");
    mqtt = !strcmp(argv[2], "mqtt");
    reconnect = getenv("MVBENCH_RECONNECT") && !strcmp(getenv("MVBENCH_RECONNECT"), "1");
    spread_src = getenv("MVBENCH_SPREAD_SRC") && !strcmp(getenv("MVBENCH_SPREAD_SRC"), "1");
    port = atoi(argv[3]);
    srand((unsigned)getpid());
    signal(SIGPIPE, SIG_IGN); /* a write to a connection the server closed is an error */
    load(argv[4], argv[5], argv[6]);
    if ((ep = epoll_create1(0)) < 0)
        die("epoll");
    if (!strcmp(argv[1], "hold"))
        return hold((size_t)atol(argv[7]), argc > 8 ? (size_t)atol(argv[8]) : 0);
    return probe((size_t)atol(argv[7]), argc > 8 ? atoi(argv[8]) : 50);
}
