/* Unit tests for the HTTP proxy's pure parts: request checks mapped to MvHttpResult
 * (svc/http/http_req.c), the bounded response collector (svc/http/http_resp.c), the per-device
 * rate limiter (svc/http/http_rate.c) and the http_* settings (svc/http/http_config.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvp/http.h"
#include "mvr/config.h"
#include "svc/http/http_rate.h"
#include "svc/http/http_req.h"
#include "svc/http/http_resp.h"

static struct mvr_http_config cfg;
static struct mvp_bytes hdrs[40];

static struct mvp_http_request req(const char *method, const char *url, uint32_t timeout)
{
    mvr_http_config_defaults(&cfg);
    return (struct mvp_http_request){.timeout_ms = timeout,
                                     .method = (const uint8_t *)method,
                                     .method_len = (uint16_t)strlen(method),
                                     .url = (const uint8_t *)url,
                                     .url_len = (uint16_t)strlen(url),
                                     .headers = hdrs};
}

static uint8_t check(const struct mvp_http_request *m, struct mvr_http_target *t)
{
    const char *why;
    return mvr_http_req_check(&cfg, m, t, &why);
}

Test(http_req, valid_request_names_its_target)
{
    struct mvr_http_target t;
    struct mvp_http_request m = req("GET", "https://Example.COM:8443/a?b=c", 5000);
    cr_assert_eq(check(&m, &t), MV_HTTPRESULT_OK);
    cr_expect_str_eq(t.host, "example.com");
    cr_expect_eq(t.port, 8443);
    cr_expect_str_eq(t.method, "GET");
    m = req("OPTIONS", "https://[::1]/", 10000);
    cr_assert_eq(check(&m, &t), MV_HTTPRESULT_OK);
    cr_expect_str_eq(t.host, "::1");
    cr_expect_eq(t.port, 443);
    m = req("POST", "https://2130706433/", 7000); /* curl normalises numeric hosts */
    cr_assert_eq(check(&m, &t), MV_HTTPRESULT_OK);
    cr_expect_str_eq(t.host, "127.0.0.1");
}

Test(http_req, results_for_each_problem)
{
    struct mvr_http_target t;
    struct mvp_http_request m = req("GET", "http://example.com/", 5000);
    cr_expect_eq(check(&m, &t), MV_HTTPRESULT_UNSUPPORTEDURISCHEME);
    m = req("GET", "ftp://example.com/", 5000);
    cr_expect_eq(check(&m, &t), MV_HTTPRESULT_UNSUPPORTEDURISCHEME);
    m = req("GET", "example.com/", 5000);
    cr_expect_eq(check(&m, &t), MV_HTTPRESULT_UNSUPPORTEDURISCHEME);
    m = req("get", "https://example.com/", 5000);
    cr_expect_eq(check(&m, &t), MV_HTTPRESULT_UNSUPPORTEDMETHOD);
    m = req("CONNECT", "https://example.com/", 5000);
    cr_expect_eq(check(&m, &t), MV_HTTPRESULT_UNSUPPORTEDMETHOD);
    m = req("GET", "https://example.com/", 4999);
    cr_expect_eq(check(&m, &t), MV_HTTPRESULT_INVALIDTIMEOUT);
    m = req("GET", "https://example.com/", 10001);
    cr_expect_eq(check(&m, &t), MV_HTTPRESULT_INVALIDTIMEOUT);
    m = req("GET", "https://exa mple.com/", 5000);
    cr_expect_eq(check(&m, &t), MV_HTTPRESULT_REQUESTFAILED);
}

Test(http_req, plain_http_only_for_listed_hosts)
{
    struct mvr_http_target t;
    struct mvp_http_request m = req("GET", "http://dev.local:8080/", 5000);
    cr_assert_eq(mvr_http_rule_parse("dev.local:8080", &cfg.allow_plain[0]), 0);
    cfg.n_allow_plain = 1;
    cr_expect_eq(check(&m, &t), MV_HTTPRESULT_OK);
    cr_expect(t.plain);
    m.url = (const uint8_t *)"http://dev.local:8081/";
    m.url_len = (uint16_t)strlen((const char *)m.url);
    cr_expect_eq(check(&m, &t), MV_HTTPRESULT_UNSUPPORTEDURISCHEME);
}

