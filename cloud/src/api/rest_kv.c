/* REST handlers for configs and secrets at account scope (/v1/Configs, /v1/Secrets) and
 * device scope (/v1/Devices/{id}/...). Secret values go in and never come out here:
 * listings and POST answers carry names and times only, and GET of one secret is 405. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "mvr/util.h"
#include "api/rest_priv.h"

#define MAX_VALUE 4096

static json_t *kv_json(enum mvr_kv_kind kind, const char *device, const char *key,
                       const char *value, size_t len, int64_t updated)
{
    json_t *o = json_pack("{s:s,s:s,s:o,s:o}", "key", key, "scope",
                          device && device[0] ? "device" : "account", "device_id",
                          device && device[0] ? json_string(device) : json_null(),
                          "updated_at", mvr_time_json(updated));
    if (o && kind == MVR_KV_CONFIG)
        json_object_set_new(o, "value", json_stringn(value ? value : "", len));
    return o;
}

struct list_ctx {
    enum mvr_kv_kind kind;
    struct mvr_page page;
};

static int list_cb(void *ctx, const struct mvr_kv_row *row)
{
    struct list_ctx *l = ctx;
    if (mvr_page_full(&l->page))
        return 1;
    mvr_page_add(&l->page,
                 kv_json(l->kind, row->device_id, row->key, row->value, row->value_len,
                         row->updated_at),
                 row->key);
    return 0;
}

static void list(const struct mvr_rest *r, const struct mvr_http_req *req,
                 struct mvr_http_resp *resp, enum mvr_kv_kind kind, const char *device)
{
    char after[256];
    struct list_ctx l = {.kind = kind, .page = {.arr = json_array()}};
    struct mvr_page *p = &l.page;
    if (mvr_page_params(req, &p->want, after, sizeof after, resp) < 0)
        goto out;
    if (mvr_store_kv_list(r->dd->store, kind, device, after, p->want + 1, list_cb, &l) !=
        MVR_OK) {
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
        goto out;
    }
    mvr_resp_json(resp, 200,
                  json_pack("{s:O,s:o}", kind == MVR_KV_SECRET ? "secrets" : "configs", p->arr,
                            "meta", mvr_page_meta(p->want, p->more ? p->last : NULL)));
out:
    json_decref(p->arr);
}

static void put(const struct mvr_rest *r, const struct mvr_http_req *req,
                struct mvr_http_resp *resp, enum mvr_kv_kind kind, const char *device)
{
    json_t *body = mvr_body_object(req, resp);
    if (!body)
        return;
    json_t *k = json_object_get(body, "key"), *v = json_object_get(body, "value");
    if (!json_is_string(k) || !mvr_key_valid(json_string_value(k)) ||
        strlen(json_string_value(k)) != json_string_length(k)) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST,
                       "key: expected 1..128 printable ASCII characters without '/' (and not \".\" or \"..\")");
        goto out;
    }
    if (!json_is_string(v) || json_string_length(v) > MAX_VALUE) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "value: expected a string of at most %d bytes",
                       MAX_VALUE);
        goto out;
    }
    int64_t now = mvr_now_us();
    const char *key = json_string_value(k);
    if (mvr_store_kv_put(r->dd->store, kind, device, key, json_string_value(v),
                         json_string_length(v), now) != MVR_OK) {
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
        goto out;
    }
    mvr_resp_json(resp, 201, kv_json(kind, device, key, json_string_value(v),
                                      json_string_length(v), now));
out:
    json_decref(body);
}

static void get_one(const struct mvr_rest *r, struct mvr_http_resp *resp, const char *device,
                    const char *key)
{
    char *v = NULL;
    size_t len = 0;
    int64_t updated = 0;
    int rc = mvr_store_kv_get(r->dd->store, MVR_KV_CONFIG, device, key, &v, &len, &updated);
    if (rc == MVR_OK)
        mvr_resp_json(resp, 200, kv_json(MVR_KV_CONFIG, device, key, v, len, updated));
    else if (rc == MVR_ST_NOTFOUND)
        mvr_resp_error(resp, 404, E_NOT_FOUND, "config %s not found", key);
    else
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
    free(v);
}

static void del(const struct mvr_rest *r, struct mvr_http_resp *resp, enum mvr_kv_kind kind,
                const char *device, const char *key)
{
    int rc = mvr_store_kv_delete(r->dd->store, kind, device, key);
    if (rc == MVR_OK)
        mvr_resp_json(resp, 204, NULL);
    else if (rc == MVR_ST_NOTFOUND)
        mvr_resp_error(resp, 404, E_NOT_FOUND, "%s not found", key);
    else
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
}

void mvr_rest_kv(const struct mvr_rest *r, const struct mvr_http_req *req,
                 struct mvr_http_resp *resp, enum mvr_kv_kind kind, const char *device,
                 const char *key)
{
    const char *m = req->method;
    if (!key && !strcmp(m, "GET"))
        list(r, req, resp, kind, device);
    else if (!key && !strcmp(m, "POST"))
        put(r, req, resp, kind, device);
    else if (key && !mvr_key_valid(key))
        mvr_resp_error(resp, 404, E_NOT_FOUND, "invalid key");
    else if (key && !strcmp(m, "GET") && kind == MVR_KV_CONFIG)
        get_one(r, resp, device, key);
    else if (key && !strcmp(m, "DELETE"))
        del(r, resp, kind, device, key);
    else
        mvr_resp_error(resp, 405, E_METHOD, "method not allowed");
}
