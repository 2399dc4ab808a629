/* HTTP channel calls (sys_http.c): request validation and encoding, response reads
 * from a relay HTTP_RESPONSE injected into the channel. */
#include <criterion/criterion.h>
#include <string.h>

#include "api_test.h"
#include "mvp/frame.h"
#include "mvp/http.h"
#include "mvp/msg.h"

TestSuite(http, .init = mvt_reset);

static struct MvHttpRequest *make_request(void)
{
    struct MvHttpRequest *r = mvt_app_alloc(sizeof *r);
    struct MvHttpHeader *h = mvt_app_alloc(2 * sizeof *h);
    uint8_t *s = mvt_app_alloc(128);

    memcpy(s, "GET", 3);
    memcpy(s + 8, "https://example.com/x", 21);
    memcpy(s + 32, "Accept: */*", 11);
    memcpy(s + 48, "body", 4);
    r->method = (struct MvSizedString){s, 3};
    r->url = (struct MvSizedString){s + 8, 21};
    h[0] = (struct MvHttpHeader){11, s + 32};
    r->num_headers = 1;
    r->headers = h;
    r->body = (struct MvSizedString){s + 48, 4};
    r->timeout_ms = 5000;
    return r;
}

Test(http, request_is_encoded_and_sent)
{
    MvChannelHandle ch;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_HTTP, 4096, 4096, &ch);
    struct mvp_http_request m;
    struct mvp_bytes hdrs[4];
    const uint8_t *f;
    uint8_t type;
    uint16_t chan;
    uint32_t len;

    cr_assert_eq(mvSendHttpRequest(ch, make_request()), MV_STATUS_OKAY);
    f = mvt_conn_last(&type, &chan, &len);
    cr_assert_eq(type, MVP_DATA);
    cr_assert_eq(chan, id);
    cr_assert_eq(f[0], MVP_MSG_HTTP_REQUEST);
    cr_assert_geq(mvp_http_req_decode(f + 8, len - 8, &m, hdrs, 4), 0);
    cr_assert_eq(m.timeout_ms, 5000);
    cr_assert_eq(m.url_len, 21);
    cr_assert_eq(memcmp(m.url, "https://example.com/x", 21), 0);
    cr_assert_eq(m.num_headers, 1);
    cr_assert_eq(memcmp(hdrs[0].data, "Accept: */*", 11), 0);
    cr_assert_eq(m.body_len, 4);
}

Test(http, second_request_is_refused)
{
    MvChannelHandle ch;

    mvt_open_channel(MV_CHANNELTYPE_HTTP, 4096, 4096, &ch);
    cr_assert_eq(mvSendHttpRequest(ch, make_request()), MV_STATUS_OKAY);
    cr_assert_eq(mvSendHttpRequest(ch, make_request()), MV_STATUS_REQUESTALREADYSENT);
}