static uint8_t with_header(const char *h)
{
    struct mvr_http_target t;
    struct mvp_http_request m = req("GET", "https://example.com/", 5000);
    hdrs[0] = (struct mvp_bytes){(const uint8_t *)h, (uint32_t)strlen(h)};
    m.num_headers = 1;
    return check(&m, &t);
}

Test(http_req, header_rules)
{
    cr_expect_eq(with_header("Accept: application/json"), MV_HTTPRESULT_OK);
    cr_expect_eq(with_header("X-Empty:"), MV_HTTPRESULT_OK);
    cr_expect_eq(with_header("Host: example.com"), MV_HTTPRESULT_OK);
    cr_expect_eq(with_header("Host: EXAMPLE.com:443"), MV_HTTPRESULT_OK);
    cr_expect_eq(with_header("Host: other.com"), MV_HTTPRESULT_INVALIDHEADERS);
    cr_expect_eq(with_header("Content-Length: 5"), MV_HTTPRESULT_INVALIDHEADERS);
    cr_expect_eq(with_header("transfer-encoding: chunked"), MV_HTTPRESULT_INVALIDHEADERS);
    cr_expect_eq(with_header("Connection: close"), MV_HTTPRESULT_INVALIDHEADERS);
    cr_expect_eq(with_header("NoColon"), MV_HTTPRESULT_INVALIDHEADERS);
    cr_expect_eq(with_header(": value"), MV_HTTPRESULT_INVALIDHEADERS);
    cr_expect_eq(with_header("Bad Name: v"), MV_HTTPRESULT_INVALIDHEADERS);
    cr_expect_eq(with_header("X-Split: a\r\nInjected: b"), MV_HTTPRESULT_INVALIDHEADERS);
    struct mvr_http_target t;
    struct mvp_http_request m = req("GET", "https://example.com/", 5000);
    cr_expect_eq(mvr_http_header_check((const uint8_t *)"Host: example.com", 17, &t),
                 MVR_HDR_INVALID); /* t not filled: no host to match */
    (void)m;
}

Test(http_resp, collects_final_block_within_limit)
{
    struct mvr_http_resp r;
    mvr_hresp_init(&r, 4096);
    cr_assert_eq(mvr_hresp_header(&r, "HTTP/1.1 100 Continue\r\n", 23), 0);
    cr_assert_eq(mvr_hresp_header(&r, "X-Interim: 1\r\n", 14), 0);
    cr_assert_eq(mvr_hresp_header(&r, "\r\n", 2), 0);
    cr_assert_eq(mvr_hresp_header(&r, "HTTP/1.1 200 OK\r\n", 17), 0);
    cr_assert_eq(mvr_hresp_header(&r, "Content-Type: text/plain\r\n", 26), 0);
    cr_assert_eq(mvr_hresp_body(&r, (const uint8_t *)"hello", 5), 0);
    cr_expect_eq(r.nh, 1);
    uint8_t *msg;
    int n = mvr_hresp_encode(&r, MV_HTTPRESULT_OK, 200, &msg);
    cr_assert_gt(n, 0);
    cr_expect_eq((size_t)n, r.used, "size tracked %zu, encoded %d", r.used, n);
    struct mvp_http_response d;
    struct mvp_bytes h[4];
    cr_assert_eq(mvp_http_resp_decode(msg + 8, (size_t)n - 8, &d, h, 4), 0);
    cr_expect_eq(d.status_code, 200);
    cr_expect_eq(d.num_headers, 1);
    cr_expect_eq(d.body_len, 5);
    free(msg);
    mvr_hresp_free(&r);
}

Test(http_resp, stops_once_past_the_limit)
{
    struct mvr_http_resp r;
    static uint8_t chunk[1000];
    mvr_hresp_init(&r, 1024);
    int rc = 0, fed = 0;
    while (rc == 0 && fed < 100)
        rc = mvr_hresp_body(&r, chunk, sizeof chunk), fed++;
    cr_expect_eq(rc, -1);
    cr_expect(r.too_large);
    cr_expect_leq(r.body_cap, 1024u, "buffered %zu bytes", r.body_cap);
    cr_expect_eq(fed, 2, "the second chunk passes the limit");
    mvr_hresp_free(&r);
    mvr_hresp_init(&r, 65536);
    for (int i = 0; i < 64; i++)
        cr_assert_eq(mvr_hresp_header(&r, "X-A: b", 6), 0);
    cr_expect_eq(mvr_hresp_header(&r, "X-A: b", 6), -1, "65th header");
    mvr_hresp_free(&r);
}

