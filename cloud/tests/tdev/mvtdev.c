/* mvtdev: a scriptable test device for the relay's integration tests. It speaks the
 * device protocol (proto/ library) over wsclient.c and runs the steps given on its
 * command line, printing one line per frame received so scripts can grep results.
 *   mvtdev --port P --ca CA [--identity DIR] [--sockbuf BYTES] STEP...
 * Steps: hello:BOOT logs:BOOT:FIRST:N gap:BOOT:SEQ:DROPPED burst:BOOT:FIRST:N:K
 *        open:CHAN:TYPE:WINDOW[:EP]
 *        cfg:CHAN:SCOPE/STORE/KEY[,...] (scope a|d, store c|s) ping expect raw:HEX
 *        text:STR data:CHAN:N close:CHAN wait_close sleep:MS waitfile:PATH
 *        flood:N (PINGs 1..N without reading, until the writes stall)
 *        drain:N (PONGs 1..N in order, sending the rest; 0 = all the flood wrote)
 *        hdr:LINE body:TEXT bodyfile:PATH http:CHAN:METHOD:TIMEOUT_MS:URL (HTTP channel;
 *        httpsend: the same without waiting for the response)
 *        upd:CHAN:STATE[:APP] (an UPD_STATUS on an update channel, no wait) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "mvp/cfg.h"
#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "mvp/http.h"
#include "mvp/log.h"
#include "mvp/msg.h"
#include "mvp/update.h"
#include "tdev_link.h"
#include "wsclient.h"

static struct ws ws;
static struct tdev_link tlink;
static struct mvp_reader chan_rd;
static uint8_t chan_buf[MVP_MAX_MSG_PAYLOAD];

static int send_frame(uint8_t type, uint16_t chan, const uint8_t *p, uint32_t len)
{
    return tdev_send_frame(&ws, type, chan, p, len);
}

/* Next frame from the relay; relay PINGs are answered and skipped. 1, 0 closed, -1. */
static int next_frame(struct mvp_frame *f)
{
    int rc = tdev_next_frame(&tlink, f, -1);
    return rc == TDEV_CLOSED ? 0 : rc;
}

static void print_frame(const struct mvp_frame *f)
{
    const uint8_t *p = f->payload;
    uint32_t n = f->hdr.len, v = 0;
    uint64_t boot;
    struct mvp_welcome w;
    struct mvp_open_err oe;
    struct mvp_error e;
    struct mvp_goaway g;
    switch (f->hdr.type) {
    case MVP_WELCOME:
        if (mvp_welcome_decode(p, n, &w) == 0) {
            if (w.flags & MVP_WELCOME_LOG_ACKED_VALID)
                printf("WELCOME version=%u acked=%u window=%u ping=%u\n", w.version,
                       w.log_acked_seq, w.initial_window, w.ping_interval_s);
            else
                printf("WELCOME version=%u acked=none window=%u ping=%u\n", w.version,
                       w.initial_window, w.ping_interval_s);
            return;
        }
        break;
    case MVP_LOG_ACK:
        if (mvp_log_ack_decode(p, n, &boot, &v) == 0) {
            printf("LOG_ACK boot=%016llx seq=%u\n", (unsigned long long)boot, v);
            return;
        }
        break;
    case MVP_OPEN_OK:
    case MVP_WINDOW:
    case MVP_CLOSE:
        if (mvp_u32_decode(p, n, &v) == 0) {
            printf("%s chan=%u value=%u\n", mvp_frame_type_name(f->hdr.type), f->hdr.chan, v);
            return;
        }
        break;
    case MVP_OPEN_ERR:
        if (mvp_open_err_decode(p, n, &oe) == 0) {
            printf("OPEN_ERR chan=%u status=%u\n", f->hdr.chan, oe.status);
            return;
        }
        break;
    case MVP_ERROR:
        if (mvp_error_decode(p, n, &e) == 0) {
            printf("ERROR code=%u frame=%u msg=%.*s\n", e.code, e.frame_type, (int)e.msg_len,
                   (const char *)e.msg);
            return;
        }
        break;
    case MVP_GOAWAY:
        if (mvp_goaway_decode(p, n, &g) == 0) {
            printf("GOAWAY retry=%u reason=%u\n", g.retry_after_ms, g.reason);
            return;
        }
        break;
    default:
        printf("%s chan=%u len=%u\n", mvp_frame_type_name(f->hdr.type), f->hdr.chan, n);
        return;
    }
    printf("UNDECODABLE %s\n", mvp_frame_type_name(f->hdr.type));
}

