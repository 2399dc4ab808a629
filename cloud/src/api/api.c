/* The API endpoint on lws: collects an HTTP/1.1 request (method, path, query, headers,
 * body up to 64 KiB), hands it to the REST layer, writes the response; for the log
 * stream it keeps the connection as Server-Sent Events fed from the store. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "mvr/log.h"
#include "mvr/metrics.h"
#include "mvr/util.h"
#include "server_priv.h"
#include "api/rest_priv.h"

#define SSE_BATCH 50
#define SSE_KEEPALIVE_S 15
#define QUERY_MAX 2048
/* How long a request may wait for the store (a locked or stalled database) before lws
 * drops the connection; lws's own HTTP timeout (5 s) would cut a slow but healthy one. */
#define CALL_TIMEOUT_S 60

struct sse_fetch;

struct sse_sub {
    struct lws *wsi;
    char device[35];
    int64_t after_id, since_us;
    int keepalive; /* a ": keepalive" comment is due */
    struct sse_fetch *fetch; /* the query in the store's reader pool, or NULL */
    int again;               /* new records were announced while it ran: query again */
    char *text;              /* its events, written at the next WRITEABLE */
    size_t len;
    int more;                /* it filled a batch: there is more backlog */
    struct sse_sub *next;
};

struct api_call;

/* While an oversize body is discarded after its 413: the connection closes when the
 * client has sent nothing for this long. */
#define DRAIN_IDLE_S 2

struct api_pss {
    char method[8];
    char path[512];
    char query[QUERY_MAX];
    char auth[256];
    char last_event_id[64];
    char *body;
    size_t body_len;
    int too_large, waiting_body, uri_too_long, bad_framing;
    size_t body_cap, body_max; /* body_max: MVR_MAX_BODY, or MVR_MAX_APP_BODY for an upload */
    int close_after; /* the request's body was not read: close after the response */
    /* An oversize body being discarded after its 413 (close once it is all in, or when
     * the client stops sending): closing with unread data would make the kernel send
     * RST, which can reach the client before the 413 it was meant to read. */
    enum { DRAIN_NONE, DRAIN_BOTH, DRAIN_BODY, DRAIN_RESP } drain; /* what is still going on */
    struct mvr_http_resp resp;
    size_t sent;
    struct sse_sub *sub;
    struct api_call *call; /* the request being handled in the store's reader pool */
    int resp_ready;        /* its response arrived: send it at the next WRITEABLE */
};

/* A request handled off the loop: the REST handler runs on a store reader thread
 * (mvr_store_call), so its queries and admin writes never block the loop. The call owns
 * copies of everything the handler reads: the connection may close meanwhile. */
struct api_call {
    struct mvr_server *srv;
    struct lws *wsi;
    struct api_pss *p; /* NULL once the connection closed: the response is dropped */
    struct api_pss req; /* method, path, query, headers and body of the request */
    struct mvr_http_resp resp;
};

static struct mvr_server *server_of(struct lws *wsi)
{
    return lws_context_user(lws_get_context(wsi));
}

static const char *method_of(struct lws *wsi)
{
    static const struct { enum lws_token_indexes tok; const char *name; } m[] = {
        {WSI_TOKEN_GET_URI, "GET"},       {WSI_TOKEN_POST_URI, "POST"},
        {WSI_TOKEN_DELETE_URI, "DELETE"}, {WSI_TOKEN_PUT_URI, "PUT"},
        {WSI_TOKEN_PATCH_URI, "PATCH"},   {WSI_TOKEN_OPTIONS_URI, "OPTIONS"},
        {WSI_TOKEN_HEAD_URI, "HEAD"},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (lws_hdr_total_length(wsi, m[i].tok) > 0)
            return m[i].name;
    return "";
}

/* lws has already URL-decoded path and arguments; re-encode so the REST layer, which
 * decodes once, sees exactly what the client meant (a literal '%', '&' or '=').
 * Returns the new length, or -1 when out would overflow (never truncate: a cut path
 * could name a different key). */
static long encode_into(char *out, size_t cap, size_t o, const char *s, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (o + 4 > cap)
            return -1;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~' || c == ':' || (keep_slash && c == '/')) {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
    return (long)o;
}

static int collect_query(struct lws *wsi, struct api_pss *p)
{
    char frag[1024];
    long o = 0;
    p->query[0] = '\0';
    for (int i = 0; lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS, i) > 0; i++) {
        /* A fragment that does not fit is an error, not the end of the arguments. */
        if (lws_hdr_copy_fragment(wsi, frag, sizeof frag, WSI_TOKEN_HTTP_URI_ARGS, i) < 0)
            return -1;
        char *eq = strchr(frag, '=');
        if (o && (size_t)o + 2 < sizeof p->query)
            p->query[o++] = '&';
        if (eq)
            *eq = '\0';
        o = encode_into(p->query, sizeof p->query, (size_t)o, frag, 0);
        if (o >= 0 && eq && (size_t)o + 2 < sizeof p->query) {
            p->query[o++] = '=';
            o = encode_into(p->query, sizeof p->query, (size_t)o, eq + 1, 0);
        }
        if (o < 0)
            return -1;
    }
    return 0;
}

