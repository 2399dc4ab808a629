/* REST entry point: bearer-token check, path splitting and routing to the handlers,
 * plus the common response helpers. Routes and error codes follow docs/rest-api.md. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "mvr/log.h"
#include "mvr/util.h"
#include "api/rest_priv.h"

#define MAX_SEGS 6
#define SEG_CAP 256

void mvr_resp_json(struct mvr_http_resp *resp, int status, json_t *obj)
{
    resp->status = status;
    resp->ctype = "application/json";
    free(resp->body);
    resp->body = NULL;
    resp->body_len = 0;
    if (obj) {
        resp->body = json_dumps(obj, JSON_COMPACT);
        json_decref(obj);
        if (!resp->body) {
            resp->status = 500;
            return;
        }
        resp->body_len = strlen(resp->body);
    }
}

void mvr_resp_error(struct mvr_http_resp *resp, int status, int code, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mvr_resp_json(resp, status, json_pack("{s:i,s:s}", "code", code, "message", msg));
}

json_t *mvr_time_json(int64_t us)
{
    char t[MVR_TIME_STR];
    if (!us)
        return json_null();
    mvr_time_fmt(us, t);
    return json_string(t);
}

int mvr_page_params(const struct mvr_http_req *req, unsigned *size, char *after, size_t cap,
                    struct mvr_http_resp *resp)
{
    char v[520];
    *size = 50;
    after[0] = '\0';
    int rc = mvr_query_get(req->query, "page_size", v, sizeof v);
    if (rc == 1) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || end == v || n < 1 || n > 1000)
            rc = -1;
        else
            *size = (unsigned)n;
    }
    if (rc < 0) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "page_size: expected 1..1000");
        return -1;
    }
    rc = mvr_query_get(req->query, "page_token", v, sizeof v);
    if (rc == 1) {
        size_t n = strlen(v) / 2;
        if (n >= cap || mvr_unhex(v, strlen(v), (uint8_t *)after, n) < 0 ||
            memchr(after, 0, n))
            rc = -1;
        else
            after[n] = '\0';
    }
    if (rc < 0) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "page_token: invalid");
        return -1;
    }
    return 0;
}

json_t *mvr_page_meta(unsigned size, const char *last)
{
    json_t *tok = json_null();
    if (last) {
        size_t n = strlen(last);
        char *hex = malloc(2 * n + 1);
        if (hex) {
            mvr_hex((const uint8_t *)last, n, hex);
            json_decref(tok);
            tok = json_string(hex);
            free(hex);
        }
    }
    return json_pack("{s:I,s:o}", "page_size", (json_int_t)size, "next_page_token", tok);
}

int mvr_page_full(struct mvr_page *p)
{
    if (p->got < p->want)
        return 0;
    p->more = 1; /* the extra row only proves there is a next page */
    return 1;
}

void mvr_page_add(struct mvr_page *p, json_t *item, const char *key)
{
    json_array_append_new(p->arr, item);
    snprintf(p->last, sizeof p->last, "%s", key);
    p->got++;
}

json_t *mvr_body_object(const struct mvr_http_req *req, struct mvr_http_resp *resp)
{
    json_error_t e;
    if (req->body_len == 0)
        return json_object();
    /* Without JSON_ALLOW_NUL a string holding "\u0000" is refused here, whichever the
     * store: no value, key or name the API stores may contain NUL (PostgreSQL text
     * cannot hold one). */
    json_t *o = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &e);
    if (!o && strstr(e.text, "\\u0000")) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "body: strings must not contain \\u0000 (NUL)");
        return NULL;
    }
    if (!o || !json_is_object(o)) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "body: malformed JSON object%s%s",
                       o ? "" : ": ", o ? "" : e.text);
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Constant-time only matters for the hash lookup's input, which is already a hash. */
static int authorized(const struct mvr_rest *r, const char *auth)
{
    static const char prefix[] = "Bearer ";
    if (!auth || strncmp(auth, prefix, sizeof prefix - 1))
        return 0;
    const char *tok = auth + sizeof prefix - 1;
    uint8_t hash[32];
    mvr_token_hash(tok, strlen(tok), hash);
    return mvr_store_token_check(r->dd->store, hash) == 1;
}

/* Splits "/a/b/c" into decoded segments; -1 for too many, too long or bad escapes. */
static int split_path(const char *path, char segs[MAX_SEGS][SEG_CAP], int *n)
{
    *n = 0;
    if (!path || path[0] != '/')
        return -1;
    const char *p = path + 1;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (*n == MAX_SEGS || mvr_url_decode(p, len, segs[*n], SEG_CAP) < 0)
            return -1;
        (*n)++;
        if (!end)
            break;
        p = end + 1;
        if (!*p)
            return -1; /* trailing slash: not a route */
    }
    return 0;
}

static int is(const char *a, const char *b) { return !strcmp(a, b); }

