/* REST handlers for /v1/Apps (upload, list, show, delete) and a device's target app and
 * update state. The relay checks a bundle's structure and image hash at upload; only
 * the device checks the signature, so a relay cannot make a device run anything else. */
#include <errno.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/rest_priv.h"
#include "mvp/bundle.h"
#include "mvp/wire.h"
#include "mvr/log.h"
#include "mvr/store_apps.h"
#include "mvr/util.h"

static json_t *app_json(const struct mvr_app *a)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:o}", "id", a->id, "name", a->name, "version",
                     a->version, "port", a->port, "size", (json_int_t)a->size, "image_size",
                     (json_int_t)a->image_size, "sha256", a->sha256, "created_at",
                     mvr_time_json(a->created_at));
}

int mvr_app_path(const struct mvr_datadir *dd, const char *id, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/apps/%s.mvb", dd->dir, id);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int app_id_valid(const char *s)
{
    if (strlen(s) != 34 || s[0] != 'A' || s[1] != 'P')
        return 0;
    for (int i = 2; i < 34; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* Structural checks of an uploaded bundle; fills a (but id) or a 400 with the reason. */
static int check_bundle(const struct mvr_http_req *req, struct mvr_app *a,
                        struct mvr_http_resp *resp)
{
    struct mvp_bundle_hdr h;
    size_t hl = 0;
    uint8_t sha[32];
    const uint8_t *in = (const uint8_t *)req->body;
    int rc = mvp_bundle_decode(in, req->body_len, &h, &hl);
    if (rc < 0) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "not a valid bundle: %s%s", mvp_strerror(-rc),
                       rc == -MVP_E_TRUNCATED ? " (truncated upload?)" : "");
        return -1;
    }
    SHA256(in + hl, h.image_len, sha);
    if (memcmp(sha, h.sha256, sizeof sha) != 0) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "bundle image does not match its SHA-256");
        return -1;
    }
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "%.*s", h.name_len, (const char *)h.name);
    snprintf(a->version, sizeof a->version, "%.*s", h.version_len, (const char *)h.version);
    snprintf(a->port, sizeof a->port, "%s", mvp_bundle_port_name(h.port));
    a->size = (int64_t)req->body_len;
    a->image_size = h.image_len;
    mvr_hex(sha, sizeof sha, a->sha256);
    return 0;
}

static void upload(const struct mvr_rest *r, const struct mvr_http_req *req,
                   struct mvr_http_resp *resp)
{
    struct mvr_app a;
    uint8_t raw[16];
    char path[4096], dir[4200];
    if (check_bundle(req, &a, resp) < 0)
        return;
    if (mvr_random(raw, sizeof raw) < 0) {
        mvr_resp_error(resp, 500, E_INTERNAL, "no randomness");
        return;
    }
    a.id[0] = 'A';
    a.id[1] = 'P';
    mvr_hex(raw, sizeof raw, a.id + 2);
    a.created_at = mvr_now_us();
    snprintf(dir, sizeof dir, "%s/apps", r->dd->dir);
    if ((mkdir(dir, 0700) < 0 && errno != EEXIST) || mvr_app_path(r->dd, a.id, path, sizeof path) ||
        mvr_write_file(path, req->body, req->body_len, 0600) < 0) {
        mvr_log(MVR_ERROR, "app store failed", "path=%s err=\"%s\"", dir, strerror(errno));
        mvr_resp_error(resp, 500, E_INTERNAL, "cannot store the bundle");
        return;
    }
    if (mvr_store_app_add(r->dd->store, &a) != MVR_OK) {
        unlink(path);
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
        return;
    }
    mvr_log(MVR_INFO, "app uploaded", "app=%s name=%s version=%s port=%s size=%lld", a.id, a.name,
            a.version, a.port, (long long)a.size);
    mvr_resp_json(resp, 201, app_json(&a));
}

struct list_ctx {
    struct mvr_page page;
};

static int list_cb(void *ctx, const struct mvr_app *a)
{
    struct list_ctx *l = ctx;
    if (mvr_page_full(&l->page))
        return 1;
    mvr_page_add(&l->page, app_json(a), a->id);
    return 0;
}