Test(http_rate, bucket_per_device_refills_and_forgets)
{
    struct mvr_rate *r = mvr_rate_new(60, 2); /* 1 per second, burst 2 */
    cr_expect_eq(mvr_rate_take(r, "A", 0), 1);
    cr_expect_eq(mvr_rate_take(r, "A", 0), 1);
    cr_expect_eq(mvr_rate_take(r, "A", 0), 0);
    cr_expect_eq(mvr_rate_take(r, "B", 0), 1, "devices are independent");
    cr_expect_eq(mvr_rate_take(r, "A", 999999), 0);
    cr_expect_eq(mvr_rate_take(r, "A", 1000000), 1);
    cr_expect_eq(mvr_rate_tracked(r), 2);
    char id[16];
    for (int i = 0; i < 2000; i++) {
        snprintf(id, sizeof id, "D%d", i);
        mvr_rate_take(r, id, 2000000);
    }
    cr_expect_geq(mvr_rate_tracked(r), 2000u);
    /* Much later every bucket is full again: lookups drop the idle ones they meet. */
    for (int i = 0; i < 2000; i++) {
        snprintf(id, sizeof id, "E%d", i);
        mvr_rate_take(r, id, 100000000);
    }
    cr_expect_lt(mvr_rate_tracked(r), 3000u, "idle buckets were forgotten: %zu",
                 mvr_rate_tracked(r));
    mvr_rate_free(r);
}

Test(http_config, keys_and_flags)
{
    struct mvr_config c;
    char err[256];
    mvr_config_defaults(&c);
    cr_expect_eq(c.http.max_transfers, 256);
    cr_expect_eq(mvr_config_http_set(&c, "http_allow", "10.0.0.0/8", err, sizeof err), 0);
    cr_expect_eq(mvr_config_http_set(&c, "http_allow", "localhost:8443", err, sizeof err), 0);
    cr_expect_eq(c.http.n_allow, 2);
    cr_expect_eq(mvr_config_http_set(&c, "http_allow_plain", "dev:80", err, sizeof err), 0);
    cr_expect_eq(mvr_config_http_set(&c, "http_allow_plain", "10.0.0.0/8", err, sizeof err), -1);
    cr_expect_eq(mvr_config_http_set(&c, "http_ca_file", "/x/ca.pem", err, sizeof err), 0);
    cr_expect_str_eq(c.http.ca_file, "/x/ca.pem");
    cr_expect_eq(mvr_config_http_set(&c, "http_resolve", "a.test:443:10.0.0.1", err, sizeof err), 0);
    cr_expect_eq(mvr_config_http_set(&c, "http_resolve", "a.test:443", err, sizeof err), -1);
    cr_expect_eq(mvr_config_http_set(&c, "http_max_transfers", "0", err, sizeof err), -1);
    cr_expect_eq(mvr_config_http_set(&c, "http_rate_per_device", "600", err, sizeof err), 0);
    cr_expect_eq(mvr_config_http_set(&c, "http_bogus", "1", err, sizeof err), 1);
    cr_expect_eq(mvr_config_http_set(&c, "listen", "1", err, sizeof err), 1);
    char *argv[] = {"mvrelay", "--data-dir", "/tmp/d", "--http-allow", "127.0.0.1:9", NULL};
    mvr_config_defaults(&c);
    cr_expect_eq(mvr_config_args(&c, 5, argv, err, sizeof err), 0, "%s", err);
    cr_expect_eq(c.http.n_allow, 1);
    char *bad[] = {"mvrelay", "--data-dir", "/tmp/d", "--http-allow", "not a rule", NULL};
    cr_expect_eq(mvr_config_args(&c, 5, bad, err, sizeof err), -1);
}