static int expect_one(void)
{
    struct mvp_frame f;
    int rc = next_frame(&f);
    if (rc <= 0) {
        printf(rc == 0 ? "CLOSED code=%d\n" : "EOF\n", ws.close_code);
        return -1;
    }
    print_frame(&f);
    return 0;
}

static uint64_t parse_boot(const char *s) { return strtoull(s, NULL, 16); }

static int step_hello(const char *arg)
{
    uint8_t buf[128];
    struct mvp_hello h = {.ver_min = 1, .ver_max = 1, .boot_id = parse_boot(arg), .log_next_seq = 1,
                          .fw_version = (const uint8_t *)"mvtdev", .fw_version_len = 6};
    int n = mvp_hello_encode(&h, buf, sizeof buf);
    if (n < 0 || send_frame(MVP_HELLO, 0, buf, (uint32_t)n) < 0)
        return -1;
    return expect_one();
}

/* Sends one LOG batch: records FIRST..FIRST+N-1 (a GAP of N dropped for gap). */
static int send_logs(uint64_t boot, unsigned a, unsigned b, int gap)
{
    static uint8_t buf[MVP_MAX_FRAME_PAYLOAD];
    struct mvp_log_writer lw;
    mvp_log_writer_init(&lw, buf, sizeof buf, boot);
    char msg[32];
    for (unsigned i = 0; i < (gap ? 1 : b); i++) {
        snprintf(msg, sizeof msg, "msg-%u", a + i);
        struct mvp_log_rec r = {.seq = a + i, .device_us = 1000u * (a + i),
                                .kind = gap ? MVP_LOG_KIND_GAP : MVP_LOG_KIND_MSG,
                                .msg = (const uint8_t *)msg, .msg_len = (uint16_t)strlen(msg),
                                .dropped = b};
        if (mvp_log_writer_add(&lw, &r) < 0)
            return -1;
    }
    int n = mvp_log_writer_end(&lw);
    return n < 0 ? -1 : send_frame(MVP_LOG, 0, buf, (uint32_t)n);
}

static int step_logs(const char *arg, int gap)
{
    char bootstr[32];
    unsigned a, b;
    if (sscanf(arg, "%31[^:]:%u:%u", bootstr, &a, &b) != 3)
        return -1;
    if (send_logs(parse_boot(bootstr), a, b, gap) < 0)
        return -1;
    return expect_one();
}

/* burst:BOOT:FIRST:N:K: K batches of N back to back (as a device with a window of K
 * does), then one reply per batch. */
static int step_burst(const char *arg)
{
    char bootstr[32];
    unsigned a, b, k;
    if (sscanf(arg, "%31[^:]:%u:%u:%u", bootstr, &a, &b, &k) != 4)
        return -1;
    for (unsigned i = 0; i < k; i++)
        if (send_logs(parse_boot(bootstr), a + i * b, b, 0) < 0)
            return -1;
    for (unsigned i = 0; i < k; i++)
        if (expect_one() < 0)
            return -1;
    return 0;
}

