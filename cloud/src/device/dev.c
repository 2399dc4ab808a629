/* The device endpoint (wss://HOST:PORT/v1/device, subprotocol mvisor.v1) on lws: mutual
 * TLS checks, the registry of live sessions (one per device id), and the glue between
 * lws callbacks and the session: bytes in, queued frames out (coalesced into messages of
 * up to 16 KiB, up to 64 KiB of them per WRITEABLE). */
#include <stdlib.h>
#include <string.h>

#include "mvp/ctrl.h"
#include "mvr/log.h"
#include "mvr/metrics.h"
#include "mvr/pki.h"
#include "mvr/util.h"
#include "server_priv.h"
#include "device/peer_cert.h"

static struct mvr_server *server_of(struct lws *wsi)
{
    return lws_context_user(lws_get_context(wsi));
}

/* The client certificate must have verified against our CA and carry a device id as its
 * CN. lws 4.1 would otherwise accept a failed chain (design.md section 6). Whether that
 * device is provisioned is a store lookup, made off the loop after the upgrade
 * (device/admit.c). */
static int peer_device(struct lws *wsi, char id[35])
{
    union lws_tls_cert_info_results ir;
    char buf[sizeof(ir) + 128];
    union lws_tls_cert_info_results *r = (void *)buf;
    if (lws_tls_peer_cert_info(wsi, LWS_TLS_CERT_INFO_VERIFIED, &ir, 0) || !ir.verified)
        return -1;
    if (lws_tls_peer_cert_info(wsi, LWS_TLS_CERT_INFO_COMMON_NAME, r, 128) ||
        r->ns.len != MVR_DEVICE_ID_LEN)
        return -1;
    memcpy(id, r->ns.name, MVR_DEVICE_ID_LEN);
    id[MVR_DEVICE_ID_LEN] = '\0';
    return mvr_device_id_valid(id) ? 0 : -1;
}

static int filter(struct lws *wsi, struct mvr_server *srv)
{
    char uri[64], id[35];
    if (srv->draining)
        return -1;
    if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) < 0 || strcmp(uri, "/v1/device")) {
        mvr_log(MVR_WARN, "device connection refused", "reason=\"path\"");
        return -1;
    }
    if (peer_device(wsi, id) < 0) {
        mvr_metrics.errors[MVR_ERRK_CERT_REJECTED]++;
        mvr_log(MVR_WARN, "device connection refused", "reason=\"certificate\"");
        return -1;
    }
    return 0;
}

static int established(struct lws *wsi, struct mvr_server *srv, struct dev_conn **slot)
{
    char id[35], remote[64] = "";
    mvr_preauth_done(wsi); /* the client certificate is verified */
    if (peer_device(wsi, id) < 0)
        return -1;
    mvr_peer_cert_slim(lws_get_ssl(wsi)); /* ~3 KB less per connection; memory only */
    struct dev_conn *dc = calloc(1, sizeof *dc);
    if (!dc)
        return -1;
    uint32_t shed_ms = mvr_shed_retry_ms(srv, id);
    lws_get_peer_simple(wsi, remote, sizeof remote);
    mvr_session_init(&dc->s, &srv->env, id, remote, mvr_now_us());
    dc->wsi = wsi;
    if (mvr_devix_add(&srv->devs, dc) < 0) {
        mvr_session_free(&dc->s);
        free(dc);
        return -1;
    }
    *slot = dc;
    if (shed_ms) {
        mvr_shed_session(dc, shed_ms);
        lws_callback_on_writable(wsi);
    } else {
        srv->dev_sessions++;
        if (mvr_admit_start(srv, dc) < 0) { /* out of memory */
            dc->s.close = MVR_CLOSE_NORMAL;
            lws_callback_on_writable(wsi);
        }
    }
    mvr_metrics.device_connections_total++;
    mvr_metrics.device_connections_current++;
    mvr_log(MVR_INFO, "device connected", "device=%s remote=%s", id, remote);
    return 0;
}

static void closed(struct mvr_server *srv, struct dev_conn *dc)
{
    mvr_devix_remove(&srv->devs, dc);
    mvr_admit_cancel(dc);
    if (!dc->shed)
        srv->dev_sessions--;
    if (dc->s.hello_done)
        mvr_session_note_seen(&dc->s, mvr_now_us(), 0);
    mvr_log(MVR_INFO, "device disconnected", "device=%s", dc->s.device_id);
    mvr_metrics.device_connections_current--;
    if (dc->rx_paused)
        mvr_metrics.device_rx_paused_current--;
    mvr_session_free(&dc->s);
    free(dc);
}

