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
#define PUMP_BATCH 128     /* parked connections looked at per pump, with one poll() */

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
        struct mvr_hs_slot *hs = realloc(ar->hs, cap * sizeof *hs);
        if (!hs)
            return;
        ar->hs = hs;
        ar->cap_hs = cap;
    }
    ar->hs[ar->n_hs++] = (struct mvr_hs_slot){wsi, 0};
    mvr_metrics.handshakes_current = (int64_t)ar->n_hs;
    if (mvr_metrics.handshakes_current > mvr_metrics.handshakes_peak)
        mvr_metrics.handshakes_peak = mvr_metrics.handshakes_current;
}

/* A scan of at most max_hs entries (or the unauthenticated cap): 1 if wsi was in it. */
static int untrack(struct mvr_accept_rate *ar, struct lws *wsi)
{
    for (size_t i = 0; i < ar->n_hs; i++)
        if (ar->hs[i].wsi == wsi) {
            ar->hs[i] = ar->hs[--ar->n_hs];
            mvr_metrics.handshakes_current = (int64_t)ar->n_hs;
            return 1;
        }
    return 0;
}

static void tick_cb(uv_timer_t *t);

/* Room is there: the queue only grows in mvr_accept_rate_new, which grows it first. */
static void push(struct mvr_accept_rate *ar, struct lws *wsi)
{
    ar->q[(ar->head + ar->n++) % ar->cap] = wsi;
}

static void release(struct lws *wsi)
{
    lws_set_timeout(wsi, PENDING_TIMEOUT_SSL_ACCEPT, HANDSHAKE_S);
    lws_rx_flow_control(wsi, 1);
}

static int grow(struct mvr_accept_rate *ar);

/* 0, or -1 out of memory (wsi left as it was). */
static int park(struct mvr_accept_rate *ar, struct lws *wsi)
{
    if (ar->n == ar->cap && grow(ar) < 0)
        return -1;
    push(ar, wsi);
    lws_rx_flow_control(wsi, 0);
    lws_set_timeout(wsi, PENDING_TIMEOUT_SSL_ACCEPT, PARK_S);
    mvr_metrics.handshakes_parked++;
    if (!uv_is_active((uv_handle_t *)&ar->timer))
        uv_timer_start(&ar->timer, tick_cb, TICK_MS, TICK_MS);
    return 0;
}

/* All slots taken: those whose client has sent nothing yet (no handshake started: lws
 * calls SSL_accept only once bytes arrived) go back to the queue, so that silent
 * clients cannot hold the slots for their 10 s while others wait with a ClientHello. */
static void demote_silent(struct mvr_accept_rate *ar)
{
    for (size_t i = 0; i < ar->n_hs;) {
        struct lws *wsi = ar->hs[i].wsi;
        if (ar->hs[i].started || park(ar, wsi) < 0) {
            i++;
            continue;
        }
        ar->hs[i] = ar->hs[--ar->n_hs];
    }
    mvr_metrics.handshakes_current = (int64_t)ar->n_hs;
}

static struct lws *pop(struct mvr_accept_rate *ar)
{
    struct lws *wsi = ar->q[ar->head];
    ar->head = (ar->head + 1) % ar->cap;
    ar->n--;
    return wsi;
}

/* One parked connection, given what poll says of its socket: a device that gave up has
 * closed its side (its ClientHello still in the socket: answering would cost a
 * handshake's CPU for nobody), one that has sent nothing yet would hold a slot doing
 * nothing (a silent client must not block the others), so it goes to the back. */
static void admit_one(struct mvr_accept_rate *ar, struct lws *wsi, short revents)
{
    if (revents & (POLLRDHUP | POLLHUP | POLLERR)) {
        mvr_metrics.handshakes_parked--;
        lws_set_timeout(wsi, PENDING_TIMEOUT_SSL_ACCEPT, LWS_TO_KILL_ASYNC);
    } else if (!(revents & POLLIN)) {
        push(ar, wsi);
    } else {
        mvr_metrics.handshakes_parked--;
        start(ar, wsi);
        release(wsi);
    }
}

/* Looks at up to PUMP_BATCH waiting connections from the head with one poll() and
 * starts those whose ClientHello has arrived, in arrival order, while tokens and slots
 * last. The rest are looked at again on the next pump (a slot freed, or the tick). */
static void pump(struct mvr_accept_rate *ar)
{
    if (ar->closed)
        return;
    refill(ar);
    struct pollfd p[PUMP_BATCH];
    size_t k = 0;
    for (size_t i = 0; i < ar->n && k < PUMP_BATCH; i++) {
        struct lws *wsi = ar->q[(ar->head + i) % ar->cap];
        p[k].fd = wsi ? lws_get_socket_fd(wsi) : -1;
        p[k].events = POLLIN | POLLRDHUP;
        p[k++].revents = 0;
    }
    if (k && poll(p, (nfds_t)k, 0) < 0)
        k = 0;
    int ready = 0;
    for (size_t i = 0; i < k; i++)
        ready |= (p[i].revents & POLLIN) != 0;
    if (ready && ar->max_hs && ar->n_hs >= ar->max_hs)
        demote_silent(ar);
    for (size_t i = 0; i < k && can_start(ar); i++) {
        struct lws *wsi = pop(ar);
        if (wsi) /* NULL: closed while waiting, costs nothing */
            admit_one(ar, wsi, p[i].revents);
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
    ar->q = NULL;
    ar->hs = NULL;
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
    if (park(ar, wsi) < 0) {
        start(ar, wsi); /* out of memory: let it through rather than lose it */
        return;
    }
    mvr_metrics.accepts_deferred++;
}

void mvr_accept_rate_started(struct mvr_accept_rate *ar, struct lws *wsi)
{
    for (size_t i = 0; i < ar->n_hs; i++)
        if (ar->hs[i].wsi == wsi)
            ar->hs[i].started = 1;
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