static int step_open(const char *arg)
{
    unsigned chan, type, window;
    char ep[256] = "";
    if (sscanf(arg, "%u:%u:%u:%255s", &chan, &type, &window, ep) < 3)
        return -1;
    uint8_t buf[300];
    struct mvp_open o = {.chan_type = type, .window = window, .endpoint = (const uint8_t *)ep,
                         .endpoint_len = (uint16_t)strlen(ep)};
    int n = mvp_open_encode(&o, buf, sizeof buf);
    if (n < 0 || send_frame(MVP_OPEN, (uint16_t)chan, buf, (uint32_t)n) < 0)
        return -1;
    mvp_reader_init(&chan_rd, chan_buf, sizeof chan_buf, MVP_MAX_MSG_PAYLOAD);
    return expect_one();
}

/* Reads DATA on chan until one typed message is complete, then prints the response. */
static int read_cfg_response(unsigned chan)
{
    struct mvp_frame f, m;
    for (;;) {
        int rc = next_frame(&f);
        if (rc <= 0) {
            printf("EOF\n");
            return -1;
        }
        if (f.hdr.type != MVP_DATA || f.hdr.chan != chan) {
            print_frame(&f);
            if (f.hdr.type == MVP_CLOSE || f.hdr.type == MVP_ERROR)
                return 0;
            continue;
        }
        size_t used = 0;
        const uint8_t *p = f.payload;
        size_t len = f.hdr.len;
        while (len) {
            rc = mvp_reader_feed(&chan_rd, p, len, &used, &m);
            p += used;
            len -= used;
            if (rc < 0)
                return -1;
            if (rc == 1) {
                struct mvp_cfg_item items[MVP_MAX_CFG_KEYS];
                uint8_t result;
                size_t n = 0;
                if (mvp_cfg_resp_decode(m.payload, m.hdr.len, &result, items, MVP_MAX_CFG_KEYS,
                                        &n) < 0)
                    return -1;
                printf("CFG result=%u n=%zu\n", result, n);
                for (size_t i = 0; i < n; i++)
                    printf("ITEM %zu result=%u value=%.*s\n", i, items[i].result,
                           (int)items[i].value_len, (const char *)items[i].value);
                return 0;
            }
        }
    }
}

static int step_cfg(const char *arg)
{
    unsigned chan;
    char list[2048];
    if (sscanf(arg, "%u:%2047s", &chan, list) != 2)
        return -1;
    struct mvp_cfg_key keys[MVP_MAX_CFG_KEYS];
    size_t n = 0;
    for (char *tok = strtok(list, ","); tok && n < MVP_MAX_CFG_KEYS; tok = strtok(NULL, ",")) {
        if (strlen(tok) < 5 || tok[1] != '/' || tok[3] != '/')
            return -1;
        keys[n].scope = tok[0] == 'd';
        keys[n].store = tok[2] == 'c';
        keys[n].key = (const uint8_t *)tok + 4;
        keys[n].key_len = (uint16_t)strlen(tok + 4);
        n++;
    }
    static uint8_t buf[8 + 4096];
    int bl = mvp_cfg_req_encode(keys, n, buf + 8, sizeof buf - 8);
    if (bl < 0)
        return -1;
    mvp_msg_hdr_encode(MVP_MSG_CFG_REQUEST, (uint32_t)bl, buf);
    if (send_frame(MVP_DATA, (uint16_t)chan, buf, 8u + (uint32_t)bl) < 0)
        return -1;
    return read_cfg_response(chan);
}

static int step_upd(const char *arg)
{
    unsigned chan, state;
    char app[MVP_UPD_MAX_APP_ID + 1] = "";
    if (sscanf(arg, "%u:%u:%64s", &chan, &state, app) < 2)
        return -1;
    uint8_t body[256], buf[8 + 256];
    struct mvp_upd_status m = {.state = (uint8_t)state, .app_id = (const uint8_t *)app,
                               .app_id_len = (uint16_t)strlen(app)};
    int bl = mvp_upd_status_encode(&m, body, sizeof body);
    int n = bl < 0 ? -1 : mvp_msg_encode(MVP_MSG_UPD_STATUS, body, (uint32_t)bl, buf, sizeof buf);
    return n < 0 ? -1 : send_frame(MVP_DATA, (uint16_t)chan, buf, (uint32_t)n);
}

