/* Helpers shared by the kernel unit tests: boot a fresh kernel over a registered test
 * arena, bring a fake session up, inject relay frames, set up common objects. */
#include <string.h>

#include "fakes.h"
#include "kernel.h"
#include "mvp/ctrl.h"
#include "mvp/frame.h"
#include "regions.h"

uint8_t kt_app[65536] __attribute__((aligned(64)));
uint8_t kt_ro[256] __attribute__((aligned(64)));
uint8_t kt_kernel[4096] __attribute__((aligned(64)));
static size_t app_used;


void kt_boot(void)
{
    mvk_host_regions_clear();
    mvk_host_region_add(kt_app, sizeof kt_app, MVK_HOST_RW);
    mvk_host_region_add(kt_ro, sizeof kt_ro, MVK_HOST_RO);
    memset(kt_app, 0, sizeof kt_app);
    app_used = 0;
    fake_conn_reset();
    fake_port_reset();
    if (mvk_kernel_init() != 0)
        __builtin_trap();
}

void *kt_alloc(size_t n)
{
    void *p = kt_app + app_used;

    app_used += (n + 15u) & ~(size_t)15u;
    if (app_used > sizeof kt_app)
        __builtin_trap();
    return p;
}

void kt_session_up(uint32_t welcome_flags, uint32_t log_acked_seq)
{
    struct mvp_welcome w = {1, 1700000000000000ull, 16384, 65536, 30, welcome_flags,
                            log_acked_seq};

    fake_conn_set_state(MVK_CONN_UP);
    mvk_session_up(&w);
}

void kt_session_down(void)
{
    fake_conn_set_state(MVK_CONN_BACKOFF);
    mvk_session_down();
}

void kt_inject(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len)
{
    struct mvp_hdr h = {type, 0, chan, len};

    mvk_session_frame(&h, payload);
}

void kt_inject_u32(uint8_t type, uint16_t chan, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

    kt_inject(type, chan, b, sizeof b);
}

MvNotificationHandle kt_notify(uint32_t irq, struct MvNotification **ring)
{
    struct MvNotificationSetup *s = kt_alloc(sizeof *s);
    MvNotificationHandle *h = kt_alloc(sizeof *h);

    s->irq = irq;
    s->buffer = kt_alloc(16 * sizeof(struct MvNotification));
    s->buffer_size = 16 * sizeof(struct MvNotification);
    if (ring)
        *ring = s->buffer;
    if (mvSetupNotifications(s, h) != MV_STATUS_OKAY)
        return NULL;
    return *h;
}

MvNetworkHandle kt_network(MvNotificationHandle nh)
{
    struct MvRequestNetworkParams *p = kt_alloc(sizeof *p);
    MvNetworkHandle *h = kt_alloc(sizeof *h);

    p->version = 1;
    p->v1.notification_handle = nh;
    p->v1.notification_tag = 7;
    if (mvRequestNetwork(p, h) != MV_STATUS_OKAY)
        return NULL;
    kt_session_up(0, 0);
    return *h;
}

enum MvStatus kt_open(MvNotificationHandle nh, MvNetworkHandle net, enum MvChannelType type,
                      uint32_t rx_len, uint32_t tx_len, MvChannelHandle *out)
{
    struct MvOpenChannelParams *p = kt_alloc(sizeof *p);
    MvChannelHandle *h = kt_alloc(sizeof *h);
    enum MvStatus st;

    p->version = 1;
    p->v1.notification_handle = nh;
    p->v1.notification_tag = 42;
    p->v1.network_handle = net;
    p->v1.receive_buffer = kt_alloc(rx_len);
    p->v1.receive_buffer_len = rx_len;
    p->v1.send_buffer = kt_alloc(tx_len);
    p->v1.send_buffer_len = tx_len;
    p->v1.channel_type = type;
    p->v1.endpoint.data = (const uint8_t *)"echo";
    p->v1.endpoint.length = 0;
    st = mvOpenChannel(p, h);
    *out = *h;
    return st;
}

uint32_t kt_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