Test(http, bad_pointers_are_parameter_faults)
{
    MvChannelHandle ch;
    struct MvHttpRequest *r = make_request();
    struct MvHttpHeader *h = (struct MvHttpHeader *)(uintptr_t)r->headers;

    mvt_open_channel(MV_CHANNELTYPE_HTTP, 4096, 4096, &ch);
    cr_assert_eq(mvSendHttpRequest(ch, NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvSendHttpRequest(ch, (struct MvHttpRequest *)mvt_kernel_mem),
                 MV_STATUS_PARAMETERFAULT);
    r->url.data = mvt_kernel_mem;
    cr_assert_eq(mvSendHttpRequest(ch, r), MV_STATUS_PARAMETERFAULT);
    r = make_request();
    r->body.data = (const uint8_t *)(UINTPTR_MAX - 2u); /* wraps */
    cr_assert_eq(mvSendHttpRequest(ch, r), MV_STATUS_PARAMETERFAULT);
    r = make_request();
    r->headers = (const struct MvHttpHeader *)mvt_kernel_mem;
    cr_assert_eq(mvSendHttpRequest(ch, r), MV_STATUS_PARAMETERFAULT);
    r = make_request();
    h = (struct MvHttpHeader *)(uintptr_t)r->headers;
    h[0].data = mvt_kernel_mem;
    cr_assert_eq(mvSendHttpRequest(ch, r), MV_STATUS_PARAMETERFAULT);
    /* nothing was sent, so a good request still goes out */
    cr_assert_eq(mvSendHttpRequest(ch, make_request()), MV_STATUS_OKAY);
}

Test(http, limits)
{
    MvChannelHandle ch;
    struct MvHttpRequest *r = make_request();

    mvt_open_channel(MV_CHANNELTYPE_HTTP, 4096, 4096, &ch);
    r->num_headers = 33;
    r->headers = mvt_app_alloc(33 * sizeof(struct MvHttpHeader));
    cr_assert_eq(mvSendHttpRequest(ch, r), MV_STATUS_TOOMANYELEMENTS);
    r = make_request();
    r->method.length = 0;
    cr_assert_eq(mvSendHttpRequest(ch, r), MV_STATUS_REQUIREDELEMENTMISSING);
    r = make_request();
    r->url.data = mvt_app_alloc(4096);
    r->url.length = 4096;
    cr_assert_eq(mvSendHttpRequest(ch, r), MV_STATUS_INPUTTOOLONG);
}

Test(http, request_larger_than_send_buffer)
{
    MvChannelHandle ch;
    struct MvHttpRequest *r = make_request();

    mvt_open_channel(MV_CHANNELTYPE_HTTP, 4096, 256, &ch);
    r->body.data = mvt_app_alloc(1024);
    r->body.length = 1024;
    cr_assert_eq(mvSendHttpRequest(ch, r), MV_STATUS_INVALIDBUFFERSIZE);
    cr_assert_eq(mvSendHttpRequest(ch, make_request()), MV_STATUS_REQUESTALREADYSENT);
}

Test(http, wrong_type_and_unknown_handles)
{
    MvChannelHandle ch;
    struct MvHttpResponseData *d = mvt_app_alloc(sizeof *d);

    mvt_open_channel(MV_CHANNELTYPE_OPAQUEBYTES, 4096, 4096, &ch);
    cr_assert_eq(mvSendHttpRequest(ch, make_request()), MV_STATUS_INVALIDHANDLE);
    cr_assert_eq(mvReadHttpResponseData(ch, d), MV_STATUS_INVALIDHANDLE);
    cr_assert_eq(mvSendHttpRequest(NULL, make_request()), MV_STATUS_INVALIDHANDLE);
    cr_assert_eq(mvReadHttpResponseBody((MvChannelHandle)(uintptr_t)0x1234u, 0, (uint8_t *)d, 4),
                 MV_STATUS_INVALIDHANDLE);
}

Test(http, closed_channel)
{
    MvChannelHandle ch;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_HTTP, 4096, 4096, &ch);
    const uint8_t reason[4] = {0, 0, 0, MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER};

    mvt_inject(MVP_CLOSE, id, reason, sizeof reason);
    cr_assert_eq(mvSendHttpRequest(ch, make_request()), MV_STATUS_CHANNELCLOSED);
}

static void respond(uint16_t id, uint8_t result)
{
    static const struct mvp_bytes hdrs[2] = {{(const uint8_t *)"Content-Type: text/plain", 24},
                                             {(const uint8_t *)"X-A: b", 6}};
    struct mvp_http_response r = {result, result ? 0 : 200, result ? NULL : hdrs,
                                  result ? 0 : 2, (const uint8_t *)"hello world",
                                  result ? 0 : 11};
    uint8_t body[256];
    int n = mvp_http_resp_encode(&r, body, sizeof body);

    cr_assert_gt(n, 0);
    mvt_inject_msg(id, MVP_MSG_HTTP_RESPONSE, body, (uint32_t)n);
}