static void reset_pss(struct api_pss *p)
{
    if (p->call)
        p->call->p = NULL;
    free(p->body);
    mvr_http_resp_free(&p->resp);
    memset(p, 0, sizeof *p);
}

static int send_headers(struct lws *wsi, struct api_pss *p)
{
    uint8_t buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *q = start, *end = buf + sizeof buf;
    lws_filepos_t clen = p->resp.sse ? LWS_ILLEGAL_HTTP_CONTENT_LEN : p->resp.body_len;
    if (lws_add_http_common_headers(wsi, (unsigned)p->resp.status, p->resp.ctype, clen, &q, end))
        return -1;
    if (p->resp.sse &&
        lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
                                     (const unsigned char *)"no-cache", 8, &q, end))
        return -1;
    if (lws_finalize_write_http_header(wsi, start, &q, end))
        return -1;
    return 0;
}

static int start_sse(struct lws *wsi, struct mvr_server *srv, struct api_pss *p)
{
    struct sse_sub *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->wsi = wsi;
    snprintf(s->device, sizeof s->device, "%s", p->resp.sse_device);
    s->after_id = p->resp.sse_after_id;
    s->since_us = p->resp.sse_since_us;
    s->next = srv->subs;
    srv->subs = s;
    p->sub = s;
    mvr_metrics.sse_streams_current++;
    /* lws_http_mark_sse() is for h2 substreams (on h1 it logs an error); on h1 the
     * stream only needs its header storage released and no pending timeout. */
    lws_http_headers_detach(wsi);
    lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
    /* The first write carries the backlog, or a keepalive comment when there is none, so
     * a client knows at once that the stream is up even for a quiet device. */
    s->keepalive = 1;
    lws_callback_on_writable(wsi);
    return 0;
}

/* The REST layer's hooks into loop state (sessions, metrics), from a reader thread: each
 * runs on the loop (mvr_store_on_loop); the fleet query runs here, off the loop. */
struct online_q {
    struct mvr_server *srv;
    const char *id;
    int local;
};

static void online_on_loop(void *arg)
{
    struct online_q *q = arg;
    q->local = mvr_dev_is_local(q->srv, q->id);
}

static int call_is_online(void *ctx, const char *device_id)
{
    struct api_call *c = ctx;
    struct online_q q = {.srv = c->srv, .id = device_id};
    if (mvr_store_on_loop(c->srv->dd.store, online_on_loop, &q) == 0 && q.local)
        return 1;
    return mvr_store_device_online_elsewhere(c->srv->dd.store, device_id) == 1;
}

struct metrics_q {
    struct mvr_server *srv;
    char *text;
};

static void metrics_on_loop(void *arg)
{
    struct metrics_q *q = arg;
    q->text = q->srv->rest.metrics(q->srv->rest.ctx);
}

static char *call_metrics(void *ctx)
{
    struct api_call *c = ctx;
    struct metrics_q q = {.srv = c->srv};
    mvr_store_on_loop(c->srv->dd.store, metrics_on_loop, &q);
    return q.text;
}

struct target_q {
    struct mvr_server *srv;
    const char *id;
};

