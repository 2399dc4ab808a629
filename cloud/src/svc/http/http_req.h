/* Checks a device's HTTP_REQUEST the way Microvisor reports problems: as an
 * MvHttpResult in the response, not a protocol error. Pure functions (no I/O). */
#ifndef MVR_HTTP_REQ_H
#define MVR_HTTP_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/http.h"
#include "mvr/http_config.h"

#define MVR_HTTP_TIMEOUT_MIN 5000u
#define MVR_HTTP_TIMEOUT_MAX 10000u

/* Where a request goes, from its URL. */
struct mvr_http_target {
    char url[MVP_MAX_HTTP_URL + 1];
    char method[MVP_MAX_HTTP_METHOD + 1];
    char host[MVR_HTTP_HOST_MAX]; /* lowercase, IPv6 without brackets */
    int port;
    int plain; /* http:// (allowed by http_allow_plain) */
};

/* MV_HTTPRESULT_OK and *t filled, or the result to answer with (*why says why). The
 * order: scheme, URL, method, headers, timeout. */
uint8_t mvr_http_req_check(const struct mvr_http_config *h, const struct mvp_http_request *m,
                           struct mvr_http_target *t, const char **why);

/* What to do with one device header line "Name: value". */
enum mvr_hdr_verdict { MVR_HDR_SEND, MVR_HDR_SKIP, MVR_HDR_INVALID };
enum mvr_hdr_verdict mvr_http_header_check(const uint8_t *p, size_t n,
                                           const struct mvr_http_target *t);

#endif
