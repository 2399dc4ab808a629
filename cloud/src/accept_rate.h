/* Admission of device TLS handshakes: a rate (--accept-rate: at most RATE started per
 * second) and a concurrency cap (--max-handshakes: at most MAX in progress at once). A
 * connection over either is accepted but not read: its ClientHello waits in the socket
 * until a token and a slot free it. lws advances every handshake in progress a step at a
 * time, so without the cap a crowd of handshakes shares the CPU and each takes the
 * crowd's size times one handshake's CPU, past the device's timeout in a reconnect storm;
 * with it the admitted ones stay short and the rest wait their turn.
 * The wait is kept short for a newly arriving device (which cannot be told from a
 * returning one before its handshake) by the queue discipline: parked connections are
 * served oldest first while the oldest has waited less than 50 ms, newest first once
 * it has (adaptive LIFO: under overload the newest still gets the next slot instead of
 * waiting for the whole queue); and a handshake that holds a slot longer than hs_ms
 * gives it up and is closed within a second (a client that stalls after its
 * ClientHello holds no slot long; one that is silent or trickles its ClientHello is
 * moved back to the queue when others wait). */
#ifndef MVR_ACCEPT_RATE_H
#define MVR_ACCEPT_RATE_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct lws;

#define MVR_HANDSHAKE_MS 2000 /* --handshake-timeout-ms default */

struct mvr_hs_slot {
    struct lws *wsi;
    int64_t t_us;        /* when it got the slot */
    int64_t parked_us;   /* when it was first parked (t_us if never), kept on demotion */
};

struct mvr_parked {
    struct lws *wsi;     /* NULL: left the queue (served, closed) while others stayed */
    int64_t t_us;        /* when it was parked */
};

struct mvr_accept_rate {
    uint32_t rate;       /* handshakes started per second; 0: no limit */
    uint32_t max_hs;     /* handshakes in progress at most; 0: no limit */
    uint32_t hs_ms;      /* a handshake's time limit once it has a slot */
    double tokens;       /* token bucket, refilled at rate, at most the burst */
    int64_t last_us;     /* last refill */
    struct mvr_parked *q; /* waiting connections, a ring in arrival order */
    size_t head, n, cap; /* n: the ring's span, vacated entries included */
    size_t live;         /* entries with a connection */
    struct mvr_hs_slot *hs; /* handshakes in progress, unordered */
    size_t n_hs, cap_hs;
    int closed;          /* the server is shutting down */
    uv_timer_t timer;    /* runs while connections wait */
};

/* rate 0 / max_hs 0 disable either limit; hs_ms 0 means the default (MVR_HANDSHAKE_MS,
 * rounded up to whole seconds by lws). The timer joins loop. 0 or -1. */
int mvr_accept_rate_init(struct mvr_accept_rate *ar, uv_loop_t *loop, uint32_t rate,
                         uint32_t max_hs, uint32_t hs_ms);
void mvr_accept_rate_close(struct mvr_accept_rate *ar);
/* LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED: starts wsi's handshake now or parks it. */
void mvr_accept_rate_new(struct mvr_accept_rate *ar, struct lws *wsi);
/* The TLS handshake of wsi is over (LWS_CALLBACK_SSL_INFO handshake done, or the first
 * HTTP callback): its slot goes to the next waiting connection. Idempotent. */
void mvr_accept_rate_done(struct mvr_accept_rate *ar, struct lws *wsi);
/* LWS_CALLBACK_WSI_DESTROY: frees wsi's slot, forgets wsi if it was waiting. */
void mvr_accept_rate_gone(struct mvr_accept_rate *ar, struct lws *wsi);

#endif
