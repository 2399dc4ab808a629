/* Process lifecycle: data dir, the libuv loop with lws joined to it as a foreign loop,
 * the two vhosts, signals (GOAWAY, then an orderly lws teardown) and the 1 Hz tick. */
#include "mvr/server.h"

#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvr/listen.h"
#include "mvr/log.h"
#include "mvr/metrics.h"
#include "mvr/util.h"
#include "server_priv.h"
#include "device/peer_cert.h"
#include "svc/http/http_proxy.h"
#include "svc/mqtt/mqtt_bridge.h"

#define DRAIN_MS 300 /* time for GOAWAY frames to reach devices before teardown */

static char *metrics_cb(void *ctx)
{
    (void)ctx;
    return mvr_metrics_render();
}

/* lws's own lines, with a repeat of the same line within a second folded into a count:
 * a peer (or a resource limit) can make lws repeat an error thousands of times a second. */
static void lws_emit(int level, const char *line)
{
    static char last[256];
    static int64_t last_us;
    static unsigned long repeats;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    int64_t now = mvr_now_us();
    if (n < sizeof last && !strncmp(last, line, n) && last[n] == '\0' &&
        now - last_us < 1000000) {
        repeats++;
        return;
    }
    char esc[1024];
    if (repeats)
        mvr_log(MVR_WARN, "lws", "line=\"%s\" repeated=%lu", mvr_log_esc(last, strlen(last),
                esc, sizeof esc), repeats);
    repeats = 0;
    last_us = now;
    snprintf(last, sizeof last, "%.*s", (int)n, line);
    mvr_log(level == LLL_ERR ? MVR_ERROR : MVR_WARN, "lws", "line=\"%s\"",
            mvr_log_esc(line, n, esc, sizeof esc));
}

/* One keepalive mechanism: the protocol's PING and its 3-silent-intervals rule, checked
 * by the relay's 1 Hz sweep over the sessions (mvr_dev_tick, O(n) per second). lws's own
 * validity policy is switched off (hangup 0 disables it in lws 4.1): it would send a
 * second, WebSocket-level ping, and every re-arm of its per-connection timer is a sorted
 * insert into one list of all connections' timers (lws_dll2_add_sorted, O(n) each, so
 * O(n^2) per interval), which was 88 % of the relay's idle CPU at 10k devices. */
static const lws_retry_bo_t retry_policy = {
    .secs_since_valid_ping = 0,
    .secs_since_valid_hangup = 0,
};

static struct lws_vhost *make_vhost(struct mvr_server *srv, int device)
{
    struct lws_context_creation_info v;
    memset(&v, 0, sizeof v);
    v.vhost_name = device ? "device" : "api";
    v.iface = device ? srv->dev_iface : srv->api_iface;
    v.port = device ? srv->cfg->listen_port : srv->cfg->api_port;
    v.protocols = device ? mvr_dev_protocols : mvr_api_protocols;
    v.ssl_cert_filepath = srv->dd.cert_path;
    v.ssl_private_key_filepath = srv->dd.key_path;
    v.alpn = "http/1.1";
    v.retry_and_idle_policy = &retry_policy;
    v.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    /* With IPv6 enabled, lws 4.1 binds an IPv4 iface address as the IPv6 wildcard (all
     * interfaces); an IPv4 listen address must disable IPv6 to bind only that address. */
    if (!strchr(v.iface, ':'))
        v.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    if (device) {
        /* LWS_CALLBACK_SSL_INFO when a handshake starts (its client sent bytes) and when
         * it is done (its slot of --max-handshakes frees): accept_rate.h. */
        v.ssl_info_event_mask = SSL_CB_HANDSHAKE_START | SSL_CB_HANDSHAKE_DONE;
        v.ssl_ca_filepath = srv->dd.ca_path;
        v.options |= LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT;
    }
    return lws_create_vhost(srv->ctx, &v);
}

/* Each TLS handshake uses tens of KiB of short-lived buffers; after a wave of connects
 * glibc keeps the freed pages between live allocations resident. Returning them to the
 * kernel after connects have happened keeps RSS per connection what the connections
 * hold. malloc_trim walks the heap (O(heap)), hence at most once per MALLOC_TRIM_S. */
#define MALLOC_TRIM_S 10

static void trim_heap(struct mvr_server *srv)
{
    static uint64_t last_total;
    if (srv->ticks % MALLOC_TRIM_S || mvr_metrics.device_connections_total == last_total)
        return;
    last_total = mvr_metrics.device_connections_total;
    malloc_trim(0);
}

static void tick_cb(uv_timer_t *t)
{
    struct mvr_server *srv = t->data;
    srv->ticks++;
    mvr_dev_tick(srv);
    mvr_api_tick(srv);
    mvr_fleet_tick(srv);
    trim_heap(srv);
}

/* Called on the store's writer thread: only wakes the loop. */
static void store_notify(void *arg)
{
    uv_async_send(arg);
}

