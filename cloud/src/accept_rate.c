/* Admission of device TLS handshakes; see accept_rate.h. Parking a connection is lws rx
 * flow control (POLLIN off), so lws never reads its ClientHello; while parked it has a
 * longer timeout (PARK_S), and the handshake timeout starts when it is released. */
#define _GNU_SOURCE /* POLLRDHUP */
#include "accept_rate.h"

#include <libwebsockets.h>
#include <poll.h>
#include <stdlib.h>

#include "mvr/metrics.h"
#include "mvr/util.h"

#define TICK_MS 20         /* release granularity while connections wait for tokens */
#define HANDSHAKE_S 10     /* the handshake timeout a released connection gets */
#define PARK_S 30          /* a parked connection's timeout: its device gave up long ago */

static double burst(const struct mvr_accept_rate *ar)
{
    return ar->rate / 10.0 + 1.0; /* 100 ms worth: smooth, not a second's worth at once */
}

static void refill(struct mvr_accept_rate *ar)
{
    if (!ar->rate)
        return;
    int64_t now = mvr_now_us();
    ar->tokens += (double)(now - ar->last_us) * ar->rate / 1e6;
    if (ar->tokens > burst(ar))
        ar->tokens = burst(ar);
    ar->last_us = now;
}

static int can_start(const struct mvr_accept_rate *ar)
{
    return (!ar->rate || ar->tokens >= 1.0) && (!ar->max_hs || ar->n_hs < ar->max_hs);
}

/* Records wsi's handshake as in progress (always, for the gauge; bounded by the
 * unauthenticated cap without --max-handshakes). Out of memory: it goes untracked. */
static void start(struct mvr_accept_rate *ar, struct lws *wsi)
{
    if (ar->rate)
        ar->tokens -= 1.0;
    if (ar->n_hs == ar->cap_hs) {
        size_t cap = ar->cap_hs ? ar->cap_hs * 2 : 32;
        struct lws **hs = realloc(ar->hs, cap * sizeof *hs);
        if (!hs)
            return;
        ar->hs = hs;
        ar->cap_hs = cap;
    }
    ar->hs[ar->n_hs++] = wsi;
    mvr_metrics.handshakes_current = (int64_t)ar->n_hs;
    if (mvr_metrics.handshakes_current > mvr_metrics.handshakes_peak)
        mvr_metrics.handshakes_peak = mvr_metrics.handshakes_current;
}

/* A scan of at most max_hs entries (or the unauthenticated cap): 1 if wsi was in it. */
static int untrack(struct mvr_accept_rate *ar, struct lws *wsi)
{
    for (size_t i = 0; i < ar->n_hs; i++)
        if (ar->hs[i] == wsi) {
            ar->hs[i] = ar->hs[--ar->n_hs];
            mvr_metrics.handshakes_current = (int64_t)ar->n_hs;
            return 1;
        }
    return 0;
}

/* A device that gave up while parked has closed its side: its ClientHello is still in
 * the socket, and answering it would cost a handshake's CPU for nobody. */
static int peer_gone(struct lws *wsi)
{
    struct pollfd p = {.fd = lws_get_socket_fd(wsi), .events = POLLRDHUP};
    return p.fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

static void release(struct lws *wsi)
{
    lws_set_timeout(wsi, PENDING_TIMEOUT_SSL_ACCEPT, HANDSHAKE_S);
    lws_rx_flow_control(wsi, 1);
}

static void pump(struct mvr_accept_rate *ar)
{
    if (ar->closed)
        return;
    refill(ar);
    while (ar->n && can_start(ar)) {
        struct lws *wsi = ar->q[ar->head];
        ar->head = (ar->head + 1) % ar->cap;
        ar->n--;
        if (!wsi)
            continue; /* closed while waiting: costs no token */
        mvr_metrics.handshakes_parked--;
        if (peer_gone(wsi)) {
            lws_set_timeout(wsi, PENDING_TIMEOUT_SSL_ACCEPT, LWS_TO_KILL_ASYNC);
            continue;
        }
        start(ar, wsi);
        release(wsi);
    }
    if (!ar->n)
        uv_timer_stop(&ar->timer);
}

static void tick_cb(uv_timer_t *t)
{
    pump(t->data);
}

int mvr_accept_rate_init(struct mvr_accept_rate *ar, uv_loop_t *loop, uint32_t rate,
                         uint32_t max_hs)
{
    *ar = (struct mvr_accept_rate){.rate = rate, .max_hs = max_hs};
    ar->tokens = burst(ar);
    ar->last_us = mvr_now_us();
    uv_timer_init(loop, &ar->timer);
    ar->timer.data = ar;
    return 0;
}

/* Idempotent: the server closes it before destroying the lws context, whose connections
 * then leave without releasing anyone. */
void mvr_accept_rate_close(struct mvr_accept_rate *ar)
{
    if (ar->closed)
        return;
    ar->closed = 1;
    uv_close((uv_handle_t *)&ar->timer, NULL);
    free(ar->q);
    free(ar->hs);
    ar->q = ar->hs = NULL;
    ar->n = ar->cap = ar->n_hs = ar->cap_hs = 0;
}

static int grow(struct mvr_accept_rate *ar)
{
    size_t cap = ar->cap ? ar->cap * 2 : 256;
    struct lws **q = malloc(cap * sizeof *q);
    if (!q)
        return -1;
    for (size_t i = 0; i < ar->n; i++)
        q[i] = ar->q[(ar->head + i) % ar->cap];
    free(ar->q);
    ar->q = q;
    ar->cap = cap;
    ar->head = 0;
    return 0;
}

void mvr_accept_rate_new(struct mvr_accept_rate *ar, struct lws *wsi)
{
    if (ar->closed)
        return;
    refill(ar);
    if (!ar->n && can_start(ar)) {
        start(ar, wsi);
        return;
    }
    if (ar->n == ar->cap && grow(ar) < 0) {
        start(ar, wsi); /* out of memory: let it through rather than lose it */
        return;
    }
    ar->q[(ar->head + ar->n++) % ar->cap] = wsi;
    lws_rx_flow_control(wsi, 0);
    lws_set_timeout(wsi, PENDING_TIMEOUT_SSL_ACCEPT, PARK_S);
    mvr_metrics.accepts_deferred++;
    mvr_metrics.handshakes_parked++;
    if (!uv_is_active((uv_handle_t *)&ar->timer))
        uv_timer_start(&ar->timer, tick_cb, TICK_MS, TICK_MS);
}

void mvr_accept_rate_done(struct mvr_accept_rate *ar, struct lws *wsi)
{
    if (untrack(ar, wsi))
        pump(ar);
}

/* A linear scan, but only of the waiting connections, and only while some wait: their
 * number is bounded by the unauthenticated-connection cap (preauth.h). */
void mvr_accept_rate_gone(struct mvr_accept_rate *ar, struct lws *wsi)
{
    for (size_t i = 0; i < ar->n; i++)
        if (ar->q[(ar->head + i) % ar->cap] == wsi) {
            ar->q[(ar->head + i) % ar->cap] = NULL;
            mvr_metrics.handshakes_parked--;
        }
    mvr_accept_rate_done(ar, wsi);
}
