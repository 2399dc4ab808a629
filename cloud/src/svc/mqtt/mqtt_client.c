/* libmosquitto on the relay's libuv loop. Nothing here blocks the loop: the broker's
 * name is resolved with uv_getaddrinfo, and mosquitto_connect (a blocking connect() to
 * the numeric address, then a non-blocking TLS handshake start and the CONNECT packet
 * queued) runs on the thread pool while no other code touches the client. After that a
 * uv_poll_t on mosquitto_socket() drives loop_read/loop_write and a 1 s timer drives
 * loop_misc. libmosquitto callbacks get the client, never the owner, so a close from
 * inside a callback is safe: the owner pointer is cleared and the client is destroyed
 * after the library call returns. */
#include "svc/mqtt/mqtt_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvr/log.h"

struct mvr_mqc {
    uv_loop_t *loop;
    struct mosquitto *mosq;
    const struct mvr_mqc_ev *ev;
    void *owner; /* NULL once closed: no more events */
    uint32_t (*tls_state)(void *o);
    char ip[64];
    int port, keepalive;
    uv_getaddrinfo_t gai;
    uv_work_t work;
    int work_rc;
    uv_poll_t *poll; /* heap: closed and re-created whenever the socket changes */
    int poll_fd, poll_events;
    uv_timer_t timer;
    int timer_on;
    int busy;     /* resolver or thread pool holds the client */
    int in_lib;   /* inside a libmosquitto call on the loop */
    int up;       /* CONNACK success seen */
    int reported; /* the connect result went to the owner */
    int hold;     /* reads withheld */
    int closing;
    int refs; /* open uv handles + 1 until destroyed */
};

static void unref(struct mvr_mqc *c)
{
    if (--c->refs == 0)
        free(c);
}

static void handle_closed(uv_handle_t *h)
{
    struct mvr_mqc *c = h->data;
    if (h != (uv_handle_t *)&c->timer)
        free(h);
    unref(c);
}

static void drop_poll(struct mvr_mqc *c)
{
    if (!c->poll)
        return;
    uv_close((uv_handle_t *)c->poll, handle_closed);
    c->poll = NULL;
    c->poll_fd = -1;
}

/* The client is no longer needed by anyone: release libmosquitto and the handles. */
static void destroy(struct mvr_mqc *c)
{
    drop_poll(c);
    if (c->timer_on) {
        c->timer_on = 0;
        uv_close((uv_handle_t *)&c->timer, handle_closed);
    }
    if (c->mosq)
        mosquitto_destroy(c->mosq); /* closes the socket without DISCONNECT */
    c->mosq = NULL;
    unref(c);
}

static void poll_cb(uv_poll_t *h, int status, int events);

/* The connect result, once: CONNACK, a failed handshake or a closed socket. */
static void report(struct mvr_mqc *c, uint32_t state, uint32_t reason)
{
    if (c->reported || !c->owner)
        return;
    c->reported = 1;
    c->ev->connected(c->owner, state, reason);
}

static uint32_t failed_state(struct mvr_mqc *c)
{
    return c->tls_state && c->owner ? c->tls_state(c->owner) : MV_MQTTREQUESTSTATE_SOCKETERROR;
}

/* libmosquitto closed the socket without a disconnect callback (a TLS handshake that
 * failed inside loop_read reports only through its return value). */
static void socket_gone(struct mvr_mqc *c)
{
    if (!c->up) {
        report(c, failed_state(c), 0);
        return;
    }
    c->up = 0;
    if (c->owner)
        c->ev->lost(c->owner, MOSQ_ERR_CONN_LOST);
}

/* Matches the poll handle to the socket and to what libmosquitto wants now. */
static void update(struct mvr_mqc *c)
{
    if (c->closing || c->busy || !c->mosq)
        return;
    int fd = mosquitto_socket(c->mosq);
    if (fd != c->poll_fd)
        drop_poll(c);
    if (fd < 0)
        return;
    if (!c->poll) {
        c->poll = malloc(sizeof *c->poll);
        if (!c->poll || uv_poll_init_socket(c->loop, c->poll, fd) < 0) {
            free(c->poll);
            c->poll = NULL;
            return;
        }
        c->poll->data = c;
        c->refs++;
        c->poll_fd = fd;
        c->poll_events = 0;
    }
    int ev =
        (c->hold && c->up ? 0 : UV_READABLE) | (mosquitto_want_write(c->mosq) ? UV_WRITABLE : 0);
    if (ev != c->poll_events) {
        c->poll_events = ev;
        if (ev)
            uv_poll_start(c->poll, ev, poll_cb);
        else
            uv_poll_stop(c->poll);
    }
}

/* Runs after every libmosquitto call on the loop: a close requested from inside a
 * callback takes effect here, once the library no longer uses the client. */