static int step_raw(const char *hex)
{
    size_t n = strlen(hex) / 2;
    uint8_t *b = malloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        b[i] = (uint8_t)v;
    }
    int rc = ws_send(&ws, b, n);
    free(b);
    return rc;
}

static int step_data(const char *arg)
{
    unsigned chan, n;
    if (sscanf(arg, "%u:%u", &chan, &n) != 2 || n > MVP_MAX_FRAME_PAYLOAD)
        return -1;
    uint8_t *b = calloc(1, n ? n : 1);
    int rc = send_frame(MVP_DATA, (uint16_t)chan, b, n);
    free(b);
    return rc;
}

static int step_u32(uint8_t type, const char *arg)
{
    unsigned chan, v;
    uint8_t b[4];
    if (sscanf(arg, "%u:%u", &chan, &v) != 2)
        return -1;
    mvp_u32_encode(v, b, sizeof b);
    return send_frame(type, (uint16_t)chan, b, 4);
}

static int step_wait_close(void)
{
    struct mvp_frame f;
    int rc;
    while ((rc = next_frame(&f)) == 1)
        print_frame(&f);
    printf(rc == 0 ? "CLOSED code=%d\n" : "EOF\n", ws.close_code);
    return 0;
}

/* flood:N / drain:N. PINGs carry opaque values 1..N and go out FLOOD_BATCH per message
 * (messages are a byte stream for the relay) with time-bounded writes, so the device
 * notices when the relay stops reading instead of blocking in a write forever. */
#define FLOOD_BATCH 256u
#define FLOOD_STALL_MS 1000 /* no progress for this long: the relay stopped reading */
#define DRAIN_LIMIT_S 25
static unsigned flood_next = 1, flood_n;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Queues the next batch of PINGs as one pending message. */
static int flood_queue(void)
{
    static uint8_t b[FLOOD_BATCH * (MVP_HDR_LEN + 8)];
    size_t len = 0;
    for (; flood_next <= flood_n && len < sizeof b; flood_next++) {
        uint8_t v[8];
        mvp_u64_encode(flood_next, v, sizeof v);
        int n = mvp_frame_encode(MVP_PING, 0, 0, v, 8, b + len, sizeof b - len);
        if (n < 0)
            return -1;
        len += (size_t)n;
    }
    return ws_send_start(&ws, b, len);
}

static int step_flood(const char *arg)
{
    unsigned sent = 0;
    int stalled_ms = 0;
    flood_n = (unsigned)strtoul(arg, NULL, 10);
    while (stalled_ms < FLOOD_STALL_MS) {
        if (!ws.pend) {
            sent = flood_next - 1;
            if (flood_next > flood_n)
                break;
            if (flood_queue() < 0)
                return -1;
        }
        int rc = ws_flush(&ws, 100);
        if (rc < 0)
            return -1;
        stalled_ms = rc ? stalled_ms + 100 : 0;
    }
    if (ws.pend) { /* stalled: the pending batch is the last, so drain knows the total */
        printf("FLOOD sent=%u of %u stalled total=%u\n", sent, flood_n, flood_next - 1);
        flood_n = flood_next - 1;
    } else {
        printf("FLOOD sent=%u of %u\n", sent, flood_n);
    }
    return 0;
}

/* Reads one PONG and checks it carries the expected opaque value. */
static int drain_one(unsigned want)
{
    struct mvp_frame f;
    uint64_t v = 0;
    int rc = next_frame(&f);
    if (rc == 1 && f.hdr.type == MVP_PONG && mvp_u64_decode(f.payload, f.hdr.len, &v) == 0 &&
        v == want)
        return 0;
    printf("DRAIN_FAILED want=%u rc=%d frame=%s value=%llu\n", want, rc,
           rc == 1 ? mvp_frame_type_name(f.hdr.type) : "-", (unsigned long long)v);
    return -1;
}

