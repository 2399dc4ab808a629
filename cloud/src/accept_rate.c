/* Admission of device TLS handshakes; see accept_rate.h. Parking a connection is lws rx
 * flow control (POLLIN off), so lws never reads its ClientHello; while parked it has a
 * longer timeout (PARK_S), and the handshake's (hs_ms) starts when it gets a slot. The
 * queue is a ring in arrival order; serving from its middle (newest first, or past a
 * client that has sent nothing yet) leaves vacated entries, trimmed at either end and
 * squeezed out when the ring is rebuilt for room. */
#define _GNU_SOURCE /* POLLRDHUP */
#include "accept_rate.h"

#include <libwebsockets.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "mvr/metrics.h"
#include "mvr/util.h"

#define TICK_MS 20         /* release granularity while connections wait for tokens */
#define PARK_S 30          /* a parked connection's timeout: its device gave up long ago */
#define PUMP_BATCH 128     /* parked connections looked at per pump, with one poll() */
#define LIFO_AFTER_US 50000 /* the oldest parked waited longer: serve the newest first */

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

static int slots_full(const struct mvr_accept_rate *ar)
{
    return ar->max_hs && ar->n_hs >= ar->max_hs;
}

/* Records wsi's handshake as in progress (always, for the gauge; bounded by the
 * unauthenticated cap without --max-handshakes) and gives it hs_ms to finish. Out of
 * memory: it goes untracked (lws's timeout still ends it). */
static void start(struct mvr_accept_rate *ar, struct lws *wsi, int64_t parked_us)
{
    if (ar->rate)
        ar->tokens -= 1.0;
    /* lws 4.1 times out in whole seconds and renews this at each handshake step; the
     * slot's own limit is expire_slots(). */
    lws_set_timeout(wsi, PENDING_TIMEOUT_SSL_ACCEPT, (int)((ar->hs_ms + 999) / 1000));
    if (ar->n_hs == ar->cap_hs) {
        size_t cap = ar->cap_hs ? ar->cap_hs * 2 : 32;
        struct mvr_hs_slot *hs = realloc(ar->hs, cap * sizeof *hs);
        if (!hs)
            return;
        ar->hs = hs;
        ar->cap_hs = cap;
    }
    int64_t now = mvr_now_us();
    ar->hs[ar->n_hs++] = (struct mvr_hs_slot){wsi, now, parked_us ? parked_us : now};
    mvr_metrics.handshakes_current = (int64_t)ar->n_hs;
    if (mvr_metrics.handshakes_current > mvr_metrics.handshakes_peak)
        mvr_metrics.handshakes_peak = mvr_metrics.handshakes_current;
}

static void drop_slot(struct mvr_accept_rate *ar, size_t i)
{
    ar->hs[i] = ar->hs[--ar->n_hs];
    mvr_metrics.handshakes_current = (int64_t)ar->n_hs;
}

/* A scan of at most max_hs entries (or the unauthenticated cap): 1 if wsi was in it. */
static int untrack(struct mvr_accept_rate *ar, struct lws *wsi)
{
    for (size_t i = 0; i < ar->n_hs; i++)
        if (ar->hs[i].wsi == wsi) {
            drop_slot(ar, i);
            return 1;
        }
    return 0;
}

/* While connections wait (the tick runs): a handshake that has held its slot past
 * hs_ms gives the slot up now and is closed by lws within a second (a client stalled
 * after its ClientHello sends nothing more, so lws does not renew the timeout). The
 * relay does not close it itself: LWS_TO_KILL_SYNC from this timer on connections that
 * lws had parked or was closing lost other devices' established sessions in storm runs
 * (bench/README.md, relay_conns), and lws 4.1 renews its handshake timeout at every
 * step, so the one set in start() alone does not bound a slot. */
static void expire_slots(struct mvr_accept_rate *ar)
{
    int64_t now = mvr_now_us();
    for (size_t i = 0; i < ar->n_hs;)
        if (now - ar->hs[i].t_us > (int64_t)ar->hs_ms * 1000) {
            lws_set_timeout(ar->hs[i].wsi, PENDING_TIMEOUT_SSL_ACCEPT, 1);
            drop_slot(ar, i);
            mvr_metrics.handshakes_timed_out++;
        } else {
            i++;
        }
}