/* A device whose input produces output faster than it reads (PING or request floods)
 * would grow the queue without bound: stop reading from it above MVR_OUTQ_HIGH and
 * resume below half, so the pause does not flap on every frame. The same pause holds a
 * device whose LOG batches wait for the store (mvr_session_store_wait). */
static void rx_pause(struct dev_conn *dc, int pause)
{
    if (dc->rx_paused == pause)
        return;
    dc->rx_paused = pause;
    lws_rx_flow_control(dc->wsi, !pause);
    mvr_metrics.device_rx_paused_current += pause ? 1 : -1;
    if (pause)
        mvr_metrics.device_rx_paused_total++;
    mvr_log(MVR_DEBUG, pause ? "device rx paused" : "device rx resumed", "device=%s queued=%zu",
            dc->s.device_id, dc->s.outq_bytes);
}

static void flow(struct dev_conn *dc)
{
    int store = mvr_session_store_wait(&dc->s);
    if (dc->s.outq_bytes > MVR_OUTQ_HIGH || store)
        rx_pause(dc, 1);
    else if (dc->s.outq_bytes < MVR_OUTQ_HIGH / 2)
        rx_pause(dc, 0);
}

static int write_one(struct lws *wsi, struct dev_conn *dc, size_t *sent);

/* Output goes out at once when lws holds nothing back for the connection (an idle
 * device's socket is writable), instead of waiting for a WRITEABLE callback: asking for
 * one changes the poll mask and changing it back after the write costs libuv an
 * epoll_ctl DEL and ADD each way, four calls and a loop turn per PING, which was ~20 % of
 * the relay's idle CPU. lws 4.1 allows lws_write here: what the socket does not take it
 * keeps (buflist_out), sends on POLLOUT before our next WRITEABLE and asks for it itself,
 * so order is kept; with something already kept (lws_partial_buffered) we wait for
 * WRITEABLE as before. Closing and a close started by the device take the callback path.
 * Anything that kicks a connection also makes it due at the next 1 Hz sweep. */
static void kick(struct dev_conn *dc)
{
    size_t sent = 0;
    mvr_devix_wake(&((struct mvr_server *)dc->s.env->ctx)->devs, dc);
    if (dc->s.outq && !dc->s.close && !dc->peer_closed && !lws_partial_buffered(dc->wsi) &&
        write_one(dc->wsi, dc, &sent) < 0) {
        /* the socket failed: lws closes it on its next event; make sure it does */
        lws_set_timeout(dc->wsi, PENDING_TIMEOUT_HTTP_KEEPALIVE_IDLE, LWS_TO_KILL_ASYNC);
        return;
    }
    if (dc->s.outq || dc->s.close)
        lws_callback_on_writable(dc->wsi);
    flow(dc);
}

static int receive(struct lws *wsi, struct dev_conn *dc, const void *in, size_t len)
{
    if (!lws_frame_is_binary(wsi)) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE, NULL, 0);
        return -1;
    }
    mvr_session_feed(&dc->s, in, len, mvr_now_us());
    kick(dc);
    return 0;
}

/* Frames queued behind o, up to COALESCE_MAX bytes in all, join it in one WebSocket
 * message (PROTOCOL.md: a message may hold several frames): one TLS record and one
 * write instead of one per frame, which is what many small responses (MQTT publish
 * answers, log acks) cost otherwise. NULL when out of memory. */
#define COALESCE_MAX 16384u
static struct mvr_out *coalesce(struct mvr_session *s, struct mvr_out *o)
{
    size_t total = o->len;
    for (struct mvr_out *q = s->outq; q && total + q->len <= COALESCE_MAX; q = q->next)
        total += q->len;
    if (total == o->len)
        return o;
    struct mvr_out *big = malloc(sizeof *big + MVR_OUT_PRE + total);
    if (!big) {
        free(o);
        return NULL;
    }
    big->next = NULL;
    big->len = 0;
    for (struct mvr_out *q = o; q; q = big->len < total ? mvr_session_pop(s) : NULL) {
        memcpy(big->data + MVR_OUT_PRE + big->len, q->data + MVR_OUT_PRE, q->len);
        big->len += q->len;
        free(q);
    }
    return big;
}

static enum lws_close_status close_status(enum mvr_close c)
{
    return c == MVR_CLOSE_PROTOCOL ? LWS_CLOSE_STATUS_PROTOCOL_ERR
           : c == MVR_CLOSE_POLICY ? LWS_CLOSE_STATUS_POLICY_VIOLATION
                                   : LWS_CLOSE_STATUS_NORMAL;
}

/* One queued message out (adding its length to *sent): 0 written, 1 nothing queued,
 * -1 the connection failed. */