Test(http, response_reads)
{
    MvChannelHandle ch;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_HTTP, 4096, 4096, &ch);
    struct MvHttpResponseData *d = mvt_app_alloc(sizeof *d);
    uint8_t *buf = mvt_app_alloc(64);

    cr_assert_eq(mvSendHttpRequest(ch, make_request()), MV_STATUS_OKAY);
    cr_assert_eq(mvReadHttpResponseData(ch, d), MV_STATUS_RESPONSENOTPRESENT);
    respond(id, MV_HTTPRESULT_OK);
    cr_assert_eq(mvReadHttpResponseData(ch, d), MV_STATUS_OKAY);
    cr_assert_eq(d->result, MV_HTTPRESULT_OK);
    cr_assert_eq(d->status_code, 200);
    cr_assert_eq(d->num_headers, 2);
    cr_assert_eq(d->body_length, 11);
    cr_assert_eq(mvReadHttpResponseHeader(ch, 1, buf, 64), MV_STATUS_OKAY);
    cr_assert_eq(memcmp(buf, "X-A: b", 6), 0);
    cr_assert_eq(mvReadHttpResponseHeader(ch, 2, buf, 64), MV_STATUS_INDEXINVALID);
    cr_assert_eq(mvReadHttpResponseHeader(ch, 0, buf, 10), MV_STATUS_INVALIDBUFFERSIZE);
    memset(buf, 0, 64);
    cr_assert_eq(mvReadHttpResponseBody(ch, 6, buf, 64), MV_STATUS_OKAY);
    cr_assert_str_eq((char *)buf, "world");
    cr_assert_eq(mvReadHttpResponseBody(ch, 0, buf, 5), MV_STATUS_OKAY);
    cr_assert_eq(memcmp(buf, "hello", 5), 0);
    cr_assert_eq(mvReadHttpResponseBody(ch, 11, buf, 4), MV_STATUS_OKAY);
    cr_assert_eq(mvReadHttpResponseBody(ch, 12, buf, 4), MV_STATUS_OFFSETINVALID);
    /* reads can be repeated: the response is not consumed */
    cr_assert_eq(mvReadHttpResponseData(ch, d), MV_STATUS_OKAY);
}

Test(http, response_read_pointers)
{
    MvChannelHandle ch;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_HTTP, 4096, 4096, &ch);

    respond(id, MV_HTTPRESULT_OK);
    cr_assert_eq(mvReadHttpResponseData(ch, NULL), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvReadHttpResponseData(ch, (struct MvHttpResponseData *)(uintptr_t)mvt_app_ro),
                 MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvReadHttpResponseHeader(ch, 0, mvt_kernel_mem, 32), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvReadHttpResponseBody(ch, 0, (uint8_t *)(UINTPTR_MAX - 1u), 8),
                 MV_STATUS_PARAMETERFAULT);
}

Test(http, failed_request_has_no_headers_or_body)
{
    MvChannelHandle ch;
    uint16_t id = mvt_open_channel(MV_CHANNELTYPE_HTTP, 4096, 4096, &ch);
    struct MvHttpResponseData *d = mvt_app_alloc(sizeof *d);
    uint8_t *buf = mvt_app_alloc(16);

    respond(id, MV_HTTPRESULT_UNSUPPORTEDURISCHEME);
    cr_assert_eq(mvReadHttpResponseData(ch, d), MV_STATUS_OKAY);
    cr_assert_eq(d->result, MV_HTTPRESULT_UNSUPPORTEDURISCHEME);
    cr_assert_eq(mvReadHttpResponseHeader(ch, 0, buf, 16), MV_STATUS_REQUESTUNSUCCESSFUL);
    cr_assert_eq(mvReadHttpResponseBody(ch, 0, buf, 16), MV_STATUS_REQUESTUNSUCCESSFUL);
}
