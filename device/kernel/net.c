/* The kernel wants the connection while the app holds at least one network request or
 * the log module has records to deliver (so logs reach the relay even from apps that
 * never call mvRequestNetwork), and for a linger time after the last records went out.
 * Status is derived from conn's state on every update. */
#include "net.h"

#include "clock.h"
#include "conn.h"
#include "handle.h"
#include "log.h"
#include "mvk_limits.h"
#include "notify.h"
#include "sysevent.h"
#include "update.h"

struct netreq {
    int used;
    uint32_t handle;
    uint32_t notify_h;
    uint32_t tag;
};

static struct netreq reqs[MVK_MAX_NET_REQUESTS];
static uint32_t refcount;
static int ever_used;
static int wanted;
static enum MvNetworkStatus last_status;
static uint64_t hold_until; /* after an app reset: keep the session until then */
static uint64_t linger_until; /* log records were pending: keep the session until then */

void mvk_net_init(void)
{
    for (uint32_t i = 0; i < MVK_MAX_NET_REQUESTS; i++)
        reqs[i] = (struct netreq){0};
    refcount = 0;
    ever_used = 0;
    wanted = 0;
    last_status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    hold_until = 0;
    linger_until = 0;
}

void mvk_net_app_reset(void)
{
    for (uint32_t i = 0; i < MVK_MAX_NET_REQUESTS; i++) {
        if (reqs[i].used)
            mvk_handle_free(reqs[i].handle);
        reqs[i] = (struct netreq){0};
    }
    refcount = 0;
    ever_used = 0;
    /* A restarted application asks for the network again within moments; dropping the
     * session now would cost it a full reconnect (TLS, and up to the connect timeout on
     * a link that cannot see the peer). */
    if (wanted)
        hold_until = mvk_clock_now_us() + MVK_APP_RESET_NET_HOLD_US;
    mvk_net_update();
}

uint64_t mvk_net_next_deadline_us(void)
{
    uint64_t h = hold_until != 0 ? hold_until : UINT64_MAX;
    uint64_t l = linger_until != 0 ? linger_until : UINT64_MAX;
    return h < l ? h : l;
}

static enum MvNetworkStatus compute_status(void)
{
    if (refcount == 0)
        return MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    if (mvk_conn_state() == MVK_CONN_UP)
        return MV_NETWORKSTATUS_CONNECTED;
    return MV_NETWORKSTATUS_CONNECTING;
}

enum MvNetworkStatus mvk_net_status(void)
{
    return compute_status();
}

static void notify_all(void)
{
    for (uint32_t i = 0; i < MVK_MAX_NET_REQUESTS; i++)
        if (reqs[i].used)
            mvk_notify_post(reqs[i].notify_h, MV_EVENTTYPE_NETWORKSTATUSCHANGED, reqs[i].tag);
    mvk_sysevent_post(MV_SYSTEMNOTIFICATIONSOURCE_NETWORK, MV_EVENTTYPE_NETWORKSTATUSCHANGED);
}

void mvk_net_update(void)
{
    uint64_t now = mvk_clock_now_us();
    int logs = mvk_log_wants_network();
    /* A started download keeps the session, as Microvisor fetches updates on its own. */
    int w = refcount > 0 || logs || mvk_update_downloading();
    enum MvNetworkStatus st;

    if (hold_until != 0 && now >= hold_until)
        hold_until = 0;
    if (logs)
        linger_until = now + MVK_LOG_NET_LINGER_US;
    else if (linger_until != 0 && now >= linger_until)
        linger_until = 0;
    w = w || hold_until != 0 || linger_until != 0;

    if (w != wanted) {
        wanted = w;
        mvk_conn_set_wanted(w);
    }
    st = compute_status();
    if (st != last_status) {
        last_status = st;
        notify_all();
    }
}

int mvk_net_handle_valid(uint32_t h)
{
    uint32_t i;

    return mvk_handle_lookup(h, MVK_H_NETWORK, &i) == 0 && i < MVK_MAX_NET_REQUESTS &&
           reqs[i].used;
}

enum MvStatus mvk_impl_request_network(uint32_t notify_h, uint32_t tag, uint32_t *out)
{
    uint32_t i;

    for (i = 0; i < MVK_MAX_NET_REQUESTS && reqs[i].used; i++)
        ;
    if (i == MVK_MAX_NET_REQUESTS)
        return MV_STATUS_MICROVISORBUSY;
    if (mvk_handle_alloc(MVK_H_NETWORK, i, &reqs[i].handle) != 0)
        return MV_STATUS_INTERNALERROR;
    reqs[i].used = 1;
    reqs[i].notify_h = notify_h;
    reqs[i].tag = tag;
    refcount++;
    ever_used = 1;
    *out = reqs[i].handle;
    mvk_net_update();
    /* A newcomer learns the current state even if it did not change. */
    mvk_notify_post(notify_h, MV_EVENTTYPE_NETWORKSTATUSCHANGED, tag);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_impl_release_network(uint32_t h)
{
    uint32_t i;

    if (mvk_handle_lookup(h, MVK_H_NETWORK, &i) != 0 || i >= MVK_MAX_NET_REQUESTS ||
        !reqs[i].used)
        return MV_STATUS_INVALIDHANDLE;
    mvk_handle_free(h);
    reqs[i] = (struct netreq){0};
    refcount--;
    mvk_net_update();
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_impl_get_network_reasons(uint32_t *reasons, uint32_t *count)
{
    uint32_t r = MV_NETWORKREASON_NOTCONNECTING;

    if (refcount > 0)
        r |= MV_NETWORKREASON_USINGNETWORK;
    if (!ever_used)
        r |= MV_NETWORKREASON_NEVERUSEDNETWORKAPI;
    if (mvk_update_downloading())
        r |= MV_NETWORKREASON_FETCHINGUPDATE;
    *reasons = r;
    *count = refcount;
    return MV_STATUS_OKAY;
}
