/* Brings the kernel to its boot state (Criterion runs each test in its own process,
 * so this is the only initialisation a test needs) and helpers that drive a channel
 * the way the relay would. */
#include <criterion/criterion.h>

#include "api_test.h"
#include "conn.h"
#include "kernel.h"
#include "mvp/frame.h"
#include "mvp/msg.h"

void mvt_kernel_reset(void);

void mvt_kernel_reset(void)
{
    cr_assert_eq(mvk_kernel_init(), 0);
}

void mvt_inject(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len)
{
    struct mvp_hdr h = {type, 0, chan, len};

    mvk_session_frame(&h, payload);
}

void mvt_inject_msg(uint16_t chan, uint8_t msg_type, const uint8_t *body, uint32_t len)
{
    static uint8_t buf[20000];
    int n = mvp_msg_encode(msg_type, body, len, buf, sizeof buf);

    cr_assert_gt(n, 0);
    mvt_inject(MVP_DATA, chan, buf, (uint32_t)n);
}

uint16_t mvt_open_channel(enum MvChannelType type, uint32_t rx, uint32_t tx, MvChannelHandle *out)
{
    static MvNotificationHandle *nh; /* one per test process, shared by its channels */
    static MvNetworkHandle *neth;
    struct MvOpenChannelParams *p = mvt_app_alloc(sizeof *p);
    MvChannelHandle *h = mvt_app_alloc(sizeof *h);
    struct mvp_welcome w = {1, 1700000000000000ull, 16384, 65536, 30, 0, 0};
    const uint8_t credit[4] = {0, 1, 0, 0}; /* 65536 */
    uint8_t ftype;
    uint16_t chan;
    uint32_t len;

    if (nh == NULL) {
        struct MvNotificationSetup *ns = mvt_app_alloc(sizeof *ns);
        struct MvRequestNetworkParams *np = mvt_app_alloc(sizeof *np);

        nh = mvt_app_alloc(sizeof *nh);
        neth = mvt_app_alloc(sizeof *neth);
        ns->irq = 20;
        ns->buffer = mvt_app_alloc(16 * sizeof(struct MvNotification));
        ns->buffer_size = 16 * sizeof(struct MvNotification);
        cr_assert_eq(mvSetupNotifications(ns, nh), MV_STATUS_OKAY);
        np->version = 1;
        np->v1.notification_handle = *nh;
        cr_assert_eq(mvRequestNetwork(np, neth), MV_STATUS_OKAY);
        mvt_conn_set_up(1);
        mvk_session_up(&w);
    }
    p->version = 1;
    p->v1.notification_handle = *nh;
    p->v1.network_handle = *neth;
    p->v1.receive_buffer = mvt_app_alloc(rx);
    p->v1.receive_buffer_len = rx;
    p->v1.send_buffer = mvt_app_alloc(tx);
    p->v1.send_buffer_len = tx;
    p->v1.channel_type = type;
    cr_assert_eq(mvOpenChannel(p, h), MV_STATUS_OKAY);
    cr_assert_not_null(mvt_conn_last(&ftype, &chan, &len));
    cr_assert_eq(ftype, MVP_OPEN);
    mvt_inject(MVP_OPEN_OK, chan, credit, sizeof credit);
    *out = *h;
    return chan;
}
