/* HTTP channel messages (PROTOCOL.md "HTTP channel"): request and response bodies
 * with their header lists. Only structure and limits are judged here; whether a
 * request is acceptable is the relay's decision, reported as an MvHttpResult. */
#include "mvp/http.h"
#include "mvp/msg.h"
#include "mvp/wire.h"
#include "codec.h"

static void w_headers(struct mvp_wbuf *w, const struct mvp_bytes *h, size_t n)
{
    size_t i;

    mvp_w_u16(w, (uint16_t)n);
    for (i = 0; i < n; i++) {
        if (h[i].len > MVP_MAX_HTTP_HEADER && !w->err)
            w->err = MVP_E_TOO_LONG;
        mvp_w_bytes16(w, h[i].data, h[i].len);
    }
}

/* Reads the header list into hdrs[0..cap); max is the protocol limit. */
static size_t r_headers(struct mvp_rbuf *r, struct mvp_bytes *hdrs, size_t cap, size_t max)
{
    uint16_t count = mvp_r_u16(r), i, n;
    const uint8_t *p;

    if (r->err)
        return 0;
    if (count > max || count > cap) {
        mvp_r_fail(r, MVP_E_TOO_MANY);
        return 0;
    }
    for (i = 0; i < count && !r->err; i++) {
        mvp_r_bytes16(r, &p, &n, MVP_MAX_HTTP_HEADER);
        hdrs[i].data = p;
        hdrs[i].len = n;
    }
    return r->err ? 0 : count;
}

/* Common tail of the encoders: the body must fit one typed message. */
static int w_finish(const struct mvp_wbuf *w)
{
    int rc = mvp_w_result(w);

    if (rc > 0 && (size_t)rc > MVP_MAX_MSG_PAYLOAD)
        return -MVP_E_TOO_LONG;
    return rc;
}

static int req_check(const struct mvp_http_request *m)
{
    if (m->method_len == 0 || m->url_len == 0)
        return -MVP_E_INVALID;
    if (m->method_len > MVP_MAX_HTTP_METHOD || m->url_len > MVP_MAX_HTTP_URL ||
        m->body_len > MVP_MAX_HTTP_BODY)
        return -MVP_E_TOO_LONG;
    return m->num_headers > MVP_MAX_HTTP_HEADERS ? -MVP_E_TOO_MANY : 0;
}

int mvp_http_req_encode(const struct mvp_http_request *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = req_check(m);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, m->timeout_ms);
    mvp_w_bytes16(&w, m->method, m->method_len);
    mvp_w_bytes16(&w, m->url, m->url_len);
    w_headers(&w, m->headers, m->num_headers);
    mvp_w_bytes32(&w, m->body, m->body_len);
    return w_finish(&w);
}

int mvp_http_req_decode(const uint8_t *in, size_t len, struct mvp_http_request *m,
                        struct mvp_bytes *hdrs, size_t cap)
{
    struct mvp_rbuf r;
    int rc;

    if (len > MVP_MAX_MSG_PAYLOAD)
        return -MVP_E_TOO_LONG;
    mvp_r_init(&r, in, len);
    m->timeout_ms = mvp_r_u32(&r);
    mvp_r_bytes16(&r, &m->method, &m->method_len, MVP_MAX_HTTP_METHOD);
    mvp_r_bytes16(&r, &m->url, &m->url_len, MVP_MAX_HTTP_URL);
    m->headers = hdrs;
    m->num_headers = r_headers(&r, hdrs, cap, MVP_MAX_HTTP_HEADERS);
    mvp_r_bytes32(&r, &m->body, &m->body_len, MVP_MAX_HTTP_BODY);
    rc = mvp_r_end(&r);
    return rc ? rc : req_check(m);
}

static int resp_check(const struct mvp_http_response *m)
{
    if (m->result > MVP_MAX_HTTP_RESULT || m->status_code > MVP_MAX_HTTP_STATUS)
        return -MVP_E_INVALID;
    /* A failed request has no HTTP response to carry. */
    if (m->result != 0 && (m->status_code || m->num_headers || m->body_len))
        return -MVP_E_INVALID;
    if (m->body_len > MVP_MAX_HTTP_BODY)
        return -MVP_E_TOO_LONG;
    return m->num_headers > MVP_MAX_HTTP_RESP_HEADERS ? -MVP_E_TOO_MANY : 0;
}

size_t mvp_http_resp_size(const struct mvp_http_response *m)
{
    size_t n = 1 + 3 + 4 + 2 + 4 + (size_t)m->body_len, i;

    for (i = 0; i < m->num_headers; i++)
        n += 2 + (size_t)m->headers[i].len;
    return n;
}

int mvp_http_resp_encode(const struct mvp_http_response *m, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = resp_check(m);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u8(&w, m->result);
    mvp_w_u8(&w, 0);
    mvp_w_u16(&w, 0);
    mvp_w_u32(&w, m->status_code);
    w_headers(&w, m->headers, m->num_headers);
    mvp_w_bytes32(&w, m->body, m->body_len);
    return w_finish(&w);
}

int mvp_http_resp_decode(const uint8_t *in, size_t len, struct mvp_http_response *m,
                         struct mvp_bytes *hdrs, size_t cap)
{
    struct mvp_rbuf r;
    int rc;

    if (len > MVP_MAX_MSG_PAYLOAD)
        return -MVP_E_TOO_LONG;
    mvp_r_init(&r, in, len);
    m->result = mvp_r_u8(&r);
    if (mvp_r_u8(&r) != 0 || mvp_r_u16(&r) != 0)
        mvp_r_fail(&r, MVP_E_INVALID);
    m->status_code = mvp_r_u32(&r);
    m->headers = hdrs;
    m->num_headers = r_headers(&r, hdrs, cap, MVP_MAX_HTTP_RESP_HEADERS);
    mvp_r_bytes32(&r, &m->body, &m->body_len, MVP_MAX_HTTP_BODY);
    rc = mvp_r_end(&r);
    return rc ? rc : resp_check(m);
}
