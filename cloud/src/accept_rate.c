/* Token bucket over new device TLS handshakes; see accept_rate.h. Parking a connection
 * is lws rx flow control (POLLIN off), so lws never reads its ClientHello; its handshake
 * timeout is lifted while it waits and restored when it is released. */
#include "accept_rate.h"

#include <libwebsockets.h>
#include <stdlib.h>

#include "mvr/metrics.h"
#include "mvr/util.h"

#define TICK_MS 20         /* release granularity while connections wait */
#define HANDSHAKE_S 10     /* the handshake timeout a released connection gets */

static double burst(const struct mvr_accept_rate *ar)
{
    return ar->rate / 10.0 + 1.0; /* 100 ms worth: smooth, not a second's worth at once */
}

static void refill(struct mvr_accept_rate *ar)
{
    int64_t now = mvr_now_us();
    ar->tokens += (double)(now - ar->last_us) * ar->rate / 1e6;
    if (ar->tokens > burst(ar))
        ar->tokens = burst(ar);
    ar->last_us = now;
}

static void release(struct lws *wsi)
{
    lws_set_timeout(wsi, PENDING_TIMEOUT_SSL_ACCEPT, HANDSHAKE_S);
    lws_rx_flow_control(wsi, 1);
}

static void tick_cb(uv_timer_t *t)
{
    struct mvr_accept_rate *ar = t->data;
    refill(ar);
    while (ar->n && ar->tokens >= 1.0) {
        struct lws *wsi = ar->q[ar->head];
        ar->head = (ar->head + 1) % ar->cap;
        ar->n--;
        if (!wsi)
            continue; /* closed while waiting: costs no token */
        ar->tokens -= 1.0;
        release(wsi);
    }
    if (!ar->n)
        uv_timer_stop(&ar->timer);
}

int mvr_accept_rate_init(struct mvr_accept_rate *ar, uv_loop_t *loop, uint32_t rate)
{
    ar->rate = rate;
    ar->tokens = burst(ar);
    ar->last_us = mvr_now_us();
    ar->head = ar->n = ar->cap = 0;
    ar->q = NULL;
    uv_timer_init(loop, &ar->timer);
    ar->timer.data = ar;
    return 0;
}

void mvr_accept_rate_close(struct mvr_accept_rate *ar)
{
    uv_close((uv_handle_t *)&ar->timer, NULL);
    free(ar->q);
    ar->q = NULL;
    ar->n = ar->cap = 0;
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
    if (!ar->rate)
        return;
    refill(ar);
    if (!ar->n && ar->tokens >= 1.0) {
        ar->tokens -= 1.0;
        return;
    }
    if (ar->n == ar->cap && grow(ar) < 0)
        return; /* out of memory: let it through rather than lose it */
    ar->q[(ar->head + ar->n++) % ar->cap] = wsi;
    lws_rx_flow_control(wsi, 0);
    lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
    mvr_metrics.accepts_deferred++;
    if (!uv_is_active((uv_handle_t *)&ar->timer))
        uv_timer_start(&ar->timer, tick_cb, TICK_MS, TICK_MS);
}

/* A linear scan, but only of the waiting connections, and only while some wait: their
 * number is bounded by the unauthenticated-connection cap (preauth.h). */
void mvr_accept_rate_gone(struct mvr_accept_rate *ar, struct lws *wsi)
{
    for (size_t i = 0; i < ar->n; i++)
        if (ar->q[(ar->head + i) % ar->cap] == wsi)
            ar->q[(ar->head + i) % ar->cap] = NULL;
}
