/* Admission of device TLS handshakes: a rate (--accept-rate: at most RATE started per
 * second) and a concurrency cap (--max-handshakes: at most MAX in progress at once). A
 * connection over either is accepted but not read: its ClientHello waits in the socket,
 * in arrival order, until a token and a slot free it. lws advances every handshake in
 * progress a step at a time, so without the cap a crowd of handshakes shares the CPU and
 * each takes the crowd's size times one handshake's CPU, past the device's timeout in a
 * reconnect storm; with it the admitted ones stay short and the rest wait their turn
 * (the unauthenticated caps of preauth.h bound how many wait; a parked one times out). */
#ifndef MVR_ACCEPT_RATE_H
#define MVR_ACCEPT_RATE_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct lws;

struct mvr_hs_slot {
    struct lws *wsi;
    int started;         /* bytes arrived: OpenSSL began the handshake */
};

struct mvr_accept_rate {
    uint32_t rate;       /* handshakes started per second; 0: no limit */
    uint32_t max_hs;     /* handshakes in progress at most; 0: no limit */
    double tokens;       /* token bucket, refilled at rate, at most the burst */
    int64_t last_us;     /* last refill */
    struct lws **q;      /* waiting connections, FIFO ring (NULL: closed while waiting) */
    size_t head, n, cap;
    struct mvr_hs_slot *hs; /* handshakes in progress, unordered */
    size_t n_hs, cap_hs;
    int closed;          /* the server is shutting down */
    uv_timer_t timer;    /* runs while connections wait */
};

/* rate 0 / max_hs 0 disable either limit; the timer joins loop. 0 or -1. */
int mvr_accept_rate_init(struct mvr_accept_rate *ar, uv_loop_t *loop, uint32_t rate,
                         uint32_t max_hs);
void mvr_accept_rate_close(struct mvr_accept_rate *ar);
/* LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED: starts wsi's handshake now or parks it. */
void mvr_accept_rate_new(struct mvr_accept_rate *ar, struct lws *wsi);
/* LWS_CALLBACK_SSL_INFO handshake start: wsi's client has sent bytes (see demotion). */
void mvr_accept_rate_started(struct mvr_accept_rate *ar, struct lws *wsi);
/* The TLS handshake of wsi is over (LWS_CALLBACK_SSL_INFO handshake done, or the first
 * HTTP callback): its slot goes to the next waiting connection. Idempotent. */
void mvr_accept_rate_done(struct mvr_accept_rate *ar, struct lws *wsi);
/* LWS_CALLBACK_WSI_DESTROY: frees wsi's slot, forgets wsi if it was waiting. */
void mvr_accept_rate_gone(struct mvr_accept_rate *ar, struct lws *wsi);

#endif
