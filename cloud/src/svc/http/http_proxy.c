/* The HTTP proxy service. open: accept (no endpoint). msg: one HTTP_REQUEST per
 * channel; checked (MvHttpResult on failure), rate-limited per device, capped
 * relay-wide, then run as a curl transfer on the loop. done: the response (or the
 * failure) goes back as HTTP_RESPONSE. close: a running transfer is cancelled. */
#include "svc/http/http_proxy.h"

#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvp/msg.h"
#include "mvr/log.h"
#include "device/session_priv.h"
#include "svc/http/http_metrics.h"
#include "svc/http/http_priv.h"

static void log_request(const struct http_xfer *x, uint8_t result, long status,
                        const char *reason, double ms)
{
    char host[300];
    mvr_log(result == MV_HTTPRESULT_OK ? MVR_INFO : MVR_WARN, "http request",
            "device=%s chan=%u method=%s host=\"%s\" port=%d result=%u status=%ld "
            "bytes_out=%u bytes_in=%zu ms=%.1f%s%s%s",
            x->s->device_id, x->c->id, x->t.method[0] ? x->t.method : "-",
            mvr_log_esc(x->t.host, strlen(x->t.host), host, sizeof host), x->t.port, result,
            status, x->body_len, x->resp.body_len, ms, reason ? " reason=\"" : "",
            reason ? reason : "", reason ? "\"" : "");
}

/* Queues the HTTP_RESPONSE; a response that does not fit the credit left becomes
 * RESPONSETOOLARGE. */
static int respond(struct http_xfer *x, uint8_t result, long status, const char *reason)
{
    uint8_t *msg = NULL;
    int n = mvr_hresp_encode(&x->resp, result, (uint32_t)status, &msg);
    if (n > 0 && (size_t)n > mvr_chan_avail(x->c)) {
        free(msg);
        result = MV_HTTPRESULT_RESPONSETOOLARGE;
        status = 0;
        reason = "response larger than the device's receive buffer";
        n = mvr_hresp_encode(&x->resp, result, 0, &msg);
    }
    double ms = (double)(uv_hrtime() - x->t0_ns) / 1e6;
    x->state = XFER_DONE;
    mvr_http_metrics_done(result, ms);
    log_request(x, result, status, reason, ms);
    int rc = n < 0 ? -1 : mvr_chan_send(x->s, x->c, msg, (size_t)n);
    free(msg);
    return rc;
}

static void release_transfer(struct http_xfer *x)
{
    if (x->easy) {
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
        x->h->in_flight--;
        mvr_http_metrics.in_flight--;
    }
    curl_slist_free_all(x->hdrs);
    x->hdrs = NULL;
    free(x->body);
    x->body = NULL;
}

static void on_done(void *owner, CURL *easy, CURLcode rc, void *priv)
{
    struct http_xfer *x = priv;
    long status = 0;
    (void)owner;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    uint8_t result = MV_HTTPRESULT_OK;
    const char *reason = NULL;
    if (x->resp.too_large) {
        result = MV_HTTPRESULT_RESPONSETOOLARGE;
        reason = "response larger than the device's receive buffer";
    } else if (rc != CURLE_OK || status < 100 || status > 999) {
        result = MV_HTTPRESULT_REQUESTFAILED;
        reason = x->denied ? "target_denied" : curl_easy_strerror(rc);
        if (x->denied)
            mvr_http_metrics.refused[MVR_HTTP_REF_SSRF]++;
    }
    if (x->denied)
        mvr_log(MVR_WARN, "http target denied", "device=%s host=\"%s\" class=%s",
                x->s->device_id, x->t.host, x->denied);
    mvr_http_metrics.bytes_received += x->resp.body_len;
    release_transfer(x);
    if (respond(x, result, result == MV_HTTPRESULT_OK ? status : 0, reason) < 0)
        mvr_log(MVR_ERROR, "http response not queued", "device=%s", x->s->device_id);
    /* Queued on the channel now: the collected copy goes at once, not when the device
     * gets round to closing the channel. */
    mvr_hresp_free(&x->resp);
    mvr_session_kick(x->s);
}

static int refuse(struct http_xfer *x, uint8_t result, const char *reason)
{
    return respond(x, result, 0, reason);
}

static int start(struct http_xfer *x, const struct mvp_http_request *m)
{
    struct http_svc *h = x->h;
    int ok = mvr_rate_take(h->rate, x->s->device_id, (int64_t)(uv_hrtime() / 1000));
    if (ok <= 0) {
        mvr_http_metrics.refused[MVR_HTTP_REF_RATE]++;
        return ok < 0 ? -1 : refuse(x, MV_HTTPRESULT_REQUESTFAILED, "rate_limited");
    }
    if (h->in_flight >= h->cfg->max_transfers) {
        mvr_http_metrics.refused[MVR_HTTP_REF_BUSY]++;
        return refuse(x, MV_HTTPRESULT_REQUESTFAILED, "busy");
    }
    if (m->body_len && !(x->body = malloc(m->body_len)))
        return -1;
    if (m->body_len)
        memcpy(x->body, m->body, m->body_len);
    x->body_len = m->body_len;
    mvr_hresp_init(&x->resp, mvr_chan_avail(x->c));
    x->easy = mvr_http_easy_new(x, m);
    if (!x->easy || mvr_curlm_add(h->cm, x->easy) < 0) {
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
        return -1;
    }
    h->in_flight++;
    mvr_http_metrics.in_flight++;
    mvr_http_metrics.bytes_sent += m->body_len;
    x->state = XFER_RUNNING;
    return 0;
}

