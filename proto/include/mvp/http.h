/* HTTP channel messages (PROTOCOL.md "HTTP channel"). One HTTP_REQUEST from the
 * device, one HTTP_RESPONSE from the relay. The codec checks structure and limits;
 * semantic checks (method names, https-only, timeout range) are the relay's job and
 * are reported with an MvHttpResult, not a protocol error.
 * HTTP_REQUEST:  {timeout_ms u32, method bytes16 1..16, url bytes16 1..2048,
 *                 count u16 <= 32, count x header bytes16 <= 1024, body bytes32 <= 65536}
 * HTTP_RESPONSE: {result u8 (MvHttpResult 0..6), reserved u8[3] = 0, status_code u32 <= 999,
 *                 count u16 <= 64, count x header bytes16 <= 1024, body bytes32 <= 65536}
 *                 a result other than OK carries status 0, no headers and no body.
 * Headers are whole "Name: value" lines without CR LF. Byte strings point into the
 * decoded input; the caller provides the header array (cap entries). */
#ifndef MVP_HTTP_H
#define MVP_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/wire.h"

#define MVP_MAX_HTTP_METHOD 16u
#define MVP_MAX_HTTP_URL 2048u
#define MVP_MAX_HTTP_HEADERS 32u      /* per request (Microvisor limit) */
#define MVP_MAX_HTTP_RESP_HEADERS 64u /* per response */
#define MVP_MAX_HTTP_HEADER 1024u
#define MVP_MAX_HTTP_BODY 65536u
#define MVP_MAX_HTTP_RESULT 6u        /* MvHttpResult: OK..RESPONSETOOLARGE */
#define MVP_MAX_HTTP_STATUS 999u

struct mvp_http_request {
    uint32_t timeout_ms;
    const uint8_t *method;
    uint16_t method_len;
    const uint8_t *url;
    uint16_t url_len;
    const struct mvp_bytes *headers;
    size_t num_headers;
    const uint8_t *body;
    uint32_t body_len;
};

struct mvp_http_response {
    uint8_t result; /* MvHttpResult */
    uint32_t status_code;
    const struct mvp_bytes *headers;
    size_t num_headers;
    const uint8_t *body;
    uint32_t body_len;
};

/* Encoders write the message body (without the message header) and return its
 * length or -err; -MVP_E_TOO_LONG if it would exceed MVP_MAX_MSG_PAYLOAD. */
int mvp_http_req_encode(const struct mvp_http_request *m, uint8_t *out, size_t cap);
/* Fills hdrs[0..cap) and points m->headers at it. */
int mvp_http_req_decode(const uint8_t *in, size_t len, struct mvp_http_request *m,
                        struct mvp_bytes *hdrs, size_t cap);
int mvp_http_resp_encode(const struct mvp_http_response *m, uint8_t *out, size_t cap);
int mvp_http_resp_decode(const uint8_t *in, size_t len, struct mvp_http_response *m,
                         struct mvp_bytes *hdrs, size_t cap);
/* Bytes the encoded response body would occupy (for the relay's
 * RESPONSETOOLARGE decision against the device's receive window). */
size_t mvp_http_resp_size(const struct mvp_http_response *m);

#endif