/* On the loop: acknowledgements and other results of committed (or failed) store jobs. */
static void store_done_cb(uv_async_t *a)
{
    struct mvr_server *srv = a->data;
    mvr_store_poll(srv->dd.store);
}

static void close_own_handles(struct mvr_server *srv)
{
    mvr_http_svc_free(srv->http); /* after the sessions: their channels used it */
    srv->http = NULL;
    uv_close((uv_handle_t *)&srv->sigint, NULL);
    uv_close((uv_handle_t *)&srv->sigterm, NULL);
    uv_close((uv_handle_t *)&srv->tick, NULL);
    uv_close((uv_handle_t *)&srv->drain, NULL);
    mvr_fleet_stop(srv);
    mvr_accept_rate_close(&srv->dev_ar);
    mvr_devix_free(&srv->devs);
    mvr_peer_cert_cleanup();
    /* The sessions are gone: jobs still in the writer complete without an owner. */
    mvr_store_set_notify(srv->dd.store, NULL, NULL);
    uv_close((uv_handle_t *)&srv->store_done, NULL);
}

static void drain_cb(uv_timer_t *t)
{
    struct mvr_server *srv = t->data;
    mvr_log(MVR_INFO, "shutting down", NULL);
    mvr_accept_rate_close(&srv->dev_ar); /* the closing connections release nobody */
    lws_context_destroy(srv->ctx);
    close_own_handles(srv);
}

static void signal_cb(uv_signal_t *h, int signum)
{
    struct mvr_server *srv = h->data;
    if (srv->draining)
        return;
    srv->draining = 1;
    mvr_log(MVR_INFO, "signal: draining", "signal=%d", signum);
    mvr_dev_goaway_all(srv);
    uv_timer_stop(&srv->tick);
    uv_timer_start(&srv->drain, drain_cb, DRAIN_MS, 0);
}

static int init_loop(struct mvr_server *srv)
{
    if (uv_loop_init(&srv->loop) < 0)
        return -1;
    uv_signal_init(&srv->loop, &srv->sigint);
    uv_signal_init(&srv->loop, &srv->sigterm);
    uv_timer_init(&srv->loop, &srv->tick);
    uv_timer_init(&srv->loop, &srv->drain);
    srv->sigint.data = srv->sigterm.data = srv->tick.data = srv->drain.data = srv;
    uv_signal_start(&srv->sigint, signal_cb, SIGINT);
    uv_signal_start(&srv->sigterm, signal_cb, SIGTERM);
    uv_timer_start(&srv->tick, tick_cb, 1000, 1000);
    mvr_accept_rate_init(&srv->dev_ar, &srv->loop, srv->cfg->accept_rate,
                         srv->cfg->max_handshakes);
    /* 0: no cap per address (the listener-wide one stays). */
    srv->dev_pa.per_addr = srv->cfg->max_pending_per_address ? srv->cfg->max_pending_per_address
                                                             : UINT32_MAX;
    uv_async_init(&srv->loop, &srv->store_done, store_done_cb);
    srv->store_done.data = srv;
    mvr_store_set_notify(srv->dd.store, store_notify, &srv->store_done);
    return 0;
}

static int start_lws(struct mvr_server *srv)
{
    struct lws_context_creation_info info;
    void *loops[1] = {&srv->loop};
    memset(&info, 0, sizeof info);
    info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_EXPLICIT_VHOSTS |
                   LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.foreign_loops = loops;
    info.user = srv;
    info.pcontext = &srv->ctx;
    srv->ctx = lws_create_context(&info);
    if (!srv->ctx)
        return -1;
    if (!make_vhost(srv, 1) || !make_vhost(srv, 0))
        return -1;
    return 0;
}

/* The HTTP proxy joins the loop before lws accepts the first device. */
static int start_http(struct mvr_server *srv)
{
    srv->http = mvr_http_svc_new(&srv->loop, &srv->cfg->http);
    srv->env.svc[MV_CHANNELTYPE_HTTP] = mvr_http_svc_iface(srv->http);
    if (!srv->http)
        fprintf(stderr, "mvrelay: cannot start the HTTP proxy (libcurl)\n");
    return srv->http ? 0 : -1;
}

/* The MQTT bridge (svc/mqtt/mqtt_bridge.c): MQTT channels, each with its broker client on the
 * loop. Freed by run() once the loop has ended (no channel or client is left then). */
static int start_mqtt(struct mvr_server *srv, struct mvr_mqtt_bridge **b)
{
    *b = mvr_mqtt_bridge_new(&srv->loop, &srv->cfg->mqtt);
    srv->env.svc[MV_CHANNELTYPE_MQTT] = mvr_mqtt_bridge_svc(*b);
    if (!*b)
        fprintf(stderr, "mvrelay: cannot start the MQTT bridge\n");
    return *b ? 0 : -1;
}

