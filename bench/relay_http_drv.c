/* relay_http_drv: one benchmark device for bench/relay_http.sh. It connects to mvrelay
 * over mutual TLS (the test device's wsclient.c, TCP_NODELAY), then for SECONDS runs a
 * closed loop as a Microvisor app would: OPEN an HTTP channel, wait for OPEN_OK, send one
 * HTTP_REQUEST (GET URL), read the HTTP_RESPONSE, CLOSE the channel. The latency of a
 * request is from sending HTTP_REQUEST to the last byte of HTTP_RESPONSE.
 *   relay_http_drv --port P --ca CA --identity DIR --url URL --seconds S --out FILE
 * Writes one latency (µs) per line to FILE and prints "requests=N failed=F elapsed=S". */
#define _POSIX_C_SOURCE 200809L
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/http.h"
#include "mvp/msg.h"
#include "tdev_link.h"
#include "wsclient.h"

#define WINDOW 8192u

struct drv {
    struct ws ws;
    struct tdev_link link;
    struct mvp_reader crd;
    uint8_t cbuf[MVP_MAX_MSG_PAYLOAD];
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int send_frame(struct drv *d, uint8_t type, uint16_t chan, const uint8_t *p, uint32_t len)
{
    return tdev_send_frame(&d->ws, type, chan, p, len);
}

/* Next frame from the relay (relay PINGs answered): 1, or < 1 on close/error. */
static int next_frame(struct drv *d, struct mvp_frame *f)
{
    return tdev_next_frame(&d->link, f, -1);
}

static int connect_dev(struct drv *d, int port, const char *ca, const char *id)
{
    char cert[512], key[512];
    uint8_t buf[128];
    struct mvp_frame f;
    snprintf(cert, sizeof cert, "%s/device.cert.pem", id);
    snprintf(key, sizeof key, "%s/device.key.pem", id);
    tdev_link_init(&d->link, &d->ws);
    if (ws_connect(&d->ws, "localhost", port, "/v1/device", ca, cert, key, 10) < 0)
        return -1;
    int one = 1;
    setsockopt(d->ws.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct mvp_hello h = {.ver_min = 1, .ver_max = 1, .boot_id = 1, .log_next_seq = 1,
                          .fw_version = (const uint8_t *)"relay_http", .fw_version_len = 10};
    int n = mvp_hello_encode(&h, buf, sizeof buf);
    if (n < 0 || send_frame(d, MVP_HELLO, 0, buf, (uint32_t)n) < 0 || next_frame(d, &f) != 1 ||
        f.hdr.type != MVP_WELCOME)
        return -1;
    return 0;
}

/* Waits for a frame of type on chan (others on that channel are an error). */
static int expect(struct drv *d, uint8_t type, uint16_t chan, struct mvp_frame *f)
{
    for (;;) {
        if (next_frame(d, f) != 1)
            return -1;
        if (f->hdr.chan == chan && f->hdr.type == type)
            return 0;
        if (f->hdr.chan == chan || f->hdr.type == MVP_GOAWAY || f->hdr.type == MVP_ERROR)
            return -1;
    }
}

/* One request on channel chan: 1 ok (status 200), 0 answered otherwise, -1 broken. */
static int one_request(struct drv *d, uint16_t chan, const uint8_t *req, size_t req_len,
                       double *lat)
{
    uint8_t open[64];
    struct mvp_open o = {.chan_type = 2, .window = WINDOW};
    struct mvp_frame f, m;
    int n = mvp_open_encode(&o, open, sizeof open);
    if (n < 0 || send_frame(d, MVP_OPEN, chan, open, (uint32_t)n) < 0 ||
        expect(d, MVP_OPEN_OK, chan, &f) < 0)
        return -1;
    mvp_reader_init(&d->crd, d->cbuf, sizeof d->cbuf, MVP_MAX_MSG_PAYLOAD);
    double t0 = now_s();
    if (send_frame(d, MVP_DATA, chan, req, (uint32_t)req_len) < 0)
        return -1;
    for (;;) {
        if (expect(d, MVP_DATA, chan, &f) < 0)
            return -1;
        size_t used = 0;
        int rc = mvp_reader_feed(&d->crd, f.payload, f.hdr.len, &used, &m);
        if (rc < 0)
            return -1;
        if (rc == 1)
            break;
    }
    *lat = now_s() - t0;
    uint8_t reason[4];
    mvp_u32_encode(6, reason, sizeof reason);
    if (send_frame(d, MVP_CLOSE, chan, reason, 4) < 0)
        return -1;
    struct mvp_http_response r;
    struct mvp_bytes h[MVP_MAX_HTTP_RESP_HEADERS];
    if (mvp_http_resp_decode(m.payload, m.hdr.len, &r, h, MVP_MAX_HTTP_RESP_HEADERS) < 0)
        return -1;
    return r.result == 0 && r.status_code == 200 ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *ca = NULL, *id = NULL, *url = NULL, *out = NULL;
    int port = 0;
    double secs = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--ca")) ca = argv[i + 1];
        else if (!strcmp(argv[i], "--identity")) id = argv[i + 1];
        else if (!strcmp(argv[i], "--url")) url = argv[i + 1];
        else if (!strcmp(argv[i], "--seconds")) secs = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--out")) out = argv[i + 1];
    }
    static struct drv d;
    FILE *fo = out ? fopen(out, "w") : NULL;
    if (!port || !ca || !id || !url || !fo || connect_dev(&d, port, ca, id) < 0) {
        fprintf(stderr, "relay_http_drv: bad arguments or no session\n");
        return 2;
    }
    static uint8_t req[MVP_HDR_LEN + 4096];
    struct mvp_http_request q = {.timeout_ms = 10000, .method = (const uint8_t *)"GET",
                                 .method_len = 3, .url = (const uint8_t *)url,
                                 .url_len = (uint16_t)strlen(url)};
    int n = mvp_http_req_encode(&q, req + MVP_HDR_LEN, sizeof req - MVP_HDR_LEN);
    if (n < 0)
        return 2;
    mvp_msg_hdr_encode(MVP_MSG_HTTP_REQUEST, (uint32_t)n, req);
    unsigned ok = 0, failed = 0;
    double start = now_s(), lat;
    for (uint16_t chan = 1; chan < 65535 && now_s() - start < secs; chan++) {
        int rc = one_request(&d, chan, req, MVP_HDR_LEN + (size_t)n, &lat);
        if (rc < 0) {
            fprintf(stderr, "relay_http_drv: session broke after %u requests\n", ok + failed);
            return 1;
        }
        if (rc == 1) {
            ok++;
            fprintf(fo, "%.0f\n", lat * 1e6);
        } else {
            failed++;
        }
    }
    fclose(fo);
    printf("requests=%u failed=%u elapsed=%.3f\n", ok, failed, now_s() - start);
    ws_close(&d.ws);
    return failed ? 1 : 0;
}
