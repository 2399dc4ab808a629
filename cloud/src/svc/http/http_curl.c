/* curl multi on the libuv loop. Each socket curl wants watched gets a uv_poll_t (its
 * context is assigned to the socket with curl_multi_assign); curl's single timeout is
 * one uv_timer_t. Poll contexts are also kept on a list so that shutdown can close any
 * that curl did not remove itself. */
#include "svc/http/http_curl.h"

#include <stdlib.h>

#include "mvr/log.h"

struct pollctx {
    uv_poll_t poll;
    curl_socket_t fd;
    struct mvr_curlm *m;
    struct pollctx *prev, *next;
};

struct mvr_curlm {
    CURLM *multi;
    CURLSH *share;
    uv_loop_t *loop;
    uv_timer_t timer;
    struct pollctx *polls;
    mvr_curl_done_fn done;
    void *owner;
};

static void check_done(struct mvr_curlm *m)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(m->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *easy = msg->easy_handle;
        CURLcode rc = msg->data.result;
        void *priv = NULL;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
        curl_multi_remove_handle(m->multi, easy);
        m->done(m->owner, easy, rc, priv);
    }
}

static void poll_cb(uv_poll_t *h, int status, int events)
{
    struct pollctx *p = h->data;
    struct mvr_curlm *m = p->m;
    int flags = 0, running;
    if (status < 0)
        flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE)
        flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE)
        flags |= CURL_CSELECT_OUT;
    curl_multi_socket_action(m->multi, p->fd, flags, &running);
    check_done(m);
}

static void timer_cb(uv_timer_t *t)
{
    struct mvr_curlm *m = t->data;
    int running;
    curl_multi_socket_action(m->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(m);
}

static int timer_fn(CURLM *multi, long timeout_ms, void *userp)
{
    struct mvr_curlm *m = userp;
    (void)multi;
    if (timeout_ms < 0)
        uv_timer_stop(&m->timer);
    else /* 0: on the next loop iteration, never from inside this callback */
        uv_timer_start(&m->timer, timer_cb, (uint64_t)timeout_ms, 0);
    return 0;
}

static void poll_closed(uv_handle_t *h)
{
    free(h->data);
}

static void poll_close(struct pollctx *p)
{
    if (p->prev)
        p->prev->next = p->next;
    else
        p->m->polls = p->next;
    if (p->next)
        p->next->prev = p->prev;
    uv_close((uv_handle_t *)&p->poll, poll_closed);
}

static struct pollctx *poll_new(struct mvr_curlm *m, curl_socket_t fd)
{
    struct pollctx *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (uv_poll_init_socket(m->loop, &p->poll, fd) < 0) {
        free(p);
        return NULL;
    }
    p->fd = fd;
    p->m = m;
    p->poll.data = p;
    p->next = m->polls;
    if (m->polls)
        m->polls->prev = p;
    m->polls = p;
    return p;
}

static int socket_fn(CURL *easy, curl_socket_t s, int action, void *userp, void *socketp)
{
    struct mvr_curlm *m = userp;
    struct pollctx *p = socketp;
    (void)easy;
    if (action == CURL_POLL_REMOVE) {
        if (p) {
            curl_multi_assign(m->multi, s, NULL);
            poll_close(p);
        }
        return 0;
    }
    if (!p) {
        p = poll_new(m, s);
        if (!p)
            return -1; /* curl fails the transfer */
        curl_multi_assign(m->multi, s, p);
    }
    int ev = 0;
    if (action == CURL_POLL_IN || action == CURL_POLL_INOUT)
        ev |= UV_READABLE;
    if (action == CURL_POLL_OUT || action == CURL_POLL_INOUT)
        ev |= UV_WRITABLE;
    uv_poll_start(&p->poll, ev, poll_cb);
    return 0;
}

struct mvr_curlm *mvr_curlm_new(uv_loop_t *loop, mvr_curl_done_fn done, void *owner)
{
    struct mvr_curlm *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->multi = curl_multi_init();
    m->share = curl_share_init();
    if (!m->multi || !m->share) {
        curl_multi_cleanup(m->multi);
        curl_share_cleanup(m->share);
        free(m);
        return NULL;
    }
    /* One thread uses these handles, so the share needs no lock callbacks. */
    curl_share_setopt(m->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(m->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    m->loop = loop;
    m->done = done;
    m->owner = owner;
    uv_timer_init(loop, &m->timer);
    m->timer.data = m;
    curl_multi_setopt(m->multi, CURLMOPT_SOCKETFUNCTION, socket_fn);
    curl_multi_setopt(m->multi, CURLMOPT_SOCKETDATA, m);
    curl_multi_setopt(m->multi, CURLMOPT_TIMERFUNCTION, timer_fn);
    curl_multi_setopt(m->multi, CURLMOPT_TIMERDATA, m);
    return m;
}

void mvr_curlm_share(struct mvr_curlm *m, CURL *easy)
{
    curl_easy_setopt(easy, CURLOPT_SHARE, m->share);
}

int mvr_curlm_add(struct mvr_curlm *m, CURL *easy)
{
    return curl_multi_add_handle(m->multi, easy) == CURLM_OK ? 0 : -1;
}

void mvr_curlm_remove(struct mvr_curlm *m, CURL *easy)
{
    curl_multi_remove_handle(m->multi, easy);
}

static void timer_closed(uv_handle_t *h)
{
    free(h->data);
}

void mvr_curlm_free(struct mvr_curlm *m)
{
    if (!m)
        return;
    curl_multi_cleanup(m->multi); /* closes cached connections (CURL_POLL_REMOVE) */
    curl_share_cleanup(m->share);
    while (m->polls)
        poll_close(m->polls);
    uv_timer_stop(&m->timer);
    uv_close((uv_handle_t *)&m->timer, timer_closed);
}