static void tick_cb(uv_timer_t *t);

static struct mvr_parked *at(const struct mvr_accept_rate *ar, size_t i)
{
    return &ar->q[(ar->head + i) % ar->cap];
}

/* Room for extra more entries at the tail: the ring is rebuilt without its vacated
 * entries, and doubled until it is at most half full (so rebuilds stay rare). Entry
 * offsets change: 0, or -1 out of memory (nothing changed). */
static int ensure_room(struct mvr_accept_rate *ar, size_t extra)
{
    if (ar->n + extra <= ar->cap)
        return 0;
    size_t cap = ar->cap ? ar->cap : 256;
    while (ar->live + extra > cap / 2)
        cap *= 2;
    struct mvr_parked *q = malloc(cap * sizeof *q);
    if (!q)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < ar->n; i++)
        if (at(ar, i)->wsi)
            q[k++] = *at(ar, i);
    free(ar->q);
    ar->q = q;
    ar->cap = cap;
    ar->head = 0;
    ar->n = k;
    return 0;
}

/* Room is there (ensure_room). t_us: when it was parked first (0: now). */
static void push(struct mvr_accept_rate *ar, struct lws *wsi, int64_t t_us)
{
    ar->q[(ar->head + ar->n++) % ar->cap] = (struct mvr_parked){wsi, t_us ? t_us : mvr_now_us()};
    ar->live++;
    mvr_metrics.handshakes_parked++;
}

/* The entry leaves the queue (served or closed); its place stays until trimmed. */
static void vacate(struct mvr_accept_rate *ar, struct mvr_parked *e)
{
    e->wsi = NULL;
    ar->live--;
    mvr_metrics.handshakes_parked--;
}

/* Drops vacated entries at both ends. */
static void trim(struct mvr_accept_rate *ar)
{
    while (ar->n && !at(ar, 0)->wsi) {
        ar->head = (ar->head + 1) % ar->cap;
        ar->n--;
    }
    while (ar->n && !at(ar, ar->n - 1)->wsi)
        ar->n--;
}

static void release(struct lws *wsi)
{
    lws_rx_flow_control(wsi, 1);
}

/* Room is there (ensure_room, or the caller checked). */
static void park_at_tail(struct mvr_accept_rate *ar, struct lws *wsi, int64_t t_us)
{
    push(ar, wsi, t_us);
    lws_rx_flow_control(wsi, 0);
    lws_set_timeout(wsi, PENDING_TIMEOUT_SSL_ACCEPT, PARK_S);
    if (!uv_is_active((uv_handle_t *)&ar->timer))
        uv_timer_start(&ar->timer, tick_cb, TICK_MS, TICK_MS);
}

/* Whether a slot holder is idle on its client: OpenSSL has not read a whole ClientHello
 * (its handshake state is still TLS_ST_BEFORE: lws creates the SSL and calls SSL_accept
 * at accept, so "handshake started", or SSL_in_before, says nothing about the client)
 * and nothing waits in its socket: a silent client, or one trickling its ClientHello
 * (lws already took what came). */
static int idle_holder(struct lws *wsi)
{
    SSL *ssl = lws_get_ssl(wsi);
    if (ssl && SSL_get_state(ssl) != TLS_ST_BEFORE)
        return 0;
    struct pollfd p = {.fd = lws_get_socket_fd(wsi), .events = POLLIN};
    return p.fd >= 0 && poll(&p, 1, 0) >= 0 && !(p.revents & POLLIN);
}

/* All slots taken while others wait with a ClientHello: the holders idle on their
 * client go back to the queue (with the time they were first parked: a client that
 * keeps coming back does not look new), so that silent or trickling clients cannot hold
 * the slots. The caller made room for them (entry offsets must not change here). */
static void demote_idle(struct mvr_accept_rate *ar)
{
    for (size_t i = 0; i < ar->n_hs;) {
        if (ar->n == ar->cap || !idle_holder(ar->hs[i].wsi)) {
            i++;
            continue;
        }
        park_at_tail(ar, ar->hs[i].wsi, ar->hs[i].parked_us);
        drop_slot(ar, i);
    }
}

/* One parked connection, given what poll says of its socket: a device that gave up has
 * closed its side (its ClientHello still in the socket: answering would cost a
 * handshake's CPU for nobody); one that has sent nothing yet would hold a slot doing
 * nothing (a silent client must not block the others), so it stays parked. */