static void after_lib(struct mvr_mqc *c)
{
    if (c->in_lib > 1) {
        c->in_lib--;
        return;
    }
    /* Still counted as inside while the owner hears about a closed socket: a close it
     * makes from that event is deferred to just below, not done under our feet. */
    if (!c->closing && c->mosq && mosquitto_socket(c->mosq) < 0)
        socket_gone(c);
    c->in_lib--;
    if (c->closing)
        destroy(c);
    else
        update(c);
}

static void poll_cb(uv_poll_t *h, int status, int events)
{
    struct mvr_mqc *c = h->data;
    if (h != c->poll || c->closing)
        return;
    c->in_lib++;
    /* A TLS handshake that wanted to write resumes through loop_read. */
    int rd = status < 0 || (events & UV_READABLE) || (!c->up && (events & UV_WRITABLE));
    if (rd && !(c->hold && c->up))
        mosquitto_loop_read(c->mosq, 1);
    if (!c->closing && c->mosq && mosquitto_socket(c->mosq) >= 0 && (events & UV_WRITABLE))
        mosquitto_loop_write(c->mosq, 1);
    after_lib(c);
}

static void timer_cb(uv_timer_t *t)
{
    struct mvr_mqc *c = t->data;
    if (c->closing || !c->mosq)
        return;
    c->in_lib++;
    mosquitto_loop_misc(c->mosq);
    after_lib(c);
}

/* ---- libmosquitto callbacks (inside loop_read/write/misc) ---------------------------- */
static void on_connect(struct mosquitto *m, void *u, int rc, int flags, const mosquitto_property *p)
{
    (void)m, (void)flags, (void)p;
    struct mvr_mqc *c = u;
    if (rc == 0)
        c->up = 1;
    report(c, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED, (uint32_t)rc);
}

static void on_disconnect(struct mosquitto *m, void *u, int rc, const mosquitto_property *p)
{
    (void)m, (void)p;
    struct mvr_mqc *c = u;
    if (!c->owner)
        return;
    if (c->up) {
        c->up = 0;
        c->ev->lost(c->owner, rc);
        return;
    }
    /* Before CONNACK success: the attempt failed (TLS, reset); a refusal was reported
     * by on_connect already, and report() sends only the first result. */
    (void)rc;
    report(c, failed_state(c), 0);
}

static void on_publish(struct mosquitto *m, void *u, int mid, int reason,
                       const mosquitto_property *p)
{
    (void)m, (void)p;
    struct mvr_mqc *c = u;
    if (c->owner)
        c->ev->published(c->owner, mid, reason);
}

static void on_message(struct mosquitto *m, void *u, const struct mosquitto_message *msg,
                       const mosquitto_property *p)
{
    (void)m, (void)p;
    struct mvr_mqc *c = u;
    if (c->owner)
        c->ev->message(c->owner, msg);
}

static void on_subscribe(struct mosquitto *m, void *u, int mid, int n, const int *granted,
                         const mosquitto_property *p)
{
    (void)m, (void)p;
    struct mvr_mqc *c = u;
    if (c->owner)
        c->ev->subscribed(c->owner, mid, n, granted);
}

static void on_unsubscribe(struct mosquitto *m, void *u, int mid, const mosquitto_property *p)
{
    (void)m, (void)p;
    struct mvr_mqc *c = u;
    if (c->owner)
        c->ev->unsubscribed(c->owner, mid);
}

/* ---- connecting ------------------------------------------------------------------- */
static void connect_work(uv_work_t *w)
{
    struct mvr_mqc *c = w->data;
    /* Blocking connect() to a numeric address, off the loop thread. */
    c->work_rc = mosquitto_connect_bind_v5(c->mosq, c->ip, c->port, c->keepalive, NULL, NULL);
}

static void fail(struct mvr_mqc *c, uint32_t state)
{
    report(c, state, 0);
}

static void connect_done(uv_work_t *w, int status)
{
    struct mvr_mqc *c = w->data;
    c->busy = 0;
    if (c->closing) {
        destroy(c);
        return;
    }
    if (status < 0 || c->work_rc != MOSQ_ERR_SUCCESS) {
        mvr_log(MVR_DEBUG, "mqtt connect failed", "addr=%s port=%d rc=%d", c->ip, c->port,
                c->work_rc);
        fail(c, c->work_rc == MOSQ_ERR_TLS ? failed_state(c) : MV_MQTTREQUESTSTATE_SOCKETERROR);
        return;
    }
    uv_timer_init(c->loop, &c->timer);
    c->timer.data = c;
    c->timer_on = 1;
    c->refs++;
    uv_timer_start(&c->timer, timer_cb, 1000, 1000);
    update(c);
}

