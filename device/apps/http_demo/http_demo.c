/* http_demo: a Microvisor-style application that fetches data over HTTP through the
 * relay's proxy. Its base URL comes from the config value "http-demo-url"; it GETs
 * BASE/json (logging the status, a header and the body, read in pieces by offset),
 * POSTs a body to BASE/echo, shows the kernel refusing a second send and 33 headers,
 * and finally makes a slow request that a relay restart may interrupt. Portable: only
 * mv_syscalls.h and mv_app_port.h (host: `mvdevice --app http_demo`; an505 image). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mv_app_port.h"
#include "mv_syscalls.h"

#define HD_IRQ 6u
#define HD_RING 16u
#define TAG_NET 1u
#define TAG_CFG 2u
#define TAG_HTTP 3u
#define URL_MAX 256u

static struct MvNotification ring[HD_RING] APP_SHARED __attribute__((aligned(16)));
static uint8_t log_buf[4096] APP_SHARED __attribute__((aligned(8)));
/* HTTP channel buffers: multiples of 512 bytes, 512-byte aligned (as Microvisor asks). */
static uint8_t http_rx[2048] APP_SHARED __attribute__((aligned(512)));
static uint8_t http_tx[1024] APP_SHARED __attribute__((aligned(512)));
static uint8_t cfg_rx[1024] APP_SHARED __attribute__((aligned(8)));
static uint8_t cfg_tx[512] APP_SHARED __attribute__((aligned(8)));
/* Everything handed to the kernel lives here: literals are not app data on every port. */
static struct {
    char base[URL_MAX], url[URL_MAX + 32], method[8], body[64], hdr[34][32];
    struct MvHttpHeader h[34];
    struct MvHttpRequest req;
    struct MvHttpResponseData rd;
    uint8_t buf[256];
    enum MvClosureReason reason;
} S APP_SHARED;
static volatile uint32_t ring_next;
static volatile int http_readable, http_closed, cfg_ready;
/* Out-parameters of the kernel must be app memory too. */
static MvNotificationHandle nh APP_SHARED;
static MvNetworkHandle net APP_SHARED;

static void hd_irq(void)
{
    while (ring[ring_next].event_type != MV_EVENTTYPE_NOEVENT) {
        struct MvNotification *n = &ring[ring_next];
        if (n->tag == TAG_HTTP && n->event_type == MV_EVENTTYPE_CHANNELDATAREADABLE)
            http_readable = 1;
        else if (n->tag == TAG_HTTP && n->event_type == MV_EVENTTYPE_CHANNELNOTCONNECTED)
            http_closed = 1;
        else if (n->tag == TAG_CFG)
            cfg_ready = 1;
        n->event_type = MV_EVENTTYPE_NOEVENT;
        ring_next = (ring_next + 1) % HD_RING;
    }
}

static void hd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void hd_log(const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (len > 0)
        mvServerLog((const uint8_t *)msg, (uint16_t)(len < (int)sizeof msg ? len : 255));
}

