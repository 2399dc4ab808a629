/* relay_ingest_drv: one benchmark device for bench/relay_ingest.sh. It connects to mvrelay
 * over mutual TLS (the test device's wsclient.c), sends N log records in LOG batches of B
 * records with up to W batches unacknowledged, and times every batch from send to the
 * LOG_ACK that covers it (the relay acks only after COMMIT). A dropped connection is
 * retried: WELCOME's acked seq says where to resume, so unacked records are resent.
 *   relay_ingest_drv --port P --ca CA --identity DIR --boot HEX --records N --batch B
 *                    [--window W]
 * Prints one line: records= batch= window= t0= t1= rec_s= lat_mean_ms= lat_p99_ms= ... */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/log.h"
#include "ingest_report.h"
#include "tdev_link.h"
#include "wsclient.h"

#define MSG_LEN 80u
#define MAX_RETRIES 3

struct opts {
    int port;
    const char *ca, *id_dir;
    uint64_t boot;
    uint32_t records, batch, window;
};

struct inflight {
    uint32_t end_seq;
    double t_send;
};

struct drv {
    struct opts o;
    struct ws ws;
    struct tdev_link link;
    struct inflight *fl; /* ring of window entries */
    uint32_t fl_head, fl_n;
    double *lat_ms;
    size_t nlat;
    uint32_t acked, next;
    unsigned reconnects;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int send_frame(struct drv *d, uint8_t type, const uint8_t *p, uint32_t len)
{
    return tdev_send_frame(&d->ws, type, 0, p, len);
}

/* Next frame from the relay (relay PINGs answered): 1, or < 1 on close/error. */
static int next_frame(struct drv *d, struct mvp_frame *f)
{
    return tdev_next_frame(&d->link, f, -1);
}

/* Connects, says HELLO and resumes after the seq the relay reports stored. */
static int session_start(struct drv *d)
{
    char cert[512], key[512];
    uint8_t buf[128];
    struct mvp_frame f;
    struct mvp_welcome w;
    snprintf(cert, sizeof cert, "%s/device.cert.pem", d->o.id_dir);
    snprintf(key, sizeof key, "%s/device.key.pem", d->o.id_dir);
    tdev_link_init(&d->link, &d->ws);
    if (ws_connect(&d->ws, "localhost", d->o.port, "/v1/device", d->o.ca, cert, key, 10) < 0)
        return -1;
    struct mvp_hello h = {.ver_min = 1, .ver_max = 1, .boot_id = d->o.boot,
                          .log_next_seq = d->acked + 1,
                          .fw_version = (const uint8_t *)"relay_ingest", .fw_version_len = 12};
    int n = mvp_hello_encode(&h, buf, sizeof buf);
    if (n < 0 || send_frame(d, MVP_HELLO, buf, (uint32_t)n) < 0 || next_frame(d, &f) != 1 ||
        f.hdr.type != MVP_WELCOME || mvp_welcome_decode(f.payload, f.hdr.len, &w) < 0) {
        fprintf(stderr, "relay_ingest_drv: no WELCOME\n");
        return -1;
    }
    if (w.flags & MVP_WELCOME_LOG_ACKED_VALID && w.log_acked_seq > d->acked)
        d->acked = w.log_acked_seq;
    d->next = d->acked + 1; /* everything unacked is sent again */
    d->fl_n = 0;
    return 0;
}

static int send_batch(struct drv *d)
{
    static uint8_t payload[MVP_MAX_FRAME_PAYLOAD];
    char msg[MSG_LEN + 1];
    struct mvp_log_writer lw;
    uint32_t first = d->next, last = first + d->o.batch - 1;
    if (last > d->o.records)
        last = d->o.records;
    mvp_log_writer_init(&lw, payload, sizeof payload, d->o.boot);
    for (uint32_t s = first; s <= last; s++) {
        snprintf(msg, sizeof msg, "bench record %010u %-56s", s, "payload");
        struct mvp_log_rec r = {.seq = s, .device_us = s * 1000ull, .kind = MVP_LOG_KIND_MSG,
                                .msg = (const uint8_t *)msg, .msg_len = MSG_LEN};
        if (mvp_log_writer_add(&lw, &r) < 0)
            return -1;
    }
    int n = mvp_log_writer_end(&lw);
    if (n < 0 || send_frame(d, MVP_LOG, payload, (uint32_t)n) < 0)
        return -1;
    d->fl[(d->fl_head + d->fl_n) % d->o.window] = (struct inflight){last, now_s()};
    d->fl_n++;
    d->next = last + 1;
    return 0;
}

/* Retires every in-flight batch the ack covers, recording its latency. */
static int on_ack(struct drv *d, const struct mvp_frame *f)
{
    uint64_t boot;
    uint32_t seq;
    if (mvp_log_ack_decode(f->payload, f->hdr.len, &boot, &seq) < 0 || boot != d->o.boot)
        return -1;
    double t = now_s();
    while (d->fl_n && d->fl[d->fl_head].end_seq <= seq) {
        d->lat_ms[d->nlat++] = (t - d->fl[d->fl_head].t_send) * 1e3;
        d->fl_head = (d->fl_head + 1) % d->o.window;
        d->fl_n--;
    }
    if (seq > d->acked)
        d->acked = seq;
    return 0;
}

/* Runs the window until every record is acknowledged; -1 when the connection fails. */
static int pump(struct drv *d)
{
    struct mvp_frame f;
    while (d->acked < d->o.records) {
        while (d->fl_n < d->o.window && d->next <= d->o.records)
            if (send_batch(d) < 0)
                return -1;
        if (next_frame(d, &f) != 1)
            return -1;
        if (f.hdr.type == MVP_LOG_ACK && on_ack(d, &f) < 0)
            return -1;
        if (f.hdr.type == MVP_ERROR || f.hdr.type == MVP_GOAWAY)
            return -1;
    }
    return 0;
}

static void report(struct drv *d, double t0, double t1)
{
    ingest_report(d->o.records, d->o.batch, d->o.window, t0, t1, d->lat_ms, d->nlat,
                  d->reconnects);
}

static int parse(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){.window = 1};
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--port"))
            o->port = atoi(v);
        else if (!strcmp(k, "--ca"))
            o->ca = v;
        else if (!strcmp(k, "--identity"))
            o->id_dir = v;
        else if (!strcmp(k, "--boot"))
            o->boot = strtoull(v, NULL, 16);
        else if (!strcmp(k, "--records"))
            o->records = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--batch"))
            o->batch = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--window"))
            o->window = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--src"))
            ws_set_source(v);
        else
            return -1;
    }
    return o->port && o->ca && o->id_dir && o->boot && o->records && o->batch &&
                   o->batch <= 128 && o->window
               ? 0
               : -1;
}

