/* Accept rate limit (--accept-rate): at most RATE new TLS handshakes per second on the
 * device listener. A connection over the rate is accepted but not read: its ClientHello
 * waits in the socket, in arrival order, until a token frees it, so a reconnect storm
 * costs the loop a steady, bounded handshake load and no device is refused or timed out
 * for it (the unauthenticated caps of preauth.h still bound how many wait). */
#ifndef MVR_ACCEPT_RATE_H
#define MVR_ACCEPT_RATE_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct lws;

struct mvr_accept_rate {
    uint32_t rate;       /* handshakes per second; 0: no limit */
    double tokens;       /* token bucket, refilled at rate, at most the burst */
    int64_t last_us;     /* last refill */
    struct lws **q;      /* waiting connections, FIFO ring (NULL: closed while waiting) */
    size_t head, n, cap;
    uv_timer_t timer;    /* runs while connections wait */
};

/* rate 0 disables it; the timer joins loop. 0 or -1 (out of memory). */
int mvr_accept_rate_init(struct mvr_accept_rate *ar, uv_loop_t *loop, uint32_t rate);
void mvr_accept_rate_close(struct mvr_accept_rate *ar);
/* LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED: starts wsi's handshake now or parks it. */
void mvr_accept_rate_new(struct mvr_accept_rate *ar, struct lws *wsi);
/* LWS_CALLBACK_WSI_DESTROY: forgets wsi if it was waiting. */
void mvr_accept_rate_gone(struct mvr_accept_rate *ar, struct lws *wsi);

#endif