static MvChannelHandle open_chan(enum MvChannelType type, uint32_t tag, uint8_t *rx,
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

/* The base URL from config value "http-demo-url" (account scope). */
static int fetch_base(void)
{
    static const char key[] = "http-demo-url";
    char k[sizeof key];
    struct MvConfigKeyToFetch item;
    struct MvConfigKeyFetchParams req = {1, &item};
    struct MvConfigResponseData rd;
    enum MvConfigKeyFetchResult result = MV_CONFIGKEYFETCHRESULT_SERVERERROR;
    uint32_t len = 0;
    struct MvConfigResponseReadItemParams p = {0, &result,
                                               {(uint8_t *)S.base, URL_MAX - 1, &len}};
    enum MvStatus st = MV_STATUS_RESPONSENOTPRESENT;
    memcpy(k, key, sizeof key);
    item = (struct MvConfigKeyToFetch){MV_CONFIGKEYFETCHSCOPE_ACCOUNT,
                                       MV_CONFIGKEYFETCHSTORE_CONFIG,
                                       {(const uint8_t *)k, sizeof key - 1}};
    MvChannelHandle ch = open_chan(MV_CHANNELTYPE_CONFIGFETCH, TAG_CFG, cfg_rx, sizeof cfg_rx,
                                   cfg_tx, sizeof cfg_tx);
    if (!ch || mvSendConfigFetchRequest(ch, &req) != MV_STATUS_OKAY)
        goto fail;
    for (int i = 0; i < 100 && st == MV_STATUS_RESPONSENOTPRESENT; i++)
        if ((st = mvReadConfigFetchResponseData(ch, &rd)) == MV_STATUS_RESPONSENOTPRESENT)
            app_port_wait_ms(100);
    if (st != MV_STATUS_OKAY || rd.result != MV_CONFIGFETCHRESULT_OK ||
        mvReadConfigResponseItem(ch, &p) != MV_STATUS_OKAY ||
        result != MV_CONFIGKEYFETCHRESULT_OK)
        goto fail;
    S.base[len] = 0;
    mvCloseChannel(&ch);
    return 0;
fail:
    if (ch)
        mvCloseChannel(&ch);
    return -1;
}

/* Fills S.req for METHOD BASE+path with S.h[0..nhdr) and body. */
static void build(const char *method, const char *path, uint32_t nhdr, const char *body)
{
    snprintf(S.method, sizeof S.method, "%s", method);
    snprintf(S.url, sizeof S.url, "%s%s", S.base, path);
    snprintf(S.body, sizeof S.body, "%s", body ? body : "");
    S.req = (struct MvHttpRequest){
        .method = {(const uint8_t *)S.method, (uint32_t)strlen(S.method)},
        .url = {(const uint8_t *)S.url, (uint32_t)strlen(S.url)},
        .num_headers = nhdr,
        .headers = S.h,
        .body = {(const uint8_t *)S.body, (uint32_t)strlen(S.body)},
        .timeout_ms = 10000,
    };
}

static void set_header(uint32_t i, const char *line)
{
    snprintf(S.hdr[i], sizeof S.hdr[i], "%s", line);
    S.h[i] = (struct MvHttpHeader){(uint32_t)strlen(S.hdr[i]), (const uint8_t *)S.hdr[i]};
}

/* Waits for the CHANNELDATAREADABLE (1) or CHANNELNOTCONNECTED (-1) notification. */
static int wait_response(uint32_t max_ms)
{
    for (uint32_t t = 0; t < max_ms; t += 50) {
        if (http_readable)
            return 1;
        if (http_closed)
            return -1;
        app_port_wait_ms(50);
    }
    return 0;
}

static MvChannelHandle send_request(void)
{
    http_readable = http_closed = 0;
    MvChannelHandle ch = open_chan(MV_CHANNELTYPE_HTTP, TAG_HTTP, http_rx, sizeof http_rx,
                                   http_tx, sizeof http_tx);
    if (!ch)
        return 0;
    enum MvStatus st = mvSendHttpRequest(ch, &S.req);
    if (st != MV_STATUS_OKAY) {
        hd_log("http_demo: send failed: status %u", (unsigned)st);
        mvCloseChannel(&ch);
        return 0;
    }
    return ch;
}

/* Logs the header whose name starts with `name` (read by index). */
static void log_header(MvChannelHandle ch, const char *name)
{
    for (uint32_t i = 0; i < S.rd.num_headers; i++) {
        memset(S.buf, 0, sizeof S.buf);
        if (mvReadHttpResponseHeader(ch, i, S.buf, sizeof S.buf - 1) == MV_STATUS_OKAY &&
            !strncmp((const char *)S.buf, name, strlen(name))) {
            hd_log("http_demo: header %s", (const char *)S.buf);
            return;
        }
    }
    hd_log("http_demo: no %s header", name);
}

/* Reads the body by offset in 16-byte pieces (as an app with a small buffer would). */
static void log_body(MvChannelHandle ch, const char *what)
{
    char body[200];
    uint32_t n = S.rd.body_length < sizeof body - 1 ? S.rd.body_length : sizeof body - 1;
    for (uint32_t off = 0; off < n; off += 16) {
        uint32_t k = n - off < 16 ? n - off : 16;
        if (mvReadHttpResponseBody(ch, off, S.buf, k) != MV_STATUS_OKAY) {
            hd_log("http_demo: body read failed at %u", (unsigned)off);
            return;
        }
        memcpy(body + off, S.buf, k);
    }
    body[n] = 0;
    hd_log("http_demo: %s body=%s", what, body);
}

static int read_response(MvChannelHandle ch, const char *what)
{
    if (wait_response(15000) <= 0 || mvReadHttpResponseData(ch, &S.rd) != MV_STATUS_OKAY) {
        hd_log("http_demo: %s: no response", what);
        return -1;
    }
    hd_log("http_demo: %s result=%u status=%u headers=%u body_length=%u", what,
           (unsigned)S.rd.result, (unsigned)S.rd.status_code, (unsigned)S.rd.num_headers,
           (unsigned)S.rd.body_length);
    return S.rd.result == MV_HTTPRESULT_OK ? 0 : -1;
}

static void demo_get(void)
{
    set_header(0, "Accept: application/json");
    build("GET", "/json", 1, NULL);
    MvChannelHandle ch = send_request();
    if (!ch)
        return;
    hd_log("http_demo: second send on the channel: status %u",
           (unsigned)mvSendHttpRequest(ch, &S.req));
    if (read_response(ch, "GET /json") == 0) {
        log_header(ch, "Content-Type");
        log_body(ch, "GET /json");
    }
    mvCloseChannel(&ch);
}

static void demo_post(void)
{
    set_header(0, "Content-Type: text/plain");
    set_header(1, "X-Demo: http_demo");
    build("POST", "/echo", 2, "hello from http_demo");
    MvChannelHandle ch = send_request();
    if (!ch)
        return;
    if (read_response(ch, "POST /echo") == 0) {
        log_header(ch, "X-Echo-X-Demo");
        log_body(ch, "POST /echo");
    }
    mvCloseChannel(&ch);
}

static void demo_too_many_headers(void)
{
    for (uint32_t i = 0; i < 33; i++) {
        char line[32];
        snprintf(line, sizeof line, "X-H%u: %u", (unsigned)i, (unsigned)i);
        set_header(i, line);
    }
    build("GET", "/json", 33, NULL);
    http_readable = http_closed = 0;
    MvChannelHandle ch = open_chan(MV_CHANNELTYPE_HTTP, TAG_HTTP, http_rx, sizeof http_rx,
                                   http_tx, sizeof http_tx);
    if (!ch)
        return;
    hd_log("http_demo: 33 headers: status %u", (unsigned)mvSendHttpRequest(ch, &S.req));
    mvCloseChannel(&ch);
}

/* A request the server answers after 3 s: a relay restart meanwhile closes the channel
 * and the app hears CHANNELNOTCONNECTED with the closure reason. */
static void demo_slow(void)
{
    build("GET", "/sleep?ms=3000", 0, NULL);
    MvChannelHandle ch = send_request();
    if (!ch)
        return;
    hd_log("http_demo: slow request sent");
    int w = wait_response(15000);
    if (w < 0 && mvGetChannelClosureReason(ch, &S.reason) == MV_STATUS_OKAY)
        hd_log("http_demo: slow request: channel closed (reason %u)", (unsigned)S.reason);
    else if (w > 0 && mvReadHttpResponseData(ch, &S.rd) == MV_STATUS_OKAY)
        hd_log("http_demo: slow request result=%u status=%u", (unsigned)S.rd.result,
               (unsigned)S.rd.status_code);
    else
        hd_log("http_demo: slow request: no answer");
    mvCloseChannel(&ch);
}

static int wait_connected(uint32_t max_s)
{
    enum MvNetworkStatus st = MV_NETWORKSTATUS_CONNECTING;
    for (uint32_t i = 0; i < max_s * 10u; i++) {
        if (mvGetNetworkStatus(net, &st) == MV_STATUS_OKAY && st == MV_NETWORKSTATUS_CONNECTED)
            return 0;
        app_port_wait_ms(100);
    }
    return -1;
}

static void http_demo_main(void)
{
    struct MvNotificationSetup ns = {HD_IRQ, ring, sizeof ring};
    struct MvRequestNetworkParams rp = {.version = 1};
    if (mvSetupNotifications(&ns, &nh) != MV_STATUS_OKAY ||
        app_port_set_irq_handler(HD_IRQ, hd_irq) != 0 ||
        mvServerLoggingInit(log_buf, sizeof log_buf) != MV_STATUS_OKAY)
        return;
    hd_log("http_demo: starting");
    rp.v1.notification_handle = nh;
    rp.v1.notification_tag = TAG_NET;
    if (mvRequestNetwork(&rp, &net) != MV_STATUS_OKAY || wait_connected(60) < 0)
        return;
    if (fetch_base() < 0) {
        hd_log("http_demo: config value http-demo-url missing");
    } else {
        hd_log("http_demo: base %s", S.base);
        demo_get();
        demo_post();
        demo_too_many_headers();
        demo_slow();
        hd_log("http_demo: done");
    }
    for (;;)
        app_port_wait_ms(1000);
}

APP_PORT_MAIN(http_demo, http_demo_main)
