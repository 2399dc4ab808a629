/* State shared by the HTTP proxy's files: the service (one per relay) and one transfer
 * per HTTP channel (Microvisor allows one request per channel). */
#ifndef MVR_HTTP_PRIV_H
#define MVR_HTTP_PRIV_H

#include <curl/curl.h>
#include <uv.h>

#include "mvr/http_config.h"
#include "svc/http/http_curl.h"
#include "svc/http/http_rate.h"
#include "svc/http/http_req.h"
#include "svc/http/http_resp.h"
#include "svc/svc.h"

struct http_svc {
    struct mvr_svc iface; /* iface.ctx points back here */
    uv_loop_t *loop;
    const struct mvr_http_config *cfg;
    struct mvr_curlm *cm;
    struct mvr_rate *rate;
    struct curl_slist *resolve; /* http_resolve entries (tests) */
    uint32_t in_flight;
};

enum xfer_state { XFER_IDLE, XFER_RUNNING, XFER_DONE };

struct http_xfer {
    struct http_svc *h;
    struct mvr_session *s;
    struct mvr_chan *c;
    enum xfer_state state;
    CURL *easy;
    struct curl_slist *hdrs;
    uint8_t *body; /* request body (curl reads it from here) */
    uint32_t body_len;
    struct mvr_http_target t;
    struct mvr_http_resp resp;
    const char *denied; /* address class the SSRF guard refused, or NULL */
    uint64_t t0_ns;
};

/* A curl easy handle for x's checked request m (body already copied to x->body), or
 * NULL when out of memory. */
CURL *mvr_http_easy_new(struct http_xfer *x, const struct mvp_http_request *m);

#endif
