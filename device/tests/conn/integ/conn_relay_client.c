/* Integration client: the real connection stack (TCP link, mbedTLS with the device
 * identity, WebSocket client, conn state machine) with a minimal fake kernel session,
 * against a real mvrelay. Checks HELLO/WELCOME over mutual TLS, that a LOG batch is
 * acknowledged, and that after a reconnect WELCOME reports the acknowledged seq.
 * Usage: conn_relay_client --identity DIR --relay wss://HOST:PORT [--timeout S]
 *        [--override-ca PEMFILE --expect-tls-failure] (the server must be refused) */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "mbedtls/x509.h"

#include "conn.h"
#include "conn_diag.h"
#include "identity.h"
#include "mvp/ctrl.h"
#include "mvp/log.h"
#include "port.h"
#include "rand.h"

#define N_RECORDS 3u

static uint64_t boot_id;
static int ups, downs;
static uint32_t acked; /* highest LOG_ACK seq for our boot */
static struct mvp_welcome last_w;

uint64_t mvk_port_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int mvk_port_entropy(uint8_t *buf, size_t n)
{
    while (n) {
        ssize_t r = getrandom(buf, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        buf += r;
        n -= (size_t)r;
    }
    return 0;
}

uint64_t mvk_session_boot_id(void)
{
    return boot_id;
}

uint32_t mvk_session_log_next_seq(void)
{
    return acked == N_RECORDS ? N_RECORDS + 1 : 1;
}

static void send_logs(void)
{
    uint8_t buf[512];
    struct mvp_log_writer lw;
    mvp_log_writer_init(&lw, buf, sizeof(buf), boot_id);
    for (uint32_t s = 1; s <= N_RECORDS; s++) {
        char msg[64];
        int n = snprintf(msg, sizeof(msg), "conn integration record %u", s);
        struct mvp_log_rec r = {
            s, mvk_port_now_us(), MVP_LOG_KIND_MSG, (const uint8_t *)msg, (uint16_t)n, 0};
        if (mvp_log_writer_add(&lw, &r) != 0) {
            fprintf(stderr, "client: log writer failed\n");
            exit(2);
        }
    }
    int len = mvp_log_writer_end(&lw);
    if (len < 0 || mvk_conn_send(MVP_LOG, 0, buf, (uint32_t)len) != 0) {
        fprintf(stderr, "client: cannot queue LOG batch (%d)\n", len);
        exit(2);
    }
    fprintf(stderr, "client: sent LOG batch seq 1..%u\n", N_RECORDS);
}

void mvk_session_up(const struct mvp_welcome *w)
{
    ups++;
    last_w = *w;
    fprintf(stderr, "client: WELCOME v%u max_payload=%u ping=%us flags=0x%x acked=%u\n", w->version,
            w->max_payload, w->ping_interval_s, w->flags, w->log_acked_seq);
    if (acked < N_RECORDS)
        send_logs();
}

void mvk_session_down(void)
{
    downs++;
}

void mvk_session_frame(const struct mvp_hdr *h, const uint8_t *payload)
{
    uint64_t b;
    uint32_t seq;
    if (h->type == MVP_LOG_ACK && mvp_log_ack_decode(payload, h->len, &b, &seq) == 0) {
        fprintf(stderr, "client: LOG_ACK boot=%016llx seq=%u\n", (unsigned long long)b, seq);
        if (b == boot_id && seq > acked)
            acked = seq;
        return;
    }
    fprintf(stderr, "client: frame %s on channel %u ignored\n", mvp_frame_type_name(h->type),
            h->chan);
}

void mvk_session_writable(void)
{
}

static void diag(enum mvk_conn_fail f, int32_t detail)
{
    fprintf(stderr, "client: connection: %s (%d)\n", mvk_conn_fail_name(f), (int)detail);
}

/* Runs the kernel loop until done() or the deadline; 0 when done. */
static int run_until(int (*done)(void), uint64_t deadline)
{
    while (!done()) {
        uint64_t now = mvk_port_now_us();
        if (now >= deadline)
            return -1;
        mvk_conn_poll(now);
        uint64_t next = mvk_conn_next_deadline_us();
        uint64_t wait = next > now ? next - now : 0;
        if (wait > 100000)
            wait = 100000;
        struct pollfd p = {mvk_host_link_fd(), POLLIN, 0};
        if (mvk_host_link_wants_write())
            p.events |= POLLOUT;
        if (p.fd >= 0)
            (void)poll(&p, 1, (int)(wait / 1000));
        else if (wait)
            (void)poll(NULL, 0, (int)(wait / 1000));
    }
    return 0;
}

static int failed_once(void)
{
    return mvk_conn_stats()->failures > 0 || ups > 0;
}

/* Replaces the loaded CA (the identity object is static and writable; the port only
 * hands it out as const). */
static int override_ca(const char *path)
{
    static uint8_t pem[8192];
    FILE *f = fopen(path, "rb");
    size_t n;
    if (!f)
        return -1;
    n = fread(pem, 1, sizeof(pem) - 1, f);
    fclose(f);
    if (n == 0 || n == sizeof(pem) - 1)
        return -1;
    pem[n] = '\0';
    struct mvk_identity *id = (struct mvk_identity *)mvk_port_identity();
    id->ca_pem = pem;
    id->ca_pem_len = n + 1;
    return 0;
}

/* The server is not signed by our CA: the first attempt must fail in the handshake with
 * a certificate verification error, and no session may come up. */
static int expect_tls_failure(uint64_t deadline)
{
    const struct mvk_conn_stats *st = mvk_conn_stats();
    if (run_until(failed_once, deadline) != 0 || ups != 0) {
        fprintf(stderr, "FAIL: no handshake failure (ups=%d)\n", ups);
        return 1;
    }
    if (st->last_fail != MVK_CONN_FAIL_TLS ||
        st->last_detail != MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        fprintf(stderr, "FAIL: failure %s (%d), want tls (%d)\n", mvk_conn_fail_name(st->last_fail),
                (int)st->last_detail, MBEDTLS_ERR_X509_CERT_VERIFY_FAILED);
        return 1;
    }
    mvk_conn_set_wanted(0);
    printf("PASS: server with a foreign CA refused\n");
    return 0;
}

static int all_acked(void)
{
    return acked == N_RECORDS;
}

static int second_session(void)
{
    return ups == 2;
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *url = NULL, *ca = NULL;
    int expect_fail = 0;
    char err[512];
    int timeout_s = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--identity") == 0)
            dir = argv[i + 1];
        else if (strcmp(argv[i], "--relay") == 0)
            url = argv[i + 1];
        else if (strcmp(argv[i], "--timeout") == 0)
            timeout_s = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--override-ca") == 0)
            ca = argv[i + 1];
    }
    for (int i = 1; i < argc; i++)
        expect_fail |= strcmp(argv[i], "--expect-tls-failure") == 0;
    if (!dir || !url) {
        fprintf(stderr, "usage: %s --identity DIR --relay wss://HOST:PORT [--timeout S]\n",
                argv[0]);
        return 2;
    }
    if (mvk_host_identity_load(dir, url, err, sizeof(err)) != 0) {
        fprintf(stderr, "client: %s\n", err);
        return 2;
    }
    if (ca && override_ca(ca) != 0) {
        fprintf(stderr, "client: cannot read %s\n", ca);
        return 2;
    }
    if (mvk_rand_init() != 0 || mvk_rand_u64(&boot_id) != 0) {
        fprintf(stderr, "client: no entropy\n");
        return 2;
    }
    boot_id |= 1; /* never 0 */
    uint64_t deadline = mvk_port_now_us() + (uint64_t)timeout_s * 1000000u;
    mvk_conn_init();
    mvk_conn_set_diag_hook(diag);
    mvk_conn_set_wanted(1);
    if (expect_fail)
        return expect_tls_failure(deadline);
    if (run_until(all_acked, deadline) != 0) {
        fprintf(stderr, "FAIL: no LOG_ACK for seq %u (ups=%d acked=%u)\n", N_RECORDS, ups, acked);
        return 1;
    }
    /* Reconnect: the relay must report what it stored for this boot. */
    mvk_conn_set_wanted(0);
    mvk_conn_set_wanted(1);
    if (run_until(second_session, deadline) != 0) {
        fprintf(stderr, "FAIL: no second session\n");
        return 1;
    }
    if (!(last_w.flags & MVP_WELCOME_LOG_ACKED_VALID) || last_w.log_acked_seq != N_RECORDS) {
        fprintf(stderr, "FAIL: second WELCOME flags=0x%x log_acked_seq=%u, want %u\n", last_w.flags,
                last_w.log_acked_seq, N_RECORDS);
        return 1;
    }
    mvk_conn_set_wanted(0);
    if (downs != 2) {
        fprintf(stderr, "FAIL: %d session downs, want 2\n", downs);
        return 1;
    }
    printf("PASS: mutual TLS session, LOG batch acknowledged, acked seq reported on reconnect\n");
    return 0;
}
