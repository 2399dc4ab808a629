/* The response of one proxied request as it arrives from curl: the final header block
 * and the body, bounded by what the device can receive, so an oversized response is
 * detected (and the transfer stopped) without buffering more than that bound. */
#ifndef MVR_HTTP_RESP_H
#define MVR_HTTP_RESP_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/http.h"

struct mvr_http_resp {
    size_t limit; /* largest HTTP_RESPONSE message (header included) the device takes */
    size_t used;  /* bytes the message would have now */
    char *hdr[MVP_MAX_HTTP_RESP_HEADERS];
    uint16_t hlen[MVP_MAX_HTTP_RESP_HEADERS];
    size_t nh;
    uint8_t *body;
    size_t body_len, body_cap;
    int too_large;
};

/* limit: the device's free receive credit on the channel. */
void mvr_hresp_init(struct mvr_http_resp *r, size_t limit);
void mvr_hresp_free(struct mvr_http_resp *r);
/* One header line as curl delivers it (CR LF included). A status line starts a new
 * block (1xx interim responses are dropped). 0, or -1 once the response is too large
 * (or out of memory: too_large stays 0). */
int mvr_hresp_header(struct mvr_http_resp *r, const char *line, size_t n);
int mvr_hresp_body(struct mvr_http_resp *r, const uint8_t *p, size_t n);
/* Encodes the HTTP_RESPONSE message (header + body, malloc'ed into *out): OK with the
 * collected headers and body, or a bare result. Returns the length or -1. */
int mvr_hresp_encode(const struct mvr_http_resp *r, uint8_t result, uint32_t status,
                         uint8_t **out);

#endif
