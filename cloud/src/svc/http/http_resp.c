/* Collects a proxied response within the device's receive credit. The size is tracked
 * as the encoded HTTP_RESPONSE would have it (8-byte message header, 14 fixed bytes,
 * 2 per header, 4 for the body length), so "fits" means exactly what the device gets. */
#include "svc/http/http_resp.h"

#include <stdlib.h>
#include <string.h>

#include "mvp/frame.h"
#include "mvp/msg.h"
#include "mv_syscalls.h"

#define MSG_FIXED (MVP_HDR_LEN + 1 + 3 + 4 + 2 + 4)

void mvr_hresp_init(struct mvr_http_resp *r, size_t limit)
{
    memset(r, 0, sizeof *r);
    r->limit = limit < MVP_HDR_LEN + MVP_MAX_MSG_PAYLOAD ? limit : MVP_HDR_LEN + MVP_MAX_MSG_PAYLOAD;
    r->used = MSG_FIXED;
}

static void drop_headers(struct mvr_http_resp *r)
{
    for (size_t i = 0; i < r->nh; i++) {
        r->used -= 2u + r->hlen[i];
        free(r->hdr[i]);
        r->hdr[i] = NULL;
    }
    r->nh = 0;
}

void mvr_hresp_free(struct mvr_http_resp *r)
{
    drop_headers(r);
    free(r->body);
    r->body = NULL;
}

static int too_large(struct mvr_http_resp *r)
{
    r->too_large = 1;
    return -1;
}

int mvr_hresp_header(struct mvr_http_resp *r, const char *line, size_t n)
{
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    if (n == 0)
        return 0; /* end of a header block */
    if (n >= 5 && !memcmp(line, "HTTP/", 5)) {
        drop_headers(r); /* a new response: an interim 1xx came before */
        return 0;
    }
    if (r->nh == MVP_MAX_HTTP_RESP_HEADERS || n > MVP_MAX_HTTP_HEADER ||
        r->used + 2 + n > r->limit)
        return too_large(r);
    char *h = malloc(n ? n : 1);
    if (!h)
        return -1;
    memcpy(h, line, n);
    r->hdr[r->nh] = h;
    r->hlen[r->nh++] = (uint16_t)n;
    r->used += 2 + n;
    return 0;
}

int mvr_hresp_body(struct mvr_http_resp *r, const uint8_t *p, size_t n)
{
    if (r->body_len + n > MVP_MAX_HTTP_BODY || r->used + n > r->limit)
        return too_large(r);
    if (r->body_len + n > r->body_cap) {
        size_t cap = r->body_cap ? r->body_cap * 2 : 4096;
        while (cap < r->body_len + n)
            cap *= 2;
        if (cap > r->limit) /* never more than the device could take */
            cap = r->limit;
        uint8_t *nb = realloc(r->body, cap);
        if (!nb)
            return -1;
        r->body = nb;
        r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, p, n);
    r->body_len += n;
    r->used += n;
    return 0;
}

int mvr_hresp_encode(const struct mvr_http_resp *r, uint8_t result, uint32_t status,
                         uint8_t **out)
{
    struct mvp_bytes hdrs[MVP_MAX_HTTP_RESP_HEADERS];
    struct mvp_http_response m = {.result = result};
    if (result == MV_HTTPRESULT_OK) {
        for (size_t i = 0; i < r->nh; i++)
            hdrs[i] = (struct mvp_bytes){(const uint8_t *)r->hdr[i], r->hlen[i]};
        m.status_code = status;
        m.headers = hdrs;
        m.num_headers = r->nh;
        m.body = r->body;
        m.body_len = (uint32_t)r->body_len;
    }
    size_t cap = MVP_HDR_LEN + mvp_http_resp_size(&m);
    uint8_t *buf = malloc(cap);
    if (!buf)
        return -1;
    int n = mvp_http_resp_encode(&m, buf + MVP_HDR_LEN, cap - MVP_HDR_LEN);
    if (n < 0) {
        free(buf);
        return -1;
    }
    mvp_msg_hdr_encode(MVP_MSG_HTTP_RESPONSE, (uint32_t)n, buf);
    *out = buf;
    return MVP_HDR_LEN + n;
}
