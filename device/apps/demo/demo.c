/* The demo application: logs a counter every second, fetches a config value and a
 * secret at start (the secret is logged masked), and reports network changes. Uses only
 * mv_syscalls.h and the mv_app_port.h shim, so it runs unchanged on every port. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mv_app_port.h"
#include "mv_syscalls.h"

#define DEMO_IRQ 5u
#define DEMO_RING 16u
#define TAG_NET 1u
#define TAG_CFG 2u

static struct MvNotification ring[DEMO_RING] APP_SHARED __attribute__((aligned(16)));
static uint8_t log_buf[8192] APP_SHARED __attribute__((aligned(8)));
static uint8_t cfg_rx[4096] APP_SHARED __attribute__((aligned(8)));
static uint8_t cfg_tx[1024] APP_SHARED __attribute__((aligned(8)));
static volatile uint32_t ring_next;
static volatile int net_changed, cfg_event;

/* The IRQ handler: consume ring entries in order and clear each, as Microvisor apps do. */
static void demo_irq(void)
{
    while (ring[ring_next].event_type != MV_EVENTTYPE_NOEVENT) {
        if (ring[ring_next].tag == TAG_NET)
            net_changed = 1;
        else if (ring[ring_next].tag == TAG_CFG)
            cfg_event = 1;
        ring[ring_next].event_type = MV_EVENTTYPE_NOEVENT;
        ring_next = (ring_next + 1) % DEMO_RING;
    }
}

/* Formats into a stack buffer (app memory) and logs it; long lines are truncated. */
static void demo_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void demo_log(const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (len > 0)
        mvServerLog((const uint8_t *)msg, (uint16_t)(len < (int)sizeof msg ? len : 255));
}

static const char *status_name(enum MvNetworkStatus s)
{
    switch (s) {
    case MV_NETWORKSTATUS_CONNECTED: return "connected";
    case MV_NETWORKSTATUS_CONNECTING: return "connecting";
    case MV_NETWORKSTATUS_DELIBERATELYOFFLINE: return "offline";
    default: return "disconnected";
    }
}

static int wait_connected(MvNetworkHandle net, uint32_t max_s)
{
    enum MvNetworkStatus st = MV_NETWORKSTATUS_CONNECTING;

    for (uint32_t i = 0; i < max_s * 10u; i++) {
        if (mvGetNetworkStatus(net, &st) == MV_STATUS_OKAY && st == MV_NETWORKSTATUS_CONNECTED)
            return 0;
        app_port_wait_ms(100);
    }
    return -1;
}

/* Reads item i into out (NUL-terminated); returns the key fetch result or -1. */
static int read_item(MvChannelHandle ch, uint32_t i, char *out, uint32_t cap)
{
    enum MvConfigKeyFetchResult result = MV_CONFIGKEYFETCHRESULT_SERVERERROR;
    uint32_t len = 0;
    struct MvConfigResponseReadItemParams p = {i, &result, {(uint8_t *)out, cap - 1, &len}};

    if (mvReadConfigResponseItem(ch, &p) != MV_STATUS_OKAY)
        return -1;
    out[result == MV_CONFIGKEYFETCHRESULT_OK ? len : 0] = 0;
    return (int)result;
}

static void report_items(MvChannelHandle ch)
{
    char v[512], masked[8];
    int r = read_item(ch, 0, v, sizeof v);

    if (r == MV_CONFIGKEYFETCHRESULT_OK)
        demo_log("demo: greeting=%s", v);
    else
        demo_log("demo: greeting unavailable (result %d)", r);
    r = read_item(ch, 1, v, sizeof v);
    if (r == MV_CONFIGKEYFETCHRESULT_OK) {
        snprintf(masked, sizeof masked, "%.2s***", v);
        demo_log("demo: secret=%s", masked);
    } else {
        demo_log("demo: secret unavailable (result %d)", r);
    }
}

