/* The REST API (docs/rest-api.md) as a pure function from a parsed HTTP request to a
 * response, so routing, auth and JSON handling are testable without sockets. The
 * transport (api/api.c) parses requests with lws and streams SSE for /Logs/Stream. */
#ifndef MVR_REST_H
#define MVR_REST_H

#include <stddef.h>
#include <stdint.h>

#include "mvr/datadir.h"
#include "mvr/store.h"

#define MVR_MAX_BODY (64 * 1024)
/* POST /v1/Apps: the largest bundle (header + 4 MiB image + signature). */
#define MVR_MAX_APP_BODY (4 * 1024 * 1024 + 4096)
/* How far past its limit a declared body is still read (and dropped) after the 413, so
 * that the client reads the 413 instead of a reset; a larger one is not read. */
#define MVR_DRAIN_MAX (1024 * 1024)

struct mvr_http_req {
    const char *method;        /* "GET", "POST", "DELETE", ... */
    const char *path;          /* raw path, without the query */
    const char *query;         /* raw query without '?', or NULL */
    const char *auth;          /* Authorization header value, or NULL */
    const char *last_event_id; /* Last-Event-ID header, or NULL */
    const char *body;
    size_t body_len;
    int body_too_large;        /* the transport stopped reading at body_max */
    size_t body_max;           /* the limit that applied (0: MVR_MAX_BODY) */
    int uri_too_long;          /* path or query did not fit the transport's buffers */
    int bad_framing;           /* ambiguous body framing (duplicate or bad Content-Length) */
};

struct mvr_http_resp {
    int status;
    const char *ctype; /* static string */
    char *body;        /* malloc'ed, freed by mvr_http_resp_free */
    size_t body_len;
    /* Set for a log stream: the transport streams records of sse_device after
     * sse_after_id (and received at or after sse_since_us). */
    int sse;
    char sse_device[35];
    int64_t sse_after_id;
    int64_t sse_since_us;
};

struct mvr_rest {
    struct mvr_datadir *dd;
    int (*is_online)(void *ctx, const char *device_id);
    char *(*metrics)(void *ctx); /* Prometheus text, malloc'ed */
    /* Optional: device_id's target app changed; a live session offers it at once. */
    void (*target_changed)(void *ctx, const char *device_id);
    void *ctx;
};

void mvr_rest_handle(const struct mvr_rest *r, const struct mvr_http_req *req,
                     struct mvr_http_resp *resp);
void mvr_http_resp_free(struct mvr_http_resp *resp);

/* A log record as the API's LogRecord JSON text (malloc'ed) or NULL. */
char *mvr_log_record_json(const struct mvr_log_row *row);
/* Parses a log cursor "seq:<16 hex>:<n>" or "<16 hex>:<n>"; 0 or -1. */
int mvr_cursor_parse(const char *s, char boot[17], uint32_t *seq);
/* Finds name in a raw query string and URL-decodes its value into out; 1 found,
 * 0 absent, -1 malformed or too long. */
int mvr_query_get(const char *query, const char *name, char *out, size_t cap);
/* URL-decodes in[0..n) into out (cap includes the NUL); -1 on bad escapes, NUL
 * bytes or overflow. */
int mvr_url_decode(const char *in, size_t n, char *out, size_t cap);
/* Copies bytes as UTF-8, replacing invalid sequences with U+FFFD; malloc'ed. */
char *mvr_utf8_sanitize(const uint8_t *in, size_t n, size_t *out_len);

#endif