static void target_on_loop(void *arg)
{
    struct target_q *q = arg;
    q->srv->rest.target_changed(q->srv->rest.ctx, q->id);
}

static void call_target_changed(void *ctx, const char *device_id)
{
    struct api_call *c = ctx;
    struct target_q q = {.srv = c->srv, .id = device_id};
    mvr_store_on_loop(c->srv->dd.store, target_on_loop, &q);
}

/* On a reader thread (or inline with SQLite). */
static void call_run(struct mvr_store *st, struct mvr_store_job *j)
{
    (void)st;
    struct api_call *c = j->owner;
    struct api_pss *p = &c->req;
    struct mvr_rest r = {.dd = c->srv->rest.dd, .is_online = call_is_online,
                         .metrics = c->srv->rest.metrics ? call_metrics : NULL,
                         .target_changed = c->srv->rest.target_changed ? call_target_changed
                                                                       : NULL,
                         .ctx = c};
    struct mvr_http_req req = {.method = p->method, .path = p->path,
                               .query = p->query[0] ? p->query : NULL,
                               .auth = p->auth[0] ? p->auth : NULL,
                               .last_event_id = p->last_event_id[0] ? p->last_event_id : NULL,
                               .body = p->body, .body_len = p->body_len,
                               .body_too_large = p->too_large,
                               .body_max = p->body_max,
                               .uri_too_long = p->uri_too_long,
                               .bad_framing = p->bad_framing};
    mvr_rest_handle(&r, &req, &c->resp);
}

static void call_free(struct api_call *c)
{
    free(c->req.body);
    mvr_http_resp_free(&c->resp);
    free(c);
}

/* On the loop: the response is ready; it goes out at the next WRITEABLE. */
static void call_done(struct mvr_store_job *j)
{
    struct api_call *c = j->owner;
    int ran = j->status == MVR_OK; /* else the store is closing and run never ran */
    mvr_store_job_free(j);
    if (!c->p) {
        call_free(c);
        return;
    }
    struct api_pss *p = c->p;
    if (!ran)
        mvr_resp_error(&c->resp, 503, E_INTERNAL, "relay shutting down");
    p->call = NULL;
    p->resp = c->resp;
    c->resp = (struct mvr_http_resp){0};
    p->resp_ready = 1;
    lws_set_timeout(c->wsi, NO_PENDING_TIMEOUT, 0);
    lws_callback_on_writable(c->wsi);
    call_free(c);
}

static int respond(struct lws *wsi, struct mvr_server *srv, struct api_pss *p)
{
    struct api_call *c = calloc(1, sizeof *c);
    struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_CALL, "", 0);
    if (!c || !j) {
        free(c);
        mvr_store_job_free(j);
        return -1;
    }
    c->srv = srv;
    c->wsi = wsi;
    c->p = p;
    c->req = *p; /* the body moves to the call */
    c->req.call = NULL;
    p->body = NULL;
    p->body_len = p->body_cap = 0;
    p->call = c;
    j->owner = c;
    j->run = call_run;
    j->done = call_done;
    mvr_metrics.api_requests_total++;
    /* /healthz reads no table (only the store's health counters): it must answer even
     * while every reader thread waits for a stalled database. */
    if (!strcmp(p->path, "/healthz")) {
        call_run(srv->dd.store, j);
        call_done(j);
        return 0;
    }
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, CALL_TIMEOUT_S);
    mvr_store_call(srv->dd.store, j);
    return 0;
}

/* At the WRITEABLE after call_done: status line, headers, then body or stream. */
static int send_response(struct lws *wsi, struct mvr_server *srv, struct api_pss *p)
{
    p->resp_ready = 0;
    if (p->resp.status >= 500)
        mvr_metrics.errors[MVR_ERRK_HTTP_5XX]++;
    else if (p->resp.status >= 400)
        mvr_metrics.errors[MVR_ERRK_HTTP_4XX]++;
    mvr_log(p->resp.status >= 500 ? MVR_ERROR : MVR_DEBUG, "api request",
            "method=%s path=\"%s\" status=%d", p->method, p->path, p->resp.status);
    if (send_headers(wsi, p) < 0)
        return -1;
    if (p->resp.sse)
        return start_sse(wsi, srv, p);
    if (p->resp.body_len == 0)
        return lws_http_transaction_completed(wsi) ? -1 : 0;
    lws_callback_on_writable(wsi);
    return 0;
}

