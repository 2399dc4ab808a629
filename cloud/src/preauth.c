/* Caps on unauthenticated connections, per source address and per listener. The count
 * rides on the connection (lws opaque user data) from accept until authentication or
 * close. A linear table: addresses are few at any time and it costs one scan per accept. */
#include "preauth.h"

#include <libwebsockets.h>
#include <netinet/in.h>
#include <string.h>

#include "mvr/log.h"
#include "mvr/metrics.h"
#include "mvr/util.h"

/* The address bytes of sa (IPv4-mapped IPv6 folded to IPv4); their length, 0 if none. */
static uint8_t addr_of(const struct sockaddr *sa, uint8_t out[16])
{
    if (sa->sa_family == AF_INET) {
        memcpy(out, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return 4;
    }
    if (sa->sa_family != AF_INET6)
        return 0;
    const uint8_t *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!memcmp(a, mapped, 12)) {
        memcpy(out, a + 12, 4);
        return 4;
    }
    memcpy(out, a, 16);
    return 16;
}

static struct mvr_preauth_addr *find(struct mvr_preauth *pa, const uint8_t *a, uint8_t len,
                                     int create)
{
    struct mvr_preauth_addr *free_slot = NULL;
    for (int i = 0; i < MVR_PREAUTH_ADDRS; i++) {
        struct mvr_preauth_addr *e = &pa->tab[i];
        if (e->len == len && !memcmp(e->addr, a, len))
            return e;
        if (!e->len && !free_slot)
            free_slot = e;
    }
    if (!create || !free_slot)
        return NULL;
    memcpy(free_slot->addr, a, len);
    free_slot->len = len;
    free_slot->n = 0;
    free_slot->owner = pa;
    return free_slot;
}

static uint64_t conns_open, conns_max = UINT64_MAX;

void mvr_conns_set_limit(uint64_t nofile)
{
    uint64_t reserve = nofile / 8 > 64 ? nofile / 8 : 64;
    conns_max = nofile > 2 * reserve ? nofile - reserve : nofile / 2;
}

void mvr_conns_created(void)
{
    conns_open++;
}

void mvr_conns_destroyed(void)
{
    if (conns_open)
        conns_open--;
}

int mvr_preauth_admit(struct mvr_preauth *pa, const struct sockaddr *sa)
{
    uint8_t a[16], len = addr_of(sa, a);
    const struct mvr_preauth_addr *e = len ? find(pa, a, len, 0) : NULL;
    if (conns_open < conns_max && pa->total < MVR_PREAUTH_PER_LISTENER &&
        (!e || e->n < (pa->per_addr ? pa->per_addr : MVR_PREAUTH_PER_ADDR)))
        return 0;
    pa->refused++;
    return -1;
}

void mvr_preauth_track(struct mvr_preauth *pa, struct lws *wsi)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    uint8_t a[16], len;
    lws_sockfd_type fd = lws_get_socket_fd(wsi);
    if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &sl) < 0 ||
        !(len = addr_of((struct sockaddr *)&ss, a)))
        return;
    struct mvr_preauth_addr *e = find(pa, a, len, 1);
    if (!e)
        return; /* table full: the listener-wide cap still applies to the others */
    e->n++;
    pa->total++;
    lws_set_opaque_user_data(wsi, e);
}

void mvr_preauth_done(struct lws *wsi)
{
    struct mvr_preauth_addr *e = lws_get_opaque_user_data(wsi);
    if (!e)
        return;
    lws_set_opaque_user_data(wsi, NULL);
    e->owner->total--;
    if (--e->n == 0)
        e->len = 0;
}

int mvr_preauth_gate(struct mvr_preauth *pa, void *args, const char *listener)
{
    static int64_t last_log_us;
    const struct lws_filter_network_conn_args *a = args;
    if (!a || mvr_preauth_admit(pa, (const struct sockaddr *)&a->cli_addr) == 0)
        return 0;
    mvr_metrics.preauth_refused++;
    int64_t now = mvr_now_us();
    if (now - last_log_us >= 1000000) {
        last_log_us = now;
        mvr_log(MVR_WARN, "connection refused", "listener=%s reason=\"%s\" refused_total=%llu",
                listener, conns_open >= conns_max ? "descriptor reserve reached"
                                                  : "unauthenticated connections over the cap",
                (unsigned long long)pa->refused);
    }
    return 1;
}

int mvr_preauth_callback(struct mvr_preauth *pa, struct lws *wsi, int reason, void *user,
                         const char *listener, int *rc)
{
    *rc = 0;
    switch (reason) {
    case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
        *rc = mvr_preauth_gate(pa, user, listener);
        return 1;
    case LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED:
        mvr_preauth_track(pa, wsi);
        return 1;
    case LWS_CALLBACK_WSI_CREATE:
        mvr_conns_created();
        return 1;
    case LWS_CALLBACK_WSI_DESTROY:
        mvr_preauth_done(wsi);
        mvr_conns_destroyed();
        return 1;
    default:
        return 0;
    }
}