static void admit_one(struct mvr_accept_rate *ar, struct mvr_parked *e, short revents)
{
    struct lws *wsi = e->wsi;
    if (revents & (POLLRDHUP | POLLHUP | POLLERR)) {
            /* Asynchronous: lws may be closing it already. */
        vacate(ar, e);
        lws_set_timeout(wsi, PENDING_TIMEOUT_SSL_ACCEPT, LWS_TO_KILL_ASYNC);
    } else if (revents & POLLIN) {
        int64_t parked_us = e->t_us;
        vacate(ar, e);
        start(ar, wsi, parked_us);
        release(wsi);
    }
}

/* Offsets of up to PUMP_BATCH parked connections in the order they are to be served:
 * oldest first while the oldest has waited less than LIFO_AFTER_US, newest first once
 * it has (a newly arriving device then gets the next slot instead of waiting for the
 * whole queue). */
static size_t pick(const struct mvr_accept_rate *ar, int64_t now, size_t *idx)
{
    int lifo = ar->n && now - at(ar, 0)->t_us > LIFO_AFTER_US;
    size_t k = 0;
    for (size_t j = 0; j < ar->n && k < PUMP_BATCH; j++) {
        size_t i = lifo ? ar->n - 1 - j : j;
        if (at(ar, i)->wsi)
            idx[k++] = i;
    }
    return k;
}

/* Closes what waited too long, then looks at up to PUMP_BATCH waiting connections with
 * one poll() and starts those whose ClientHello has arrived while tokens and slots last.
 * The rest are looked at again on the next pump (a slot freed, or the tick). */
static void pump(struct mvr_accept_rate *ar)
{
    if (ar->closed)
        return;
    refill(ar);
    int64_t now = mvr_now_us();
    trim(ar);
    if (!ar->n) {
        uv_timer_stop(&ar->timer);
        return;
    }
    /* Room for the demoted first: serving below uses offsets taken before demotion. */
    if (ensure_room(ar, ar->n_hs) < 0)
        return;
    size_t idx[PUMP_BATCH];
    struct pollfd p[PUMP_BATCH];
    size_t k = pick(ar, now, idx);
    for (size_t i = 0; i < k; i++) {
        p[i].fd = lws_get_socket_fd(at(ar, idx[i])->wsi);
        p[i].events = POLLIN | POLLRDHUP;
        p[i].revents = 0;
    }
    if (k && poll(p, (nfds_t)k, 0) < 0)
        k = 0;
    int ready = 0;
    for (size_t i = 0; i < k; i++)
        ready |= (p[i].revents & POLLIN) != 0;
    if (ready && slots_full(ar))
        demote_idle(ar);
    for (size_t i = 0; i < k && can_start(ar); i++)
        admit_one(ar, at(ar, idx[i]), p[i].revents);
    trim(ar);
    if (!ar->n)
        uv_timer_stop(&ar->timer);
}

static void tick_cb(uv_timer_t *t)
{
    expire_slots(t->data);
    pump(t->data);
}

int mvr_accept_rate_init(struct mvr_accept_rate *ar, uv_loop_t *loop, uint32_t rate,
                         uint32_t max_hs, uint32_t hs_ms)
{
    *ar = (struct mvr_accept_rate){.rate = rate, .max_hs = max_hs,
                                   .hs_ms = hs_ms ? hs_ms : MVR_HANDSHAKE_MS};
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
    ar->n = ar->cap = ar->live = ar->n_hs = ar->cap_hs = 0;
}

void mvr_accept_rate_new(struct mvr_accept_rate *ar, struct lws *wsi)
{
    if (ar->closed)
        return;
    refill(ar);
    if (!ar->live && can_start(ar)) {
        start(ar, wsi, 0);
        return;
    }
    if (ensure_room(ar, 1) < 0) {
        start(ar, wsi, 0); /* out of memory: let it through rather than lose it */
        return;
    }
    park_at_tail(ar, wsi, 0);
    mvr_metrics.accepts_deferred++;
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
        if (at(ar, i)->wsi == wsi)
            vacate(ar, at(ar, i));
    /* Not trimmed here: pump may be closing wsi while it holds entry offsets. */
    mvr_accept_rate_done(ar, wsi);
}