int main(int argc, char **argv)
{
    static struct drv d;
    int rc = 1;
    d.ws.fd = -1;
    if (parse(argc, argv, &d.o) < 0) {
        fprintf(stderr, "usage: relay_ingest_drv --port P --ca CA --identity DIR --boot HEX "
                        "--records N --batch B(1..128) [--window W] [--src IPV4]\n");
        return 2;
    }
    d.fl = calloc(d.o.window, sizeof *d.fl);
    /* one latency per batch sent, resends included */
    d.lat_ms = calloc(d.o.records / d.o.batch + 1 + (size_t)MAX_RETRIES * d.o.window,
                      sizeof *d.lat_ms);
    if (!d.fl || !d.lat_ms)
        goto out;
    double t0 = 0;
    for (;;) {
        if (session_start(&d) == 0) {
            if (t0 == 0)
                t0 = now_s();
            if (pump(&d) == 0)
                break;
        }
        ws_close(&d.ws);
        if (++d.reconnects > MAX_RETRIES) {
            fprintf(stderr, "relay_ingest_drv: giving up at acked seq %u\n", d.acked);
            goto out;
        }
    }
    report(&d, t0, now_s());
    rc = 0;
out:
    ws_close(&d.ws);
    free(d.fl);
    free(d.lat_ms);
    return rc;
}