static void fetch_config(MvNotificationHandle nh, MvNetworkHandle net)
{
    static const char k1[] = "demo-greeting", k2[] = "demo-secret";
    char keys[32];
    struct MvConfigKeyToFetch items[2];
    struct MvConfigKeyFetchParams req = {2, items};
    struct MvOpenChannelParams op = {.version = 1};
    struct MvConfigResponseData rd;
    MvChannelHandle ch = 0;
    enum MvStatus st = MV_STATUS_RESPONSENOTPRESENT;

    /* Keys are copied to the stack: string literals are not app data on every port. */
    memcpy(keys, k1, sizeof k1);
    memcpy(keys + 16, k2, sizeof k2);
    items[0] = (struct MvConfigKeyToFetch){MV_CONFIGKEYFETCHSCOPE_ACCOUNT,
                                           MV_CONFIGKEYFETCHSTORE_CONFIG,
                                           {(const uint8_t *)keys, sizeof k1 - 1}};
    items[1] = (struct MvConfigKeyToFetch){MV_CONFIGKEYFETCHSCOPE_ACCOUNT,
                                           MV_CONFIGKEYFETCHSTORE_SECRET,
                                           {(const uint8_t *)keys + 16, sizeof k2 - 1}};
    op.v1.notification_handle = nh;
    op.v1.notification_tag = TAG_CFG;
    op.v1.network_handle = net;
    op.v1.receive_buffer = cfg_rx;
    op.v1.receive_buffer_len = sizeof cfg_rx;
    op.v1.send_buffer = cfg_tx;
    op.v1.send_buffer_len = sizeof cfg_tx;
    op.v1.channel_type = MV_CHANNELTYPE_CONFIGFETCH;
    if (mvOpenChannel(&op, &ch) != MV_STATUS_OKAY ||
        mvSendConfigFetchRequest(ch, &req) != MV_STATUS_OKAY) {
        demo_log("demo: config fetch could not start");
        goto out;
    }
    for (int i = 0; i < 100 && st == MV_STATUS_RESPONSENOTPRESENT; i++) {
        st = mvReadConfigFetchResponseData(ch, &rd);
        if (st == MV_STATUS_RESPONSENOTPRESENT)
            app_port_wait_ms(100);
    }
    if (st != MV_STATUS_OKAY || rd.result != MV_CONFIGFETCHRESULT_OK)
        demo_log("demo: config fetch failed (status %u, result %u)", (unsigned)st,
                 st == MV_STATUS_OKAY ? (unsigned)rd.result : 0u);
    else
        report_items(ch);
out:
    if (ch)
        mvCloseChannel(&ch);
}

static void demo_main(void)
{
    struct MvNotificationSetup ns = {DEMO_IRQ, ring, sizeof ring};
    struct MvRequestNetworkParams rp = {.version = 1};
    MvNotificationHandle nh = 0;
    MvNetworkHandle net = 0;
    enum MvNetworkStatus st;
    uint64_t next = 0, now = 0;
    unsigned long counter = 0;

    if (mvSetupNotifications(&ns, &nh) != MV_STATUS_OKAY ||
        app_port_set_irq_handler(DEMO_IRQ, demo_irq) != 0 ||
        mvServerLoggingInit(log_buf, sizeof log_buf) != MV_STATUS_OKAY)
        return;
    demo_log("demo: starting");
    rp.v1.notification_handle = nh;
    rp.v1.notification_tag = TAG_NET;
    if (mvRequestNetwork(&rp, &net) != MV_STATUS_OKAY)
        return;
    if (wait_connected(net, 30) == 0)
        fetch_config(nh, net);
    for (;;) {
        mvGetMicroseconds(&now);
        if (now >= next) {
            demo_log("demo: counter %lu", counter++);
            next = now + 1000000u;
        }
        if (net_changed) {
            net_changed = 0;
            if (mvGetNetworkStatus(net, &st) == MV_STATUS_OKAY)
                demo_log("demo: network %s", status_name(st));
        }
        app_port_wait_ms((uint32_t)((next - now) / 1000u) + 1u);
    }
}

APP_PORT_MAIN(demo, demo_main)