/* The declared body length: -1 without Content-Length. Two Content-Length headers, one
 * that is not a plain decimal number, or one beside Transfer-Encoding make the request's
 * end ambiguous (the stuff of request smuggling): *bad is set. */
static long body_length(struct lws *wsi, int *bad)
{
    char tmp[32], *end;
    if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0)
        return -1;
    if (lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, 1) > 0 ||
        lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0 ||
        lws_hdr_copy(wsi, tmp, sizeof tmp, WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0 ||
        tmp[0] < '0' || tmp[0] > '9') {
        *bad = 1;
        return -1;
    }
    long n = strtol(tmp, &end, 10);
    if (*end || n < 0) {
        *bad = 1;
        return -1;
    }
    return n;
}

static int on_http(struct lws *wsi, struct mvr_server *srv, struct api_pss *p, const char *in)
{
    reset_pss(p);
    snprintf(p->method, sizeof p->method, "%s", method_of(wsi));
    if (encode_into(p->path, sizeof p->path, 0, in ? in : "/", 1) < 0 ||
        collect_query(wsi, p) < 0)
        p->uri_too_long = 1;
    if (lws_hdr_copy(wsi, p->auth, sizeof p->auth, WSI_TOKEN_HTTP_AUTHORIZATION) < 0)
        p->auth[0] = '\0';
    if (lws_hdr_custom_copy(wsi, p->last_event_id, sizeof p->last_event_id, "last-event-id:",
                            14) < 0)
        p->last_event_id[0] = '\0';
    long clen = body_length(wsi, &p->bad_framing);
    /* Only an app upload may be larger than an ordinary JSON body (docs/ota.md). */
    p->body_max = !strcmp(p->method, "POST") && !strcmp(p->path, "/v1/Apps") ? MVR_MAX_APP_BODY
                                                                             : MVR_MAX_BODY;
    if (clen > (long)p->body_max)
        p->too_large = 1;
    if (p->bad_framing || p->too_large) {
        p->close_after = 1; /* the body stays unread: the connection cannot be reused */
        if (p->too_large && !p->bad_framing && clen <= (long)(p->body_max + MVR_DRAIN_MAX))
            p->drain = DRAIN_BOTH; /* answered now, the body read and dropped meanwhile */
        return respond(wsi, srv, p);
    }
    if (clen > 0 || (clen < 0 && lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING))) {
        p->waiting_body = 1;
        return 0;
    }
    return respond(wsi, srv, p);
}

static int on_body(struct lws *wsi, struct api_pss *p, const void *in, size_t len)
{
    if (p->drain != DRAIN_NONE) { /* a client still sending keeps the connection longer */
        if (p->drain == DRAIN_BODY)
            lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_CONTENT, DRAIN_IDLE_S);
        return 0;
    }
    if (p->too_large || p->body_len + len > p->body_max) {
        p->too_large = 1; /* keep reading and discarding; answer 413 at the end */
        return 0;
    }
    /* The body arrives in pieces on the loop (never a blocking read); grow by doubling so
     * that a multi-megabyte upload is not copied once per piece. */
    if (p->body_len + len + 1 > p->body_cap) {
        size_t cap = p->body_cap ? p->body_cap : 1024;
        while (cap < p->body_len + len + 1)
            cap *= 2;
        char *nb = realloc(p->body, cap);
        if (!nb)
            return -1;
        p->body = nb;
        p->body_cap = cap;
    }
    memcpy(p->body + p->body_len, in, len);
    p->body_len += len;
    p->body[p->body_len] = '\0';
    return 0;
}

