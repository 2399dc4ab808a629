/* Unit tests for proto/src/http.c: request/response round trips, limits, result
 * rules, header counts against protocol and caller capacity. */
#include <criterion/criterion.h>
#include <string.h>

#include "mvp/http.h"
#include "mvp/msg.h"
#include "mvp/wire.h"

static const struct mvp_bytes hdrs[2] = {
    { (const uint8_t *)"Accept: */*", 11 },
    { (const uint8_t *)"X-A: b", 6 },
};

static struct mvp_http_request req(void)
{
    struct mvp_http_request m = { .timeout_ms = 5000, .headers = hdrs, .num_headers = 2 };

    m.method = (const uint8_t *)"POST";
    m.method_len = 4;
    m.url = (const uint8_t *)"https://h/p";
    m.url_len = 11;
    m.body = (const uint8_t *)"{}";
    m.body_len = 2;
    return m;
}

static struct mvp_http_response resp(void)
{
    struct mvp_http_response m = { .result = 0, .status_code = 404, .headers = hdrs,
                                   .num_headers = 1 };

    m.body = (const uint8_t *)"nope";
    m.body_len = 4;
    return m;
}

Test(http, request_round_trip)
{
    struct mvp_http_request m = req(), d;
    struct mvp_bytes h[4];
    uint8_t b[256];
    int n = mvp_http_req_encode(&m, b, sizeof(b));

    cr_assert_eq(n, 4 + 6 + 13 + 2 + 13 + 8 + 6);
    cr_assert_eq(mvp_http_req_decode(b, (size_t)n, &d, h, 4), 0);
    cr_assert_eq(d.timeout_ms, 5000);
    cr_assert_eq(d.method_len, 4);
    cr_assert_eq(memcmp(d.method, "POST", 4), 0);
    cr_assert_eq(d.url_len, 11);
    cr_assert_eq(d.num_headers, 2);
    cr_assert_eq(d.headers, h);
    cr_assert_eq(h[1].len, 6);
    cr_assert_eq(memcmp(h[1].data, "X-A: b", 6), 0);
    cr_assert_eq(d.body_len, 2);
}

Test(http, request_truncated_trailing_and_capacity)
{
    struct mvp_http_request m = req(), d;
    struct mvp_bytes h[4];
    uint8_t b[256];
    int n = mvp_http_req_encode(&m, b, sizeof(b));
    size_t len;

    for (len = 0; len < (size_t)n; len++) {
        cr_assert_eq(mvp_http_req_decode(b, len, &d, h, 4), -MVP_E_TRUNCATED, "len %zu", len);
        cr_assert_eq(mvp_http_req_encode(&m, b + 128, len), -MVP_E_NOSPACE, "cap %zu", len);
    }
    cr_assert_eq(mvp_http_req_decode(b, (size_t)n + 1, &d, h, 4), -MVP_E_TRAILING);
    cr_assert_eq(mvp_http_req_decode(b, (size_t)n, &d, h, 1), -MVP_E_TOO_MANY);
}