static int write_one(struct lws *wsi, struct dev_conn *dc, size_t *sent)
{
    struct mvr_out *o = mvr_session_pop(&dc->s);
    if (!o)
        return 1;
    o = coalesce(&dc->s, o);
    if (!o)
        return -1;
    int n = lws_write(wsi, o->data + MVR_OUT_PRE, o->len, LWS_WRITE_BINARY);
    size_t len = o->len;
    free(o);
    if (n < (int)len)
        return -1;
    *sent += len;
    if (dc->s.outq_bytes < MVR_OUTQ_REFILL)
        mvr_session_drained(&dc->s); /* bulk senders refill as the device takes it */
    return 0;
}

/* Bytes written per WRITEABLE callback at most (fairness between the loop's devices).
 * While the socket takes more, the next message goes out in the same callback: a bulk
 * stream (an update download) then costs one loop turn per WRITE_TURN_MAX, not one per
 * 16 KiB message (bench/README.md, host_ota). */
#define WRITE_TURN_MAX (64u * 1024u)

static int writeable(struct lws *wsi, struct dev_conn *dc)
{
    size_t sent = 0;
    int rc;
    while ((rc = write_one(wsi, dc, &sent)) == 0)
        if (!dc->s.outq || sent >= WRITE_TURN_MAX || lws_send_pipe_choked(wsi))
            break;
    if (rc < 0)
        return -1;
    if (rc == 1 && !sent && dc->s.close) {
        /* lws 4.1 treats both "return -1 from WRITEABLE" and an expired timeout as a
         * violent death (no close frame), except for the keepalive-idle reason: an
         * async kill with that reason takes the polite path that sends our code. */
        lws_close_reason(wsi, close_status(dc->s.close), NULL, 0);
        lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_KEEPALIVE_IDLE, LWS_TO_KILL_ASYNC);
        return 0;
    }
    if (dc->s.outq || dc->s.close)
        lws_callback_on_writable(wsi);
    flow(dc);
    return 0;
}

static int dev_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                  size_t len)
{
    struct dev_conn **slot = user;
    struct mvr_server *srv = server_of(wsi);
    int rc;
    if (reason == LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED)
        mvr_accept_rate_new(&srv->dev_ar, wsi);
    else if (reason == LWS_CALLBACK_WSI_DESTROY)
        mvr_accept_rate_gone(&srv->dev_ar, wsi);
    if (mvr_preauth_callback(&srv->dev_pa, wsi, (int)reason, user, "device", &rc))
        return rc;
    switch (reason) {
    case LWS_CALLBACK_OPENSSL_LOAD_EXTRA_SERVER_VERIFY_CERTS:
        /* user is the vhost's SSL_CTX. An idle connection then holds no TLS record
         * buffers (about 34 KiB otherwise): OpenSSL frees them whenever they are empty.
         * No server-side session cache: devices do not resume by session id, and a
         * cached session would share its peer certificate, which peer_cert.c empties,
         * with the connection resuming it (stateless tickets carry their own copy). */
        SSL_CTX_set_mode((SSL_CTX *)user, SSL_MODE_RELEASE_BUFFERS);
        SSL_CTX_set_session_cache_mode((SSL_CTX *)user, SSL_SESS_CACHE_OFF);
        return 0;
    case LWS_CALLBACK_OPENSSL_PERFORM_CLIENT_CERT_VERIFICATION:
        /* len carries OpenSSL's preverify result: 0 means the chain did not verify. */
        if (!len) {
            mvr_metrics.errors[MVR_ERRK_CERT_REJECTED]++;
            mvr_log(MVR_WARN, "client certificate rejected", "reason=\"chain\"");
            return 1;
        }
        return 0;
    case LWS_CALLBACK_SSL_INFO:
        if (((const struct lws_ssl_info *)in)->where & SSL_CB_HANDSHAKE_START)
            mvr_accept_rate_started(&srv->dev_ar, wsi);
        if (((const struct lws_ssl_info *)in)->where & SSL_CB_HANDSHAKE_DONE)
            mvr_accept_rate_done(&srv->dev_ar, wsi);
        return 0;
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        mvr_accept_rate_done(&srv->dev_ar, wsi); /* in case no SSL_INFO came */
        return filter(wsi, srv);
    case LWS_CALLBACK_ESTABLISHED:
        return established(wsi, srv, slot);
    case LWS_CALLBACK_RECEIVE:
        return *slot ? receive(wsi, *slot, in, len) : -1;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return *slot ? writeable(wsi, *slot) : -1;
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (*slot)
            (*slot)->peer_closed = 1;
        return 0;
    case LWS_CALLBACK_CLOSED:
        if (*slot)
            closed(srv, *slot);
        *slot = NULL;
        return 0;
    default:
        return 0;
    }
}

