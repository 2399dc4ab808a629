/* HTTP channel system calls: one request per channel, sent as an HTTP_REQUEST message
 * (mvp/http.h); the relay's HTTP_RESPONSE stays in the channel's receive buffer and the
 * read calls decode it in place. Method, scheme and timeout are judged by the relay and
 * come back as an MvHttpResult in the response, as on Microvisor. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "appmem.h"
#include "chan.h"
#include "mvk_sys_decl.h"
#include "mvp/http.h"
#include "mvp/msg.h"

/* Per-channel typed state word. */
#define HTTP_IDLE 0u
#define HTTP_SENT 1u

/* The encoded request: every byte of it is read from the application exactly once,
 * here, and sent from kernel memory. */
static uint8_t http_scratch[MVP_MAX_MSG_PAYLOAD];

static enum MvStatus http_chan(MvChannelHandle handle, struct mvk_chan **c)
{
    return (enum MvStatus)mvk_chan_lookup(handle, MV_CHANNELTYPE_HTTP, c);
}

/* A sized string of the application: readable, and within the protocol's limit. An
 * empty string needs no pointer. */
static enum MvStatus check_str(const uint8_t *data, uint32_t len, uint32_t max)
{
    if (len != 0 && !mvk_app_rd(data, len))
        return MV_STATUS_PARAMETERFAULT;
    if (len > max)
        return MV_STATUS_INPUTTOOLONG;
    return MV_STATUS_OKAY;
}

/* Copies the request and its header array into kernel memory and checks every range. */
static enum MvStatus http_verify(const struct MvHttpRequest *request, struct mvp_http_request *m,
                                 struct mvp_bytes hdrs[MVP_MAX_HTTP_HEADERS])
{
    struct MvHttpRequest r;
    struct MvHttpHeader h[MVP_MAX_HTTP_HEADERS];
    enum MvStatus st;

    if (!mvk_app_rd(request, sizeof *request))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(&r, request, sizeof r);
    if (r.num_headers > MVP_MAX_HTTP_HEADERS)
        return MV_STATUS_TOOMANYELEMENTS;
    if ((st = check_str(r.method.data, r.method.length, MVP_MAX_HTTP_METHOD)) != MV_STATUS_OKAY ||
        (st = check_str(r.url.data, r.url.length, MVP_MAX_HTTP_URL)) != MV_STATUS_OKAY ||
        (st = check_str(r.body.data, r.body.length, MVP_MAX_HTTP_BODY)) != MV_STATUS_OKAY)
        return st;
    if (r.num_headers != 0 && !mvk_app_rd_array(r.headers, r.num_headers, sizeof h[0]))
        return MV_STATUS_PARAMETERFAULT;
    if (r.num_headers != 0)
        memcpy(h, r.headers, r.num_headers * sizeof h[0]);
    for (uint32_t i = 0; i < r.num_headers; i++) {
        if ((st = check_str(h[i].data, h[i].length, MVP_MAX_HTTP_HEADER)) != MV_STATUS_OKAY)
            return st;
        hdrs[i] = (struct mvp_bytes){h[i].data, h[i].length};
    }
    if (r.method.length == 0 || r.url.length == 0)
        return MV_STATUS_REQUIREDELEMENTMISSING;
    *m = (struct mvp_http_request){
        .timeout_ms = r.timeout_ms,
        .method = r.method.data,
        .method_len = (uint16_t)r.method.length,
        .url = r.url.data,
        .url_len = (uint16_t)r.url.length,
        .headers = hdrs,
        .num_headers = r.num_headers,
        .body = r.body.data,
        .body_len = r.body.length,
    };
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_send_http_request(MvChannelHandle handle, const struct MvHttpRequest *request)
{
    struct mvk_chan *c;
    struct mvp_http_request m;
    struct mvp_bytes hdrs[MVP_MAX_HTTP_HEADERS];
    enum MvStatus st;
    int n;

    if ((st = http_chan(handle, &c)) != MV_STATUS_OKAY)
        return st;
    if (*mvk_chan_typed_state(c) != HTTP_IDLE)
        return MV_STATUS_REQUESTALREADYSENT;
    if ((st = http_verify(request, &m, hdrs)) != MV_STATUS_OKAY)
        return st;
    n = mvp_http_req_encode(&m, http_scratch, sizeof http_scratch);
    if (n < 0)
        return MV_STATUS_INVALIDBUFFERSIZE; /* only possible for an oversized total */
    st = mvk_chan_send_msg(c, MVP_MSG_HTTP_REQUEST, http_scratch, (uint32_t)n);
    /* A request that can never fit the send buffer counts as sent, as on Microvisor:
     * the channel is spent either way. MICROVISORBUSY may be retried. */
    if (st == MV_STATUS_OKAY || st == MV_STATUS_INVALIDBUFFERSIZE)
        *mvk_chan_typed_state(c) = HTTP_SENT;
    return st;
}

/* The response, decoded from the receive buffer. Headers point into that buffer. */
static enum MvStatus http_response(struct mvk_chan *c, struct mvp_http_response *r,
                                   struct mvp_bytes hdrs[MVP_MAX_HTTP_RESP_HEADERS])
{
    uint8_t type;
    const uint8_t *body;
    uint32_t len;