static void resolved(uv_getaddrinfo_t *g, int status, struct addrinfo *res)
{
    struct mvr_mqc *c = g->data;
    if (status == 0 && res) {
        if (res->ai_family == AF_INET6)
            uv_ip6_name((struct sockaddr_in6 *)res->ai_addr, c->ip, sizeof c->ip);
        else
            uv_ip4_name((struct sockaddr_in *)res->ai_addr, c->ip, sizeof c->ip);
    }
    uv_freeaddrinfo(res);
    if (c->closing) {
        c->busy = 0;
        destroy(c);
        return;
    }
    if (status < 0 || !c->ip[0]) {
        c->busy = 0;
        fail(c, MV_MQTTREQUESTSTATE_NXDOMAIN);
        return;
    }
    c->work.data = c;
    if (uv_queue_work(c->loop, &c->work, connect_work, connect_done) < 0) {
        c->busy = 0;
        fail(c, MV_MQTTREQUESTSTATE_SOCKETERROR);
    }
}

/* libmosquitto options for one connection; MOSQ_ERR_* */
static int configure(struct mosquitto *m, const struct mvr_mqc_params *p)
{
    int rc = mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION,
                                  p->v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
    if (!rc && p->username)
        rc = mosquitto_username_pw_set(m, p->username, p->password);
    if (!rc && p->will_topic)
        rc = mosquitto_will_set(m, p->will_topic, p->will_len, p->will_payload, p->will_qos,
                                p->will_retain);
    if (!rc && p->tls) {
        rc = mosquitto_int_option(m, MOSQ_OPT_SSL_CTX_WITH_DEFAULTS, 0);
        if (!rc)
            rc = mosquitto_void_option(m, MOSQ_OPT_SSL_CTX, p->tls);
    }
    if (!rc)
        rc = mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    return rc;
}

static void set_callbacks(struct mosquitto *m)
{
    mosquitto_connect_v5_callback_set(m, on_connect);
    mosquitto_disconnect_v5_callback_set(m, on_disconnect);
    mosquitto_publish_v5_callback_set(m, on_publish);
    mosquitto_message_v5_callback_set(m, on_message);
    mosquitto_subscribe_v5_callback_set(m, on_subscribe);
    mosquitto_unsubscribe_v5_callback_set(m, on_unsubscribe);
}

struct mvr_mqc *mvr_mqc_start(uv_loop_t *loop, const struct mvr_mqc_params *p,
                              const struct mvr_mqc_ev *ev, void *owner, uint32_t *state)
{
    *state = MV_MQTTREQUESTSTATE_INVALIDPARAMETERS;
    if (p->keepalive < 0 || p->keepalive > 65535 || (p->keepalive && p->keepalive < 5))
        return NULL; /* libmosquitto's range */
    struct mvr_mqc *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = (struct mvr_mqc){.loop = loop,
                          .ev = ev,
                          .owner = owner,
                          .tls_state = p->tls_state,
                          .port = p->port,
                          .keepalive = p->keepalive,
                          .poll_fd = -1,
                          .refs = 1};
    c->mosq = mosquitto_new(p->client_id, p->clean_start != 0, c);
    if (!c->mosq || configure(c->mosq, p) != MOSQ_ERR_SUCCESS) {
        if (c->mosq)
            mosquitto_destroy(c->mosq);
        free(c);
        return NULL;
    }
    set_callbacks(c->mosq);
    char port[8];
    snprintf(port, sizeof port, "%d", p->port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    c->gai.data = c;
    c->busy = 1;
    if (uv_getaddrinfo(loop, &c->gai, resolved, p->host, port, &hints) < 0) {
        mosquitto_destroy(c->mosq);
        free(c);
        *state = MV_MQTTREQUESTSTATE_NXDOMAIN;
        return NULL;
    }
    return c;
}

struct mosquitto *mvr_mqc_mosq(struct mvr_mqc *c)
{
    return c && c->up && !c->closing ? c->mosq : NULL;
}

void mvr_mqc_flush(struct mvr_mqc *c)
{
    if (!c || c->closing || c->busy || !c->mosq)
        return;
    c->in_lib++;
    if (mosquitto_want_write(c->mosq) && mosquitto_socket(c->mosq) >= 0)
        mosquitto_loop_write(c->mosq, 1);
    after_lib(c);
}

void mvr_mqc_hold(struct mvr_mqc *c, int hold)
{
    if (!c || c->hold == hold)
        return;
    c->hold = hold;
    if (!c->in_lib)
        update(c);
}

void mvr_mqc_close(struct mvr_mqc *c, int graceful)
{
    if (!c || c->closing)
        return;
    c->owner = NULL;
    if (graceful && c->up && !c->busy) {
        c->in_lib++;
        mosquitto_disconnect(c->mosq);
        c->in_lib--;
    }
    c->closing = 1;
    if (c->busy) {
        /* Either request may not have started yet; otherwise its callback frees. */
        uv_cancel((uv_req_t *)&c->gai);
        uv_cancel((uv_req_t *)&c->work);
        return;
    }
    if (!c->in_lib)
        destroy(c);
}
