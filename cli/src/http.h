/* libcurl wrapper for mvcli: one easy handle per run, requests against the
 * configured base URL with the bearer token and the relay's CA. Transport
 * failures become one human-readable message that says what to do. */
#ifndef MVC_HTTP_H
#define MVC_HTTP_H

#include <curl/curl.h>
#include <stddef.h>

#include "mvc/config.h"

struct mvc_http {
    CURL *curl;
    const struct mvc_config *cfg;
    char errbuf[CURL_ERROR_SIZE];
};

/* A buffered response. body is malloc'd and NUL-terminated; the caller frees
 * it with mvc_resp_free. */
struct mvc_resp {
    long status;
    char *body;
    size_t len;
};

/* Called with each chunk of a streamed response body (after headers). A
 * non-zero return aborts the transfer. */
typedef int (*mvc_http_chunk_cb)(void *ctx, long status, const char *buf, size_t len);
/* Polled about once a second during a stream; non-zero aborts it. */
typedef int (*mvc_http_abort_cb)(void *ctx);

int mvc_http_init(struct mvc_http *h, const struct mvc_config *cfg);
void mvc_http_cleanup(struct mvc_http *h);
void mvc_resp_free(struct mvc_resp *r);

/* Sends METHOD base+path with an optional JSON body. Returns 0 when any HTTP
 * response arrived (see r->status), or MVC_EXIT_CONN after printing why not. */
int mvc_http_request(struct mvc_http *h, const char *method, const char *path, const char *body,
                     struct mvc_resp *r);

/* The same with a body of len bytes of type ctype (an upload). */
int mvc_http_request_body(struct mvc_http *h, const char *method, const char *path,
                          const char *ctype, const void *body, size_t len, struct mvc_resp *r);

/* GETs an event stream. last_id (may be NULL) goes in Last-Event-ID. The
 * transfer ends when the server closes, on 45 s of silence, or when a
 * callback aborts. Returns the curl result; *status gets the HTTP status
 * (0 if none). Nothing is printed. */
CURLcode mvc_http_stream(struct mvc_http *h, const char *path, const char *last_id,
                         mvc_http_chunk_cb on_chunk, mvc_http_abort_cb should_abort, void *ctx,
                         long *status);

/* Formats the advice for a transport failure into out. */
void mvc_http_conn_message(CURLcode rc, const char *url, const char *detail, char *out,
                           size_t outlen);

#endif