static int step_drain(const char *arg)
{
    unsigned n = (unsigned)strtoul(arg, NULL, 10), got = 0;
    if (!n)
        n = flood_n; /* drain:0: every PING the flood wrote or has pending */
    int64_t end = now_ms() + DRAIN_LIMIT_S * 1000;
    while (got < n) {
        if (now_ms() > end) {
            printf("DRAIN_FAILED timeout got=%u\n", got);
            return -1;
        }
        int sending = ws.pend || flood_next <= flood_n;
        if (sending && ((!ws.pend && flood_queue() < 0) || ws_flush(&ws, 20) < 0))
            return -1;
        /* bounded batch of reads, so pending PINGs keep going out too */
        for (int i = 0; i < 4096 && got < n; i++) {
            if (!tdev_link_buffered(&tlink) && !ws_readable(&ws, sending ? 0 : 100))
                break;
            if (drain_one(++got) < 0)
                return -1;
        }
    }
    printf("DRAIN pongs=%u in order\n", got);
    /* one more PING: its PONG must come next, so no PONG was answered twice */
    uint8_t v[8];
    mvp_u64_encode(n + 1u, v, sizeof v);
    if (send_frame(MVP_PING, 0, v, sizeof v) < 0 || drain_one(n + 1u) < 0)
        return -1;
    printf("DRAIN next=%u ok\n", n + 1u);
    return 0;
}

/* Waits (bounded) until the test script creates PATH: lets it check the relay while
 * this device holds its state. */
static int step_waitfile(const char *path)
{
    for (int i = 0; i < 400; i++) {
        if (access(path, F_OK) == 0)
            return 0;
        usleep(50000);
    }
    printf("WAITFILE_TIMEOUT %s\n", path);
    return -1;
}

/* --- HTTP channel steps: hdr:LINE (repeatable), body:TEXT or bodyfile:PATH, then
 * http:CHAN:METHOD:TIMEOUT_MS:URL (or httpsend:, which does not wait) sends one HTTP_REQUEST (within the relay's credit) and
 * prints the HTTP_RESPONSE: "HTTP result=R status=S headers=N body_len=L", each header
 * as "HDR line", "BODY_SHA256 hex" and, for a printable body, "BODY text". */
static struct mvp_bytes http_hdrs[40];
static size_t http_nhdrs;
static uint8_t *http_body;
static uint32_t http_body_len;

static int step_hdr(const char *line)
{
    if (http_nhdrs == sizeof http_hdrs / sizeof http_hdrs[0])
        return -1;
    http_hdrs[http_nhdrs++] = (struct mvp_bytes){(const uint8_t *)line, (uint32_t)strlen(line)};
    return 0;
}

static int step_bodyfile(const char *path)
{
    FILE *f = fopen(path, "rb");
    static uint8_t b[MVP_MAX_HTTP_BODY + 1];
    if (!f)
        return -1;
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    http_body = b;
    http_body_len = (uint32_t)n;
    return 0;
}

/* Next complete typed message on chan; other frames are printed. 1, or 0 when the
 * channel or connection ended first. */
static int read_chan_msg(unsigned chan, struct mvp_frame *m)
{
    struct mvp_frame f;
    for (;;) {
        int rc = next_frame(&f);
        if (rc <= 0) {
            printf(rc == 0 ? "CLOSED code=%d\n" : "EOF\n", ws.close_code);
            return 0;
        }
        if (f.hdr.type != MVP_DATA || f.hdr.chan != chan) {
            print_frame(&f);
            if ((f.hdr.type == MVP_CLOSE && f.hdr.chan == chan) || f.hdr.type == MVP_GOAWAY)
                return 0;
            continue;
        }
        const uint8_t *p = f.payload;
        size_t len = f.hdr.len, used = 0;
        while (len) {
            rc = mvp_reader_feed(&chan_rd, p, len, &used, m);
            p += used;
            len -= used;
            if (rc < 0)
                return 0;
            if (rc == 1)
                return 1;
        }
    }
}