const struct lws_protocols mvr_dev_protocols[] = {
    /* rx_buffer_size is allocated per connection by lws for its whole life (rx_ubuf,
     * + LWS_PRE + 4): 128 B keeps idle devices cheap; bigger messages arrive in 128 B
     * pieces, which mvp_reader joins (the TLS read itself goes through lws's one shared
     * per-thread buffer, so the piece size costs callbacks, not reads). It must hold a
     * whole control frame payload (125 B). lws 4.1 also caps each send() at
     * rx_buffer_size when tx_packet_size is 0, and buffers the rest; tx_packet_size lets
     * a coalesced message (COALESCE_MAX) go out as one TLS record. */
    {.name = MVP_SUBPROTOCOL, .callback = dev_cb, .per_session_data_size = sizeof(void *),
     .rx_buffer_size = 128, .tx_packet_size = COALESCE_MAX + 16},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

void mvr_dev_on_hello(void *ctx, struct mvr_session *s)
{
    mvr_dev_replace(ctx, s->device_id, s, INT64_MAX);
}

void mvr_dev_replace(struct mvr_server *srv, const char *device_id,
                     const struct mvr_session *keep, int64_t before_us)
{
    for (struct dev_conn *dc = mvr_devix_chain(&srv->devs, device_id); dc; dc = dc->hnext) {
        if (&dc->s == keep || strcmp(dc->s.device_id, device_id) || dc->s.close ||
            dc->s.started_us >= before_us)
            continue;
        mvr_log(MVR_INFO, "session replaced", "device=%s by=%s", device_id,
                keep ? "this relay" : "another relay");
        /* Two devices sharing one identity would otherwise knock each other off as fast
         * as they reconnect: tell the old one why, and to stay away for a while. */
        mvr_session_goaway_reason(&dc->s, MVP_GOAWAY_REPLACED, MVR_REPLACED_RETRY_MS,
                                  "another connection with this device identity replaced "
                                  "this one");
        mvr_devix_wake(&srv->devs, dc);
        lws_callback_on_writable(dc->wsi);
    }
}

void mvr_dev_on_output(void *ctx, struct mvr_session *s)
{
    (void)ctx; /* admit.c passes NULL: kick finds the server through the session's env */
    kick((struct dev_conn *)s); /* the session is the first member of its dev_conn */
}

int mvr_dev_is_local(struct mvr_server *srv, const char *device_id)
{
    for (struct dev_conn *dc = mvr_devix_chain(&srv->devs, device_id); dc; dc = dc->hnext)
        if (dc->s.hello_done && !dc->s.close && !strcmp(dc->s.device_id, device_id))
            return 1;
    return 0;
}

int mvr_dev_is_online(void *ctx, const char *device_id)
{
    struct mvr_server *srv = ctx;
    /* In a fleet, the device may be connected to another relay. */
    return mvr_dev_is_local(srv, device_id) ||
           mvr_store_device_online_elsewhere(srv->dd.store, device_id) == 1;
}

void mvr_dev_target_changed(void *ctx, const char *device_id)
{
    struct mvr_server *srv = ctx;
    for (struct dev_conn *dc = mvr_devix_chain(&srv->devs, device_id); dc; dc = dc->hnext)
        if (dc->s.hello_done && !dc->s.close && !strcmp(dc->s.device_id, device_id)) {
            mvr_svc_update_kick(&dc->s);
            kick(dc);
        }
}

/* The 1 Hz sweep: only the connections that are due (dev_index.h). Nothing here closes a
 * connection synchronously (lws closes from its own events), so the array holds still. */
void mvr_dev_tick(struct mvr_server *srv)
{
    int64_t now = mvr_now_us();
    for (uint32_t i = 0; i < srv->devs.n; i++) {
        struct mvr_devix_ent *e = &srv->devs.all[i];
        if (e->due_us > now)
            continue;
        struct dev_conn *dc = e->dc;
        mvr_session_tick(&dc->s, now);
        kick(dc);
        e->due_us = dc->rx_paused || dc->shed ? 0 : mvr_session_idle_until(&dc->s);
    }
}

void mvr_dev_goaway_all(struct mvr_server *srv)
{
    for (uint32_t i = 0; i < srv->devs.n; i++) {
        struct dev_conn *dc = srv->devs.all[i].dc;
        mvr_session_goaway(&dc->s, 1000, "relay shutting down");
        kick(dc);
    }
}