static int serve(struct http_xfer *x, const struct mvp_frame *msg)
{
    struct mvp_http_request m;
    struct mvp_bytes hdrs[MVP_MAX_HTTP_HEADERS];
    if (mvp_http_req_decode(msg->payload, msg->hdr.len, &m, hdrs, MVP_MAX_HTTP_HEADERS) < 0)
        return MVR_SVC_RESET;
    x->t0_ns = uv_hrtime();
    const char *why = NULL;
    uint8_t result = mvr_http_req_check(x->h->cfg, &m, &x->t, &why);
    if (result != MV_HTTPRESULT_OK)
        return refuse(x, result, why);
    return start(x, &m);
}

static uint32_t http_open(void *ctx, struct mvr_session *s, struct mvr_chan *c,
                          const uint8_t *endpoint, size_t endpoint_len, const char **why)
{
    (void)endpoint;
    *why = "HTTP channels take no endpoint";
    if (endpoint_len)
        return MV_STATUS_UNKNOWNCHANNELENDPOINT;
    struct http_xfer *x = calloc(1, sizeof *x);
    *why = "out of memory";
    if (!x)
        return MV_STATUS_UNAVAILABLE;
    x->h = ctx;
    x->s = s;
    x->c = c;
    c->svc_state = x;
    return 0;
}

static int http_msg(void *ctx, struct mvr_session *s, struct mvr_chan *c, const struct mvp_frame *m)
{
    struct http_xfer *x = c->svc_state;
    (void)ctx, (void)s;
    /* One request per channel, as on Microvisor: a second one is a protocol error. */
    if (m->hdr.type != MVP_MSG_HTTP_REQUEST || x->state != XFER_IDLE)
        return MVR_SVC_RESET;
    return serve(x, m);
}

static void http_close(void *ctx, struct mvr_session *s, struct mvr_chan *c)
{
    struct http_xfer *x = c->svc_state;
    (void)ctx, (void)s;
    if (!x)
        return;
    if (x->state == XFER_RUNNING && x->easy) {
        mvr_curlm_remove(x->h->cm, x->easy);
        log_request(x, MV_HTTPRESULT_REQUESTFAILED, 0, "channel_closed",
                    (double)(uv_hrtime() - x->t0_ns) / 1e6);
    }
    release_transfer(x);
    mvr_hresp_free(&x->resp);
    free(x);
    c->svc_state = NULL;
}

static void log_resolver(void)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    const char *res = !(v->features & CURL_VERSION_ASYNCHDNS) ? "blocking"
                      : v->ares                              ? "c-ares"
                                                             : "threaded";
    mvr_log(MVR_INFO, "http proxy ready", "curl=%s ssl=\"%s\" resolver=%s", v->version,
            v->ssl_version, res);
}

static struct curl_slist *resolve_list(const struct mvr_http_config *cfg, int *err)
{
    struct curl_slist *l = NULL;
    *err = 0;
    for (size_t i = 0; i < cfg->n_resolve; i++) {
        struct curl_slist *n = curl_slist_append(l, cfg->resolve[i]);
        if (!n) {
            *err = 1;
            return l;
        }
        l = n;
    }
    return l;
}

struct http_svc *mvr_http_svc_new(uv_loop_t *loop, const struct mvr_http_config *cfg)
{
    struct http_svc *h = calloc(1, sizeof *h);
    int err = 0;
    if (!h || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        free(h);
        return NULL;
    }
    h->loop = loop;
    h->cfg = cfg;
    h->iface = (struct mvr_svc){.name = "http", .open = http_open, .msg = http_msg,
                                .close = http_close, .ctx = h,
                                .max_msg = MVP_MAX_MSG_PAYLOAD};
    h->rate = mvr_rate_new(cfg->rate_per_min, cfg->rate_burst);
    h->resolve = resolve_list(cfg, &err);
    h->cm = mvr_curlm_new(loop, on_done, h);
    if (!h->rate || err || !h->cm) {
        mvr_http_svc_free(h);
        return NULL;
    }
    log_resolver();
    return h;
}

const struct mvr_svc *mvr_http_svc_iface(const struct http_svc *h)
{
    return h ? &h->iface : NULL;
}

void mvr_http_svc_free(struct http_svc *h)
{
    if (!h)
        return;
    mvr_curlm_free(h->cm);
    mvr_rate_free(h->rate);
    curl_slist_free_all(h->resolve);
    free(h);
}