static void print_http(const struct mvp_frame *m)
{
    struct mvp_bytes h[MVP_MAX_HTTP_RESP_HEADERS];
    struct mvp_http_response r;
    unsigned char md[SHA256_DIGEST_LENGTH];
    if (m->hdr.type != MVP_MSG_HTTP_RESPONSE ||
        mvp_http_resp_decode(m->payload, m->hdr.len, &r, h, MVP_MAX_HTTP_RESP_HEADERS) < 0) {
        printf("HTTP_UNDECODABLE type=%u\n", m->hdr.type);
        return;
    }
    printf("HTTP result=%u status=%u headers=%zu body_len=%u\n", r.result, r.status_code,
           r.num_headers, r.body_len);
    for (size_t i = 0; i < r.num_headers; i++)
        printf("HDR %.*s\n", (int)h[i].len, (const char *)h[i].data);
    SHA256(r.body, r.body_len, md);
    printf("BODY_SHA256 ");
    for (size_t i = 0; i < sizeof md; i++)
        printf("%02x", md[i]);
    printf("\n");
    int printable = r.body_len <= 2048;
    for (uint32_t i = 0; printable && i < r.body_len; i++)
        printable = r.body[i] >= 0x20 && r.body[i] < 0x7f;
    if (printable && r.body_len)
        printf("BODY %.*s\n", (int)r.body_len, (const char *)r.body);
}

/* Sends msg on chan in frames, waiting for WINDOW when the relay's credit runs out. */
static int send_chan(unsigned chan, const uint8_t *p, size_t n, uint32_t credit)
{
    while (n) {
        size_t k = n < MVP_MAX_FRAME_PAYLOAD ? n : MVP_MAX_FRAME_PAYLOAD;
        if (k > credit)
            k = credit;
        if (k && send_frame(MVP_DATA, (uint16_t)chan, p, (uint32_t)k) < 0)
            return -1;
        p += k;
        n -= k;
        credit -= (uint32_t)k;
        while (n && !credit) {
            struct mvp_frame f;
            uint32_t v;
            if (next_frame(&f) != 1)
                return -1;
            if (f.hdr.type == MVP_WINDOW && f.hdr.chan == chan &&
                mvp_u32_decode(f.payload, f.hdr.len, &v) == 0)
                credit += v;
            else
                print_frame(&f);
        }
    }
    return 0;
}

static int step_http(const char *arg, int wait)
{
    unsigned chan, timeout;
    char method[32];
    int off = 0;
    if (sscanf(arg, "%u:%31[^:]:%u:%n", &chan, method, &timeout, &off) != 3 || !off)
        return -1;
    struct mvp_http_request q = {.timeout_ms = timeout, .method = (const uint8_t *)method,
                                 .method_len = (uint16_t)strlen(method),
                                 .url = (const uint8_t *)arg + off,
                                 .url_len = (uint16_t)strlen(arg + off), .headers = http_hdrs,
                                 .num_headers = http_nhdrs, .body = http_body,
                                 .body_len = http_body_len};
    static uint8_t buf[MVP_HDR_LEN + MVP_MAX_MSG_PAYLOAD];
    int n = mvp_http_req_encode(&q, buf + MVP_HDR_LEN, sizeof buf - MVP_HDR_LEN);
    if (n < 0) {
        printf("HTTP_ENCODE_FAILED %d\n", n);
        return -1;
    }
    mvp_msg_hdr_encode(MVP_MSG_HTTP_REQUEST, (uint32_t)n, buf);
    http_nhdrs = 0;
    http_body = NULL;
    http_body_len = 0;
    if (send_chan(chan, buf, MVP_HDR_LEN + (size_t)n, 65536) < 0)
        return -1;
    if (!wait)
        return 0;
    struct mvp_frame m;
    if (read_chan_msg(chan, &m))
        print_http(&m);
    return 0;
}