    if (mvk_chan_peek_msg(c, &type, &body, &len) != MV_STATUS_OKAY)
        return MV_STATUS_RESPONSENOTPRESENT;
    if (type != MVP_MSG_HTTP_RESPONSE ||
        mvp_http_resp_decode(body, len, r, hdrs, MVP_MAX_HTTP_RESP_HEADERS) < 0)
        return MV_STATUS_INTERNALERROR; /* the relay broke the protocol */
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_read_http_response_data(MvChannelHandle handle,
                                              struct MvHttpResponseData *response_data)
{
    struct mvk_chan *c;
    struct mvp_http_response r;
    struct mvp_bytes hdrs[MVP_MAX_HTTP_RESP_HEADERS];
    struct MvHttpResponseData out;
    enum MvStatus st;

    if ((st = http_chan(handle, &c)) != MV_STATUS_OKAY)
        return st;
    if (!mvk_app_wr(response_data, sizeof *response_data))
        return MV_STATUS_PARAMETERFAULT;
    if ((st = http_response(c, &r, hdrs)) != MV_STATUS_OKAY)
        return st;
    out = (struct MvHttpResponseData){
        .result = (enum MvHttpResult)r.result,
        .status_code = r.status_code,
        .num_headers = (uint32_t)r.num_headers,
        .body_length = r.body_len,
    };
    memcpy(response_data, &out, sizeof out);
    return MV_STATUS_OKAY;
}

/* Common part of the header and body reads: channel, buffer, a successful response. */
static enum MvStatus http_read_prep(MvChannelHandle handle, uint8_t *buf, uint32_t size,
                                    struct mvp_http_response *r,
                                    struct mvp_bytes hdrs[MVP_MAX_HTTP_RESP_HEADERS])
{
    struct mvk_chan *c;
    enum MvStatus st;

    if ((st = http_chan(handle, &c)) != MV_STATUS_OKAY)
        return st;
    if (!mvk_app_wr(buf, size))
        return MV_STATUS_PARAMETERFAULT;
    if ((st = http_response(c, r, hdrs)) != MV_STATUS_OKAY)
        return st;
    if (r->result != MV_HTTPRESULT_OK)
        return MV_STATUS_REQUESTUNSUCCESSFUL;
    return MV_STATUS_OKAY;
}

/* Copies header_index whole; a header longer than buf is refused rather than cut. */
enum MvStatus mvk_sys_read_http_response_header(MvChannelHandle handle, uint32_t header_index,
                                                uint8_t *buf, uint32_t size)
{
    struct mvp_http_response r;
    struct mvp_bytes hdrs[MVP_MAX_HTTP_RESP_HEADERS];
    enum MvStatus st;

    if ((st = http_read_prep(handle, buf, size, &r, hdrs)) != MV_STATUS_OKAY)
        return st;
    if (header_index >= r.num_headers)
        return MV_STATUS_INDEXINVALID;
    if (hdrs[header_index].len > size)
        return MV_STATUS_INVALIDBUFFERSIZE;
    memmove(buf, hdrs[header_index].data, hdrs[header_index].len);
    return MV_STATUS_OKAY;
}

/* Copies up to size bytes from offset; the last piece only fills the start of buf. */
enum MvStatus mvk_sys_read_http_response_body(MvChannelHandle handle, uint32_t offset, uint8_t *buf,
                                              uint32_t size)
{
    struct mvp_http_response r;
    struct mvp_bytes hdrs[MVP_MAX_HTTP_RESP_HEADERS];
    enum MvStatus st;
    uint32_t n;

    if ((st = http_read_prep(handle, buf, size, &r, hdrs)) != MV_STATUS_OKAY)
        return st;
    if (offset > r.body_len)
        return MV_STATUS_OFFSETINVALID;
    n = r.body_len - offset < size ? r.body_len - offset : size;
    memmove(buf, r.body + offset, n);
    return MV_STATUS_OKAY;
}