static int write_body(struct lws *wsi, struct api_pss *p)
{
    size_t left = p->resp.body_len - p->sent, chunk = left > 16384 ? 16384 : left;
    uint8_t *buf = malloc(LWS_PRE + chunk);
    if (!buf)
        return -1;
    memcpy(buf + LWS_PRE, p->resp.body + p->sent, chunk);
    int final = chunk == left;
    int n = lws_write(wsi, buf + LWS_PRE, chunk, final ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP);
    free(buf);
    if (n < (int)chunk)
        return -1;
    p->sent += chunk;
    if (!final) {
        lws_callback_on_writable(wsi);
        return 0;
    }
    if (p->drain == DRAIN_BOTH) { /* the 413 is out; the body is still coming */
        p->drain = DRAIN_BODY;
        lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_CONTENT, DRAIN_IDLE_S);
        return 0;
    }
    if (p->close_after)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* One batch of a stream's records, queried off the loop (mvr_store_call); the sub is
 * NULL once the stream closed. */
struct sse_fetch {
    struct sse_sub *sub;
    char device[35];
    struct mvr_log_query q;
    int keepalive;
    FILE *f;
    char *text;
    size_t len;
    int n, rc;
    int64_t last_id;
};

static int sse_row(void *ctx, const struct mvr_log_row *r)
{
    struct sse_fetch *b = ctx;
    char *json = mvr_log_record_json(r);
    if (!json)
        return 1;
    fprintf(b->f, "id: %s:%u\nevent: log\ndata: %s\n\n", r->boot_id, r->seq, json);
    free(json);
    b->last_id = r->id;
    b->n++;
    return 0;
}

/* On a reader thread (or inline with SQLite). */
static void sse_fetch_run(struct mvr_store *st, struct mvr_store_job *j)
{
    struct sse_fetch *b = j->owner;
    b->f = open_memstream(&b->text, &b->len);
    if (!b->f) {
        b->rc = MVR_ST_ERROR;
        return;
    }
    b->rc = mvr_store_logs_query(st, b->device, &b->q, sse_row, b);
    if (b->keepalive && b->n == 0)
        fputs(": keepalive\n\n", b->f);
    fclose(b->f);
}

static void sse_fetch_done(struct mvr_store_job *j)
{
    struct sse_fetch *b = j->owner;
    struct sse_sub *s = b->sub;
    int ok = j->status == MVR_OK && b->rc == MVR_OK; /* status: the run ran */
    mvr_store_job_free(j);
    if (s) {
        s->fetch = NULL;
        if (ok) {
            if (b->n)
                s->after_id = b->last_id;
            s->more = b->n == SSE_BATCH;
            s->text = b->text;
            s->len = b->len;
            b->text = NULL;
            lws_callback_on_writable(s->wsi);
        } else { /* the client reconnects with Last-Event-ID */
            lws_set_timeout(s->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
        }
    }
    free(b->text);
    free(b);
}

static int sse_fetch_start(struct mvr_server *srv, struct sse_sub *s)
{
    struct sse_fetch *b = calloc(1, sizeof *b);
    struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_CALL, "", 0);
    if (!b || !j) {
        free(b);
        mvr_store_job_free(j);
        return -1;
    }
    b->sub = s;
    snprintf(b->device, sizeof b->device, "%s", s->device);
    b->q = (struct mvr_log_query){.after_id = s->after_id, .since_us = s->since_us,
                                  .limit = SSE_BATCH};
    b->keepalive = s->keepalive;
    s->keepalive = 0;
    s->again = 0;
    s->fetch = b;
    j->owner = b;
    j->run = sse_fetch_run;
    j->done = sse_fetch_done;
    mvr_store_call(srv->dd.store, j);
    return 0;
}

/* WRITEABLE on a stream: write the batch a query produced, or start the next query (one
 * at a time per stream, so events stay in order). */
static int write_sse(struct lws *wsi, struct mvr_server *srv, struct sse_sub *s)
{
    if (s->fetch) {
        s->again = 1;
        return 0;
    }
    if (!s->text)
        return sse_fetch_start(srv, s);
    int ok = 1;
    if (s->len) {
        uint8_t *buf = malloc(LWS_PRE + s->len);
        ok = buf != NULL;
        if (buf) {
            memcpy(buf + LWS_PRE, s->text, s->len);
            ok = lws_write(wsi, buf + LWS_PRE, s->len, LWS_WRITE_HTTP) >= (int)s->len;
            free(buf);
        }
    }
    free(s->text);
    s->text = NULL;
    if (ok && (s->more || s->again || s->keepalive))
        lws_callback_on_writable(wsi); /* more backlog: one batch per query */
    return ok ? 0 : -1;
}