static int run_step(const char *s)
{
    const char *arg = strchr(s, ':') ? strchr(s, ':') + 1 : "";
    if (!strncmp(s, "hello:", 6))
        return step_hello(arg);
    if (!strncmp(s, "logs:", 5))
        return step_logs(arg, 0);
    if (!strncmp(s, "gap:", 4))
        return step_logs(arg, 1);
    if (!strncmp(s, "burst:", 6))
        return step_burst(arg);
    if (!strncmp(s, "open:", 5))
        return step_open(arg);
    if (!strncmp(s, "cfg:", 4))
        return step_cfg(arg);
    if (!strcmp(s, "ping")) {
        uint8_t b[8];
        mvp_u64_encode(42, b, sizeof b);
        return send_frame(MVP_PING, 0, b, 8) < 0 ? -1 : expect_one();
    }
    if (!strcmp(s, "expect"))
        return expect_one();
    if (!strncmp(s, "upd:", 4))
        return step_upd(arg);
    if (!strncmp(s, "raw:", 4))
        return step_raw(arg);
    if (!strncmp(s, "text:", 5))
        return ws_send_text(&ws, arg);
    if (!strncmp(s, "data:", 5))
        return step_data(arg);
    if (!strncmp(s, "window:", 7))
        return step_u32(MVP_WINDOW, arg);
    if (!strncmp(s, "close:", 6))
        return step_u32(MVP_CLOSE, arg);
    if (!strcmp(s, "wait_close"))
        return step_wait_close();
    if (!strncmp(s, "flood:", 6))
        return step_flood(arg);
    if (!strncmp(s, "drain:", 6))
        return step_drain(arg);
    if (!strncmp(s, "waitfile:", 9))
        return step_waitfile(arg);
    if (!strncmp(s, "hdr:", 4))
        return step_hdr(arg);
    if (!strncmp(s, "body:", 5)) {
        http_body = (uint8_t *)arg;
        http_body_len = (uint32_t)strlen(arg);
        return 0;
    }
    if (!strncmp(s, "bodyfile:", 9))
        return step_bodyfile(arg);
    if (!strncmp(s, "http:", 5))
        return step_http(arg, 1);
    if (!strncmp(s, "httpsend:", 9))
        return step_http(arg, 0);
    if (!strncmp(s, "sleep:", 6)) {
        usleep((useconds_t)atoi(arg) * 1000);
        return 0;
    }
    fprintf(stderr, "mvtdev: unknown step %s\n", s);
    return -1;
}

int main(int argc, char **argv)
{
    const char *host = "localhost", *ca = NULL, *id_dir = NULL, *path = "/v1/device";
    char cert[4200], key[4200];
    int port = 0, i = 1;
    for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
        if (!strcmp(argv[i], "--port"))
            port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--ca"))
            ca = argv[i + 1];
        else if (!strcmp(argv[i], "--identity"))
            id_dir = argv[i + 1];
        else if (!strcmp(argv[i], "--host"))
            host = argv[i + 1];
        else if (!strcmp(argv[i], "--path"))
            path = argv[i + 1];
        else if (!strcmp(argv[i], "--sockbuf"))
            ws_set_sockbuf(atoi(argv[i + 1]));
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* scripts watch the output while we run */
    if (!port || !ca) {
        fprintf(stderr, "usage: mvtdev --port P --ca CA [--identity DIR] STEP...\n");
        return 2;
    }
    if (id_dir) {
        snprintf(cert, sizeof cert, "%s/device.cert.pem", id_dir);
        snprintf(key, sizeof key, "%s/device.key.pem", id_dir);
    }
    tdev_link_init(&tlink, &ws);
    if (ws_connect(&ws, host, port, path, ca, id_dir ? cert : NULL, id_dir ? key : NULL, 10) <
        0) {
        printf("CONNECT_FAILED %s\n", ws.why[0] ? ws.why : "setup");
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
