/* State shared by the server loop (server.c), the device endpoint (device/dev.c) and the API
 * endpoint (api/api.c). */
#ifndef MVR_SERVER_PRIV_H
#define MVR_SERVER_PRIV_H

#include <libwebsockets.h>
#include <uv.h>

#include "mvr/config.h"
#include "mvr/datadir.h"
#include "mvr/rest.h"
#include "mvr/session.h"
#include "device/dev_index.h"
#include "svc/svc.h"
#include "accept_rate.h"
#include "preauth.h"

_Static_assert(LWS_PRE <= MVR_OUT_PRE, "session headroom must cover LWS_PRE");

/* The fleet event connection (fleet.c): none (the tick opens one once fleet_wait_s is
 * 0), being opened off the loop, polled, its handle closing, or the relay stopped while
 * it was being opened (nothing reopens it). */
enum mvr_fleet_state { FLEET_NONE, FLEET_POLLING, FLEET_CLOSING, FLEET_OPENING, FLEET_STOPPED };

struct dev_conn {
    struct mvr_session s; /* first: a session pointer is a dev_conn pointer */
    struct lws *wsi;
    unsigned char rx_paused;
    unsigned char shed; /* over the session limit: GOAWAY queued, not counted (device/shed.c) */
    unsigned char peer_closed; /* the device sent a WebSocket close: lws answers it, not us */
    uint32_t ix;                      /* position in mvr_devix.all */
    struct dev_conn *hnext, **hpprev; /* mvr_devix bucket of s.device_id */
};

struct sse_sub;
struct http_svc;

struct mvr_server {
    const struct mvr_config *cfg;
    char dev_iface[64], api_iface[64]; /* numeric listen addresses (mvr_listen_resolve) */
    uv_loop_t loop;
    uv_signal_t sigint, sigterm;
    uv_timer_t tick, drain;
    uv_async_t store_done; /* the store's writer completed jobs: run their callbacks */
    struct lws_context *ctx;
    struct mvr_datadir dd;
    struct mvr_rest rest;
    struct mvr_session_env env;
    struct mvr_devix devs; /* live device connections (device/dev_index.c) */
    uint32_t dev_sessions; /* of them, the ones not shed (counted for --max-sessions) */
    struct mvr_preauth dev_pa, api_pa; /* unauthenticated connections per listener */
    struct mvr_accept_rate dev_ar;      /* device TLS handshakes per second */
    struct sse_sub *subs;
    struct http_svc *http; /* HTTP proxy service (svc/http/http_proxy.c) */
    struct mvr_svc upd_svc; /* update channel service (svc/update.c) */
    struct mvr_svc_update_cfg upd_cfg;
    int draining;
    unsigned ticks;
    uv_poll_t fleet_poll; /* the store's fleet event connection (fleet.c) */
    enum mvr_fleet_state fleet_state;
    unsigned fleet_wait_s;    /* ticks left before the next open attempt */
    unsigned fleet_backoff_s; /* the wait after the next failed attempt */
};

extern const struct lws_protocols mvr_dev_protocols[];
extern const struct lws_protocols mvr_api_protocols[];

/* Device registry. */
void mvr_dev_on_hello(void *ctx, struct mvr_session *s);
/* A service queued output on s outside a device callback: schedule a write. */
void mvr_dev_on_output(void *ctx, struct mvr_session *s);
int mvr_dev_is_online(void *ctx, const char *device_id);
/* 1 if this relay holds a live session of the device (loop state only, no store call). */
int mvr_dev_is_local(struct mvr_server *srv, const char *device_id);
/* REST changed device_id's target app: its live session offers it now. */
void mvr_dev_target_changed(void *ctx, const char *device_id);
void mvr_dev_tick(struct mvr_server *srv);
void mvr_dev_goaway_all(struct mvr_server *srv);
/* Sends GOAWAY (replaced) to every live session of device_id but keep that started
 * before before_us (INT64_MAX: all of them). */
void mvr_dev_replace(struct mvr_server *srv, const char *device_id,
                     const struct mvr_session *keep, int64_t before_us);
/* Fleet events (fleet.c). */
void mvr_fleet_tick(struct mvr_server *srv);
void mvr_fleet_stop(struct mvr_server *srv);
/* Session limit (device/shed.c): 0 when the authenticated device id may be held, else
 * the retry-after (ms) to send it; then mvr_shed_session queues GOAWAY and the close. */
uint32_t mvr_shed_retry_ms(struct mvr_server *srv, const char *id);
void mvr_shed_session(struct dev_conn *dc, uint32_t retry_ms);
/* Admission (device/admit.c): looks the connection's device up off the loop, holding its
 * frames meanwhile; 0 or -1 (out of memory). cancel: the connection closes first. */
int mvr_admit_start(struct mvr_server *srv, struct dev_conn *dc);
void mvr_admit_cancel(struct dev_conn *dc);
/* Log stream fan-out. */
void mvr_api_on_logs(void *ctx, const char *device_id);
void mvr_api_tick(struct mvr_server *srv);
/* Wakes every live stream (records may have been committed while events were lost). */
void mvr_api_kick_all(struct mvr_server *srv);

#endif