static void list(const struct mvr_rest *r, const struct mvr_http_req *req,
                 struct mvr_http_resp *resp)
{
    char after[256];
    struct list_ctx l = {.page = {.arr = json_array()}};
    struct mvr_page *p = &l.page;
    if (mvr_page_params(req, &p->want, after, sizeof after, resp) < 0)
        goto out;
    if (mvr_store_app_list(r->dd->store, after, p->want + 1, list_cb, &l) != MVR_OK) {
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
        goto out;
    }
    mvr_resp_json(resp, 200,
                  json_pack("{s:O,s:o}", "apps", p->arr, "meta",
                            mvr_page_meta(p->want, p->more ? p->last : NULL)));
out:
    json_decref(p->arr);
}

static void show_or_delete(const struct mvr_rest *r, const char *method, struct mvr_http_resp *resp,
                           const char *id)
{
    struct mvr_app a;
    char path[4096];
    int rc = app_id_valid(id) ? mvr_store_app_get(r->dd->store, id, &a) : MVR_ST_NOTFOUND;
    if (rc == MVR_OK && !strcmp(method, "DELETE")) {
        rc = mvr_store_app_delete(r->dd->store, id);
        if (rc == MVR_ST_EXISTS) {
            mvr_resp_error(resp, 409, E_CONFLICT, "app %s is a device's target_app", id);
            return;
        }
        if (rc == MVR_OK) {
            if (mvr_app_path(r->dd, id, path, sizeof path) == 0)
                unlink(path);
            mvr_resp_json(resp, 204, NULL);
            return;
        }
    }
    if (rc == MVR_OK)
        mvr_resp_json(resp, 200, app_json(&a));
    else if (rc == MVR_ST_NOTFOUND)
        mvr_resp_error(resp, 404, E_NOT_FOUND, "app not found");
    else
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
}

void mvr_rest_apps(const struct mvr_rest *r, const struct mvr_http_req *req,
                   struct mvr_http_resp *resp, const char *id)
{
    int get = !strcmp(req->method, "GET");
    if (!id && get)
        list(r, req, resp);
    else if (!id && !strcmp(req->method, "POST"))
        upload(r, req, resp);
    else if (id && (get || !strcmp(req->method, "DELETE")))
        show_or_delete(r, req->method, resp, id);
    else
        mvr_resp_error(resp, 405, E_METHOD, "method not allowed");
}

void mvr_rest_update_json(const struct mvr_rest *r, const char *device, json_t *dev)
{
    struct mvr_update u;
    if (mvr_store_update_get(r->dd->store, device, &u) != MVR_OK) {
        json_object_set_new(dev, "target_app", json_null());
        json_object_set_new(dev, "update", json_null());
        return;
    }
    json_object_set_new(dev, "target_app",
                        u.target_app[0] ? json_string(u.target_app) : json_null());
    json_object_set_new(dev, "update",
                        json_pack("{s:s,s:o,s:I,s:o,s:o}", "state", u.state, "app_id",
                                  u.app_id[0] ? json_string(u.app_id) : json_null(), "offset",
                                  (json_int_t)u.offset, "reason",
                                  u.reason[0] ? json_string(u.reason) : json_null(), "updated_at",
                                  mvr_time_json(u.updated_at)));
}

void mvr_rest_device_target(const struct mvr_rest *r, const struct mvr_http_req *req,
                            struct mvr_http_resp *resp, const char *device)
{
    struct mvr_app a;
    json_t *body = mvr_body_object(req, resp);
    if (!body)
        return;
    json_t *t = json_object_get(body, "target_app");
    const char *id = json_string_value(t);
    if (!t || (!json_is_null(t) && !json_is_string(t))) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "target_app: expected an app id or null");
        goto out;
    }
    int rc = id ? (app_id_valid(id) ? mvr_store_app_get(r->dd->store, id, &a) : MVR_ST_NOTFOUND)
                : MVR_OK;
    if (rc == MVR_ST_NOTFOUND) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "target_app: no app %s", id);
        goto out;
    }
    if (rc != MVR_OK || mvr_store_update_target(r->dd->store, device, id, mvr_now_us()) != MVR_OK) {
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
        goto out;
    }
    mvr_log(MVR_INFO, "device target app", "device=%s app=%s", device, id ? id : "(none)");
    if (r->target_changed)
        r->target_changed(r->ctx, device);
    json_t *dev = json_pack("{s:s}", "id", device);
    mvr_rest_update_json(r, device, dev);
    mvr_resp_json(resp, 200, dev);
out:
    json_decref(body);
}