static void drop_sub(struct mvr_server *srv, struct api_pss *p)
{
    if (!p->sub)
        return;
    for (struct sse_sub **pp = &srv->subs; *pp; pp = &(*pp)->next)
        if (*pp == p->sub) {
            *pp = p->sub->next;
            break;
        }
    if (p->sub->fetch)
        p->sub->fetch->sub = NULL;
    free(p->sub->text);
    free(p->sub);
    p->sub = NULL;
    mvr_metrics.sse_streams_current--;
}

static int api_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                  size_t len)
{
    struct api_pss *p = user;
    struct mvr_server *srv = server_of(wsi);
    int rc;
    if (mvr_preauth_callback(&srv->api_pa, wsi, (int)reason, user, "api", &rc))
        return rc;
    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        /* The API speaks no WebSocket (the log stream is SSE): refuse every upgrade, which
         * lws would otherwise accept before any token is seen and keep open for minutes. */
        mvr_metrics.errors[MVR_ERRK_HTTP_4XX]++;
        return 1;
    case LWS_CALLBACK_HTTP:
        mvr_preauth_done(wsi); /* a request arrived: no longer an idle connection */
        return on_http(wsi, srv, p, in);
    case LWS_CALLBACK_HTTP_BODY:
        return on_body(wsi, p, in, len);
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        /* lws 4.1 repeats BODY_COMPLETION while it parses a request pipelined behind a
         * body: answer each request once (a second respond() would replace, and leak,
         * the response still being written). */
        if (p->drain == DRAIN_BODY)
            return -1; /* all read and the 413 sent: close */
        if (p->drain == DRAIN_BOTH) {
            p->drain = DRAIN_RESP; /* all read: close once the 413 is sent */
            return 0;
        }
        if (!p->waiting_body)
            return 0;
        p->waiting_body = 0;
        return respond(wsi, srv, p);
    case LWS_CALLBACK_HTTP_WRITEABLE:
        if (p->resp_ready)
            return send_response(wsi, srv, p);
        if (p->sub)
            return write_sse(wsi, srv, p->sub);
        if (p->resp.body && p->sent < p->resp.body_len)
            return write_body(wsi, p);
        return 0;
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
    case LWS_CALLBACK_CLOSED_HTTP:
        if (p) {
            drop_sub(srv, p);
            reset_pss(p);
        }
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

const struct lws_protocols mvr_api_protocols[] = {
    {.name = "http", .callback = api_cb, .per_session_data_size = sizeof(struct api_pss)},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

void mvr_api_on_logs(void *ctx, const char *device_id)
{
    struct mvr_server *srv = ctx;
    for (struct sse_sub *s = srv->subs; s; s = s->next)
        if (!strcmp(s->device, device_id))
            lws_callback_on_writable(s->wsi);
}

void mvr_api_kick_all(struct mvr_server *srv)
{
    for (struct sse_sub *s = srv->subs; s; s = s->next)
        lws_callback_on_writable(s->wsi);
}

/* lws 4.1 does not watch an h1 connection for input while its response is in progress,
 * so a stream client that went away is only noticed at the next write. A stream client
 * never sends anything after its request: readable bytes (a TLS close_notify) or EOF
 * mean it is gone, and the stream is closed now instead of at the next keepalive. */
static int peer_gone(struct lws *wsi)
{
    char c;
    lws_sockfd_type fd = lws_get_socket_fd(wsi);
    if (fd < 0)
        return 0;
    ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

void mvr_api_tick(struct mvr_server *srv)
{
    int keepalive = srv->ticks % SSE_KEEPALIVE_S == 0;
    for (struct sse_sub *s = srv->subs; s; s = s->next) {
        if (peer_gone(s->wsi)) {
            lws_set_timeout(s->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
            continue;
        }
        if (keepalive) {
            s->keepalive = 1;
            lws_callback_on_writable(s->wsi);
        }
    }
}