static int run(struct mvr_server *srv)
{
    const struct mvr_config *c = srv->cfg;
    char err[512];
    const char *names[MVR_MAX_NAMES];
    for (size_t i = 0; i < c->n_names; i++)
        names[i] = c->names[i];
    if (mvr_listen_resolve(c->listen_addr, c->listen_port, srv->dev_iface,
                           sizeof srv->dev_iface, err, sizeof err) < 0 ||
        mvr_listen_resolve(c->api_addr, c->api_port, srv->api_iface, sizeof srv->api_iface,
                           err, sizeof err) < 0) {
        fprintf(stderr, "mvrelay: %s\n", err);
        return 1;
    }
    /* Only a fleet (a shared PostgreSQL database) has several relays to tell apart. */
    snprintf(mvr_metrics.relay, sizeof mvr_metrics.relay, "%s", c->relay_name);
    mvr_metrics.store = c->store[0] ? "postgres" : "sqlite";
    if (c->store[0])
        mvr_log_set_relay(c->relay_name);
    if (mvr_datadir_open(&srv->dd, c->data_dir, c->store, names, c->n_names, err,
                         sizeof err) < 0) {
        fprintf(stderr, "mvrelay: %s\n", err);
        return 1;
    }
    mvr_store_set_name(srv->dd.store, c->relay_name);
    srv->rest = (struct mvr_rest){.dd = &srv->dd, .is_online = mvr_dev_is_online,
                                  .metrics = metrics_cb, .target_changed = mvr_dev_target_changed,
                                  .ctx = srv};
    srv->upd_cfg = (struct mvr_svc_update_cfg){&srv->dd, c->update_rate};
    srv->upd_svc = mvr_svc_update_make(&srv->upd_cfg);
    srv->env = (struct mvr_session_env){.store = srv->dd.store,
                                        .ping_interval_s = c->ping_interval_s,
                                        .initial_window = MVR_INITIAL_WINDOW,
                                        .on_hello = mvr_dev_on_hello,
                                        .on_logs = mvr_api_on_logs,
                                        .on_output = mvr_dev_on_output,
                                        .svc_update = &srv->upd_svc, .ctx = srv};
    struct mvr_mqtt_bridge *mqtt = NULL; /* freed after the loop: sessions are gone */
    if (init_loop(srv) < 0 || start_http(srv) < 0 || start_mqtt(srv, &mqtt) < 0 ||
        start_lws(srv) < 0) {
        fprintf(stderr, "mvrelay: cannot listen on %s:%d / %s:%d\n", c->listen_addr,
                c->listen_port, c->api_addr, c->api_port);
        if (srv->ctx)
            lws_context_destroy(srv->ctx);
        close_own_handles(srv);
        uv_run(&srv->loop, UV_RUN_DEFAULT);
        uv_loop_close(&srv->loop);
        mvr_mqtt_bridge_free(mqtt);
        mvr_datadir_close(&srv->dd);
        return 1;
    }
    mvr_fleet_tick(srv); /* a fleet relay listens for the others' events from the start */
    fprintf(stderr, "mvrelay: ready device=%s%s%s:%d api=%s%s%s:%d\n",
            strchr(srv->dev_iface, ':') ? "[" : "", srv->dev_iface,
            strchr(srv->dev_iface, ':') ? "]" : "", c->listen_port,
            strchr(srv->api_iface, ':') ? "[" : "", srv->api_iface,
            strchr(srv->api_iface, ':') ? "]" : "", c->api_port);
    uv_run(&srv->loop, UV_RUN_DEFAULT);
    if (srv->ctx) /* still set if the loop ended without the drain path */
        lws_context_destroy(srv->ctx);
    if (uv_loop_close(&srv->loop) != 0)
        mvr_log(MVR_WARN, "event loop closed with handles open", NULL);
    mvr_mqtt_bridge_free(mqtt);
    mvr_datadir_close(&srv->dd);
    return 0;
}

/* Every device and API client holds a descriptor: the common default soft limit of 1,024
 * would lock devices out at ~1,000 connections (and make lws spin on EMFILE) although the
 * hard limit allows far more. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return;
    if (rl.rlim_cur >= rl.rlim_max) {
        mvr_conns_set_limit(rl.rlim_cur);
        return;
    }
    rlim_t want = rl.rlim_max;
    rl.rlim_cur = want;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
        mvr_log(MVR_WARN, "cannot raise the descriptor limit", "want=%llu",
                (unsigned long long)want);
        getrlimit(RLIMIT_NOFILE, &rl);
    } else {
        mvr_log(MVR_INFO, "descriptor limit", "nofile=%llu", (unsigned long long)want);
    }
    mvr_conns_set_limit(rl.rlim_cur);
}

int mvr_server_run(const struct mvr_config *cfg)
{
    static struct mvr_server srv; /* static: large, and the callbacks reach it via lws */
    memset(&srv, 0, sizeof srv);
    srv.cfg = cfg;
    /* A file-size limit (RLIMIT_FSIZE) must fail the write (EFBIG, a store error the
     * session handles) instead of killing the relay with SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
    raise_fd_limit();
    lws_set_log_level(LLL_ERR | LLL_WARN, lws_emit);
    return run(&srv);
}
