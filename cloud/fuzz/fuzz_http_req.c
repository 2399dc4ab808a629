/* libFuzzer target for the HTTP proxy's decoders of untrusted input: a device's
 * HTTP_REQUEST body through the codec and the relay's checks (URL via curl's parser,
 * method, headers, timeout), the SSRF rule parser, and an upstream server's header lines
 * and body through the bounded response collector. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvp/http.h"
#include "mvr/http_config.h"
#include "svc/http/http_req.h"
#include "svc/http/http_resp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void request(const uint8_t *data, size_t size)
{
    static struct mvr_http_config cfg;
    struct mvp_http_request m;
    struct mvp_bytes hdrs[MVP_MAX_HTTP_HEADERS];
    struct mvr_http_target t;
    const char *why;
    mvr_http_config_defaults(&cfg);
    mvr_http_rule_parse("plain.test:8080", &cfg.allow_plain[0]);
    cfg.n_allow_plain = 1;
    if (mvp_http_req_decode(data, size, &m, hdrs, MVP_MAX_HTTP_HEADERS) < 0)
        return;
    uint8_t r = mvr_http_req_check(&cfg, &m, &t, &why);
    if (r > MV_HTTPRESULT_RESPONSETOOLARGE || !why)
        abort();
    if (r == MV_HTTPRESULT_OK && (!t.host[0] || t.port <= 0 || t.port > 65535))
        abort();
}

/* Lines separated by '\n' as header lines (until an empty one), the rest as body. */
static void response(const uint8_t *data, size_t size)
{
    struct mvr_http_resp r;
    size_t off = 0, limit = 64 + (size ? (size_t)data[0] * 300 : 0);
    mvr_hresp_init(&r, limit);
    while (off < size) {
        const uint8_t *nl = memchr(data + off, '\n', size - off);
        size_t n = nl ? (size_t)(nl - (data + off)) + 1 : size - off;
        if (n <= 2)
            break;
        if (mvr_hresp_header(&r, (const char *)data + off, n) < 0)
            break;
        off += n;
    }
    if (off < size)
        mvr_hresp_body(&r, data + off, size - off);
    if (r.used > r.limit && !r.too_large)
        abort();
    uint8_t *msg = NULL;
    int n = mvr_hresp_encode(&r, r.too_large ? MV_HTTPRESULT_RESPONSETOOLARGE : 0, 200, &msg);
    if (n > 0 && !r.too_large && (size_t)n != r.used)
        abort();
    free(msg);
    mvr_hresp_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char rule[300];
    struct mvr_http_rule hr;
    request(data, size);
    response(data, size);
    size_t n = size < sizeof rule - 1 ? size : sizeof rule - 1;
    memcpy(rule, data, n);
    rule[n] = '\0';
    mvr_http_rule_parse(rule, &hr);
    return 0;
}
