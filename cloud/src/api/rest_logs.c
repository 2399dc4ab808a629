/* REST handlers for device logs: paged queries by cursor or time, and the setup of a
 * live Server-Sent Events stream (the transport does the streaming itself). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/util.h"
#include "api/rest_priv.h"

static json_t *log_json(const struct mvr_log_row *row)
{
    char cursor[40];
    size_t mlen = 0;
    char *msg = NULL;
    snprintf(cursor, sizeof cursor, "%s:%u", row->boot_id, row->seq);
    if (row->kind == MVP_LOG_KIND_MSG && !(msg = mvr_utf8_sanitize(row->msg, row->msg_len, &mlen)))
        return NULL;
    json_t *o = json_pack("{s:s,s:s,s:I,s:s,s:o,s:o,s:I,s:o}", "cursor", cursor, "boot_id",
                          row->boot_id, "seq", (json_int_t)row->seq, "kind",
                          row->kind == MVP_LOG_KIND_MSG ? "msg" : "gap", "message",
                          msg ? json_stringn(msg, mlen) : json_null(), "dropped",
                          row->kind == MVP_LOG_KIND_GAP ? json_integer(row->dropped)
                                                        : json_null(),
                          "device_time_us", (json_int_t)row->device_us, "received_at",
                          mvr_time_json(row->received_at));
    free(msg);
    return o;
}

char *mvr_log_record_json(const struct mvr_log_row *row)
{
    json_t *o = log_json(row);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
}

#define SINCE_UNKNOWN (-3)

/* Resolves `since` (cursor or RFC 3339) into a position; 0 ok, -1 bad value, -2 store
 * error, SINCE_UNKNOWN for a cursor that names no stored record of this device (an
 * unknown boot id or a future seq: silently replaying everything or nothing would hide
 * the mistake). */
static int resolve_since(const struct mvr_rest *r, const char *device, const char *since,
                         struct mvr_log_query *q, char *cursor_out, size_t cap)
{
    char boot[17];
    uint32_t seq;
    if (mvr_cursor_parse(since, boot, &seq) == 0) {
        snprintf(cursor_out, cap, "seq:%s:%u", boot, seq);
        int rc = mvr_store_log_cursor_id(r->dd->store, device, boot, seq, &q->after_id);
        return rc == MVR_OK ? 0 : rc == MVR_ST_NOTFOUND ? SINCE_UNKNOWN : -2;
    }
    return mvr_time_parse(since, &q->since_us);
}

static void unknown_cursor(struct mvr_http_resp *resp, const char *since)
{
    mvr_resp_error(resp, 400, E_BAD_REQUEST,
                   "since: cursor %.40s names no stored record of this device", since);
}

struct query_ctx {
    json_t *arr;
};

static int query_cb(void *ctx, const struct mvr_log_row *row)
{
    struct query_ctx *c = ctx;
    json_t *o = log_json(row);
    if (!o)
        return 1;
    json_array_append_new(c->arr, o);
    return 0;
}

/* A 1..1000 count parameter: 1 when present (value in *n), 0 when absent, -1 when bad. */
static int parse_count(const struct mvr_http_req *req, const char *name, unsigned *n)
{
    char v[16], *end;
    int rc = mvr_query_get(req->query, name, v, sizeof v);
    if (rc == 0)
        return 0;
    long x = rc == 1 ? strtol(v, &end, 10) : 0;
    if (rc < 0 || *end || end == v || x < 1 || x > 1000)
        return -1;
    *n = (unsigned)x;
    return 1;
}

/* The page in c->arr is one row longer than asked when more rows exist: drop that row
 * (for a tail, the oldest), put a tail in oldest-first order, and return `more`. */
static int trim_page(json_t *arr, size_t want, int tail)
{
    int more = json_array_size(arr) > want;
    if (more)
        json_array_remove(arr, want);
    for (size_t i = 0, n = json_array_size(arr); tail && i < n / 2; i++) {
        json_t *a = json_incref(json_array_get(arr, i));
        json_array_set(arr, i, json_array_get(arr, n - 1 - i));
        json_array_set_new(arr, n - 1 - i, a);
    }
    return more;
}