Test(http, request_limits)
{
    static struct mvp_bytes many[MVP_MAX_HTTP_HEADERS + 1];
    static uint8_t b[MVP_MAX_MSG_PAYLOAD + 64];
    static uint8_t big[MVP_MAX_HTTP_BODY + 1];
    struct mvp_http_request m = req(), d;
    struct mvp_bytes h[MVP_MAX_HTTP_HEADERS + 1];
    size_t i;
    int n;

    for (i = 0; i <= MVP_MAX_HTTP_HEADERS; i++)
        many[i] = hdrs[0];
    m.headers = many;
    m.num_headers = MVP_MAX_HTTP_HEADERS;
    n = mvp_http_req_encode(&m, b, sizeof(b));
    cr_assert_gt(n, 0);
    cr_assert_eq(mvp_http_req_decode(b, (size_t)n, &d, h, MVP_MAX_HTTP_HEADERS + 1), 0);
    m.num_headers = MVP_MAX_HTTP_HEADERS + 1;
    cr_assert_eq(mvp_http_req_encode(&m, b, sizeof(b)), -MVP_E_TOO_MANY);
    m = req();
    m.method_len = 0;
    cr_assert_eq(mvp_http_req_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = req();
    m.url_len = MVP_MAX_HTTP_URL + 1;
    cr_assert_eq(mvp_http_req_encode(&m, b, sizeof(b)), -MVP_E_TOO_LONG);
    m = req();
    m.body = big;
    m.body_len = MVP_MAX_HTTP_BODY;
    cr_assert_gt(mvp_http_req_encode(&m, b, sizeof(b)), 0);
    m.body_len = MVP_MAX_HTTP_BODY + 1;
    cr_assert_eq(mvp_http_req_encode(&m, b, sizeof(b)), -MVP_E_TOO_LONG);
    m = req();
    many[0].len = MVP_MAX_HTTP_HEADER + 1;
    many[0].data = big;
    m.headers = many;
    m.num_headers = 1;
    cr_assert_eq(mvp_http_req_encode(&m, b, sizeof(b)), -MVP_E_TOO_LONG);
}

Test(http, request_over_message_limit_is_too_long)
{
    static struct mvp_bytes many[MVP_MAX_HTTP_HEADERS];
    static uint8_t b[2 * MVP_MAX_MSG_PAYLOAD];
    static uint8_t big[MVP_MAX_HTTP_BODY];
    struct mvp_http_request m = req(), d;
    struct mvp_bytes h[MVP_MAX_HTTP_HEADERS];
    size_t i;

    for (i = 0; i < MVP_MAX_HTTP_HEADERS; i++) {
        many[i].data = big;
        many[i].len = MVP_MAX_HTTP_HEADER;
    }
    m.headers = many;
    m.num_headers = MVP_MAX_HTTP_HEADERS;
    m.body = big;
    m.body_len = MVP_MAX_HTTP_BODY;
    cr_assert_eq(mvp_http_req_encode(&m, b, sizeof(b)), -MVP_E_TOO_LONG);
    cr_assert_eq(mvp_http_req_decode(b, MVP_MAX_MSG_PAYLOAD + 1, &d, h, MVP_MAX_HTTP_HEADERS),
                 -MVP_E_TOO_LONG);
}

Test(http, response_round_trip)
{
    struct mvp_http_response m = resp(), d;
    struct mvp_bytes h[4];
    uint8_t b[256];
    int n = mvp_http_resp_encode(&m, b, sizeof(b));
    size_t len;

    cr_assert_eq(n, 8 + 2 + 13 + 8);
    cr_assert_eq((size_t)n, mvp_http_resp_size(&m));
    cr_assert_eq(mvp_http_resp_decode(b, (size_t)n, &d, h, 4), 0);
    cr_assert_eq(d.result, 0);
    cr_assert_eq(d.status_code, 404);
    cr_assert_eq(d.num_headers, 1);
    cr_assert_eq(d.body_len, 4);
    cr_assert_eq(memcmp(d.body, "nope", 4), 0);
    for (len = 0; len < (size_t)n; len++) {
        cr_assert_eq(mvp_http_resp_decode(b, len, &d, h, 4), -MVP_E_TRUNCATED);
        cr_assert_eq(mvp_http_resp_encode(&m, b + 128, len), -MVP_E_NOSPACE);
    }
    cr_assert_eq(mvp_http_resp_decode(b, (size_t)n + 1, &d, h, 4), -MVP_E_TRAILING);
}

Test(http, failed_result_carries_nothing)
{
    struct mvp_http_response m = { .result = 6 }, d;
    struct mvp_bytes h[1];
    uint8_t b[64];
    int n = mvp_http_resp_encode(&m, b, sizeof(b));

    cr_assert_eq(n, 14);
    cr_assert_eq(mvp_http_resp_decode(b, (size_t)n, &d, h, 1), 0);
    cr_assert_eq(d.result, 6);
    m.status_code = 200;
    cr_assert_eq(mvp_http_resp_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
    m = resp();
    m.result = 5;
    cr_assert_eq(mvp_http_resp_encode(&m, b, sizeof(b)), -MVP_E_INVALID);
}

Test(http, response_rejects_bad_fields_on_the_wire)
{
    struct mvp_http_response m = resp(), d;
    struct mvp_bytes h[4];
    uint8_t b[256];
    int n = mvp_http_resp_encode(&m, b, sizeof(b));

    b[0] = 7; /* MvHttpResult out of range */
    cr_assert_eq(mvp_http_resp_decode(b, (size_t)n, &d, h, 4), -MVP_E_INVALID);
    mvp_http_resp_encode(&m, b, sizeof(b));
    b[2] = 1; /* reserved */
    cr_assert_eq(mvp_http_resp_decode(b, (size_t)n, &d, h, 4), -MVP_E_INVALID);
    mvp_http_resp_encode(&m, b, sizeof(b));
    b[6] = 0x10; /* status 4244 */
    cr_assert_eq(mvp_http_resp_decode(b, (size_t)n, &d, h, 4), -MVP_E_INVALID);
    mvp_http_resp_encode(&m, b, sizeof(b));
    b[9] = MVP_MAX_HTTP_RESP_HEADERS + 1; /* header count */
    cr_assert_eq(mvp_http_resp_decode(b, (size_t)n, &d, h, 4), -MVP_E_TOO_MANY);
    mvp_http_resp_encode(&m, b, sizeof(b));
    b[10] = 0x04;
    b[11] = 0x01; /* header length 1025 */
    cr_assert_eq(mvp_http_resp_decode(b, (size_t)n, &d, h, 4), -MVP_E_TOO_LONG);
}