static void route_device(const struct mvr_rest *r, const struct mvr_http_req *req,
                         struct mvr_http_resp *resp, char segs[MAX_SEGS][SEG_CAP], int n)
{
    const char *id = segs[2];
    struct mvr_device d;
    if (n == 3) {
        mvr_rest_devices(r, req, resp, id);
        return;
    }
    /* Sub-resources of a device that does not exist are 404 before anything else. */
    if (!mvr_device_id_valid(id) || mvr_store_device_get(r->dd->store, id, &d) != MVR_OK) {
        mvr_resp_error(resp, 404, E_NOT_FOUND, "device %s not found",
                       mvr_device_id_valid(id) ? id : "(invalid id)");
        return;
    }
    const char *key = n == 5 ? segs[4] : NULL;
    if (is(segs[3], "Configs") && n <= 5)
        mvr_rest_kv(r, req, resp, MVR_KV_CONFIG, id, key);
    else if (is(segs[3], "Secrets") && n <= 5)
        mvr_rest_kv(r, req, resp, MVR_KV_SECRET, id, key);
    else if (is(segs[3], "Logs") && (n == 4 || (n == 5 && is(segs[4], "Stream"))))
        mvr_rest_logs(r, req, resp, id, n == 5);
    else
        mvr_resp_error(resp, 404, E_NOT_FOUND, "no such route");
}

static void route(const struct mvr_rest *r, const struct mvr_http_req *req,
                  struct mvr_http_resp *resp, char segs[MAX_SEGS][SEG_CAP], int n)
{
    if (n == 1 && is(segs[0], "metrics")) {
        if (!is(req->method, "GET")) {
            mvr_resp_error(resp, 405, E_METHOD, "method not allowed");
            return;
        }
        free(resp->body);
        resp->body = r->metrics ? r->metrics(r->ctx) : strdup("");
        resp->body_len = resp->body ? strlen(resp->body) : 0;
        resp->status = resp->body ? 200 : 500;
        resp->ctype = "text/plain; version=0.0.4";
        return;
    }
    if (n < 2 || !is(segs[0], "v1")) {
        mvr_resp_error(resp, 404, E_NOT_FOUND, "no such route");
        return;
    }
    if (is(segs[1], "Devices") && n == 2)
        mvr_rest_devices(r, req, resp, NULL);
    else if (is(segs[1], "Devices"))
        route_device(r, req, resp, segs, n);
    else if (is(segs[1], "Apps") && n <= 3)
        mvr_rest_apps(r, req, resp, n == 3 ? segs[2] : NULL);
    else if (is(segs[1], "Configs") && n <= 3)
        mvr_rest_kv(r, req, resp, MVR_KV_CONFIG, NULL, n == 3 ? segs[2] : NULL);
    else if (is(segs[1], "Secrets") && n <= 3)
        mvr_rest_kv(r, req, resp, MVR_KV_SECRET, NULL, n == 3 ? segs[2] : NULL);
    else
        mvr_resp_error(resp, 404, E_NOT_FOUND, "no such route");
}

/* 503 "degraded" while the store is failing (the latest write failed and none has
 * committed since), so a load balancer takes this relay out of rotation. */
static void healthz(const struct mvr_rest *r, struct mvr_http_resp *resp)
{
    uint64_t errors = 0;
    int failing = 0;
    mvr_store_health(r->dd->store, &errors, &failing);
    mvr_resp_json(resp, failing ? 503 : 200,
                  json_pack("{s:s, s:I}", "status", failing ? "degraded" : "ok",
                            "store_errors", (json_int_t)errors));
}

void mvr_rest_handle(const struct mvr_rest *r, const struct mvr_http_req *req,
                     struct mvr_http_resp *resp)
{
    char segs[MAX_SEGS][SEG_CAP];
    int n = 0;
    memset(resp, 0, sizeof *resp);
    if (req->bad_framing) { /* before anything else: the request itself is not trusted */
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "ambiguous or invalid Content-Length");
        return;
    }
    if (req->path && is(req->path, "/healthz")) {
        if (is(req->method, "GET"))
            healthz(r, resp);
        else
            mvr_resp_error(resp, 405, E_METHOD, "method not allowed");
        return;
    }
    if (!authorized(r, req->auth)) {
        mvr_resp_error(resp, 401, E_UNAUTHORIZED, "missing or wrong bearer token");
        return;
    }
    if (req->uri_too_long) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "request URI too long");
        return;
    }
    if (req->body_too_large) {
        mvr_resp_error(resp, 413, E_TOO_LARGE, "body larger than %zu bytes",
                       req->body_max ? req->body_max : (size_t)MVR_MAX_BODY);
        return;
    }
    if (split_path(req->path, segs, &n) < 0 || n == 0) {
        mvr_resp_error(resp, 404, E_NOT_FOUND, "no such route");
        return;
    }
    route(r, req, resp, segs, n);
}

void mvr_http_resp_free(struct mvr_http_resp *resp)
{
    free(resp->body);
    resp->body = NULL;
}