/* meta.next_cursor: the last record returned, else the since cursor, else null. */
static json_t *next_cursor(json_t *arr, const char *since_cursor)
{
    json_t *last = json_array_get(arr, json_array_size(arr) - 1);
    if (!last)
        return since_cursor[0] ? json_string(since_cursor) : json_null();
    char cur[48];
    snprintf(cur, sizeof cur, "seq:%s:%" JSON_INTEGER_FORMAT,
             json_string_value(json_object_get(last, "boot_id")),
             json_integer_value(json_object_get(last, "seq")));
    return json_string(cur);
}

static int parse_limit(const struct mvr_http_req *req, unsigned *limit)
{
    char v[16];
    *limit = 100;
    int rc = mvr_query_get(req->query, "limit", v, sizeof v);
    if (rc == 0)
        return 0;
    char *end;
    long n = rc == 1 ? strtol(v, &end, 10) : 0;
    if (rc < 0 || *end || end == v || n < 1 || n > 1000)
        return -1;
    *limit = (unsigned)n;
    return 0;
}

static void stream_setup(const struct mvr_rest *r, const struct mvr_http_req *req,
                         struct mvr_http_resp *resp, const char *device)
{
    char since[128], cur[48];
    struct mvr_log_query q = {0};
    const char *from = NULL;
    int rc = mvr_query_get(req->query, "since", since, sizeof since);
    if (req->last_event_id && req->last_event_id[0])
        from = req->last_event_id; /* a reconnecting EventSource resumes exactly */
    else if (rc == 1)
        from = since;
    int res = from ? resolve_since(r, device, from, &q, cur, sizeof cur) : 0;
    if (rc < 0 || res == -1) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "since: expected RFC 3339 or a cursor");
        return;
    }
    if (res == SINCE_UNKNOWN) {
        unknown_cursor(resp, from);
        return;
    }
    if (!from && mvr_store_log_last_id(r->dd->store, device, &q.after_id) != MVR_OK) {
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
        return;
    }
    resp->status = 200;
    resp->ctype = "text/event-stream";
    resp->sse = 1;
    snprintf(resp->sse_device, sizeof resp->sse_device, "%s", device);
    resp->sse_after_id = q.after_id;
    resp->sse_since_us = q.since_us;
}

void mvr_rest_logs(const struct mvr_rest *r, const struct mvr_http_req *req,
                   struct mvr_http_resp *resp, const char *device, int stream)
{
    char since[128], boot[40], cursor[48] = "";
    struct mvr_log_query q = {0};
    struct query_ctx c = {0};
    if (strcmp(req->method, "GET")) {
        mvr_resp_error(resp, 405, E_METHOD, "method not allowed");
        return;
    }
    if (stream) {
        stream_setup(r, req, resp, device);
        return;
    }
    int src = mvr_query_get(req->query, "since", since, sizeof since);
    int brc = mvr_query_get(req->query, "boot", boot, sizeof boot);
    uint8_t raw[8];
    unsigned tail = 0;
    int trc = parse_count(req, "tail", &tail);
    if (parse_limit(req, &q.limit) < 0 || trc < 0) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "%s: expected 1..1000",
                       trc < 0 ? "tail" : "limit");
        return;
    }
    if (trc == 1 && src != 0) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "tail and since exclude each other");
        return;
    }
    if (trc == 1) {
        q.limit = tail;
        q.newest_first = 1;
    }
    size_t want = q.limit;
    q.limit++; /* one more row tells whether more exist */
    if (brc < 0 || (brc == 1 && mvr_unhex(boot, strlen(boot), raw, 8) < 0)) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "boot: expected 16 hex characters");
        return;
    }
    if (brc == 1) {
        mvr_hex(raw, 8, boot); /* normalise case to match stored ids */
        q.boot_id = boot;
    }
    int res = src == 1 ? resolve_since(r, device, since, &q, cursor, sizeof cursor) : 0;
    if (src < 0 || res == -1) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "since: expected RFC 3339 or a cursor");
        return;
    }
    if (res == SINCE_UNKNOWN) {
        unknown_cursor(resp, since);
        return;
    }
    c.arr = json_array();
    if (res < 0 || mvr_store_logs_query(r->dd->store, device, &q, query_cb, &c) != MVR_OK) {
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
        json_decref(c.arr);
        return;
    }
    int more = trim_page(c.arr, want, q.newest_first);
    mvr_resp_json(resp, 200, json_pack("{s:o,s:{s:o,s:b}}", "logs", c.arr, "meta", "next_cursor",
                                       next_cursor(c.arr, cursor), "more", more));
}
