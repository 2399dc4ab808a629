/* REST handlers for /v1/Devices: list, show and provisioning (new key + certificate,
 * or a certificate for the public key of a caller's CSR, CN always the new id). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/log.h"
#include "mvr/pki.h"
#include "mvr/util.h"
#include "api/rest_priv.h"

static json_t *device_json(const struct mvr_rest *r, const struct mvr_device *d)
{
    int online = r->is_online ? r->is_online(r->ctx, d->id) : 0;
    json_t *o = json_pack("{s:s,s:o,s:b,s:o,s:o,s:o}", "id", d->id, "created_at",
                     mvr_time_json(d->created_at), "online", online, "last_seen",
                     mvr_time_json(d->last_seen), "boot_id",
                     d->boot_id[0] ? json_string(d->boot_id) : json_null(), "remote_addr",
                     d->remote_addr[0] ? json_string(d->remote_addr) : json_null());
    if (o)
        mvr_rest_update_json(r, d->id, o);
    return o;
}

struct list_ctx {
    const struct mvr_rest *r;
    struct mvr_page page;
};

static int list_cb(void *ctx, const struct mvr_device *d)
{
    struct list_ctx *l = ctx;
    if (mvr_page_full(&l->page))
        return 1;
    mvr_page_add(&l->page, device_json(l->r, d), d->id);
    return 0;
}

static void list(const struct mvr_rest *r, const struct mvr_http_req *req,
                 struct mvr_http_resp *resp)
{
    char after[256];
    struct list_ctx l = {.r = r, .page = {.arr = json_array()}};
    struct mvr_page *p = &l.page;
    if (mvr_page_params(req, &p->want, after, sizeof after, resp) < 0)
        goto out;
    if (mvr_store_device_list(r->dd->store, after, p->want + 1, list_cb, &l) != MVR_OK) {
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
        goto out;
    }
    mvr_resp_json(resp, 200, json_pack("{s:O,s:o}", "devices", p->arr, "meta",
                                       mvr_page_meta(p->want, p->more ? p->last : NULL)));
out:
    json_decref(p->arr);
}

static int new_id(char out[35])
{
    uint8_t raw[16];
    if (mvr_random(raw, sizeof raw) < 0)
        return -1;
    out[0] = 'U';
    out[1] = 'V';
    mvr_hex(raw, sizeof raw, out + 2);
    return 0;
}

/* Picks the device key: from the CSR if one is given, else a fresh one (then *gen=1). */
static EVP_PKEY *device_key(json_t *body, int *gen, struct mvr_http_resp *resp)
{
    json_t *csr = json_object_get(body, "csr");
    char err[128];
    *gen = 0;
    if (!csr || json_is_null(csr)) {
        *gen = 1;
        return mvr_pki_key_new();
    }
    if (!json_is_string(csr)) {
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "csr: expected a PEM string");
        return NULL;
    }
    EVP_PKEY *k = mvr_pki_csr_key(json_string_value(csr), json_string_length(csr), err,
                                  sizeof err);
    if (!k)
        mvr_resp_error(resp, 400, E_BAD_REQUEST, "%s", err);
    return k;
}

static void provision(const struct mvr_rest *r, const struct mvr_http_req *req,
                      struct mvr_http_resp *resp)
{
    char id[35], *key_pem = NULL, *cert_pem = NULL;
    int gen = 0;
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    json_t *body = mvr_body_object(req, resp);
    if (!body || !(key = device_key(body, &gen, resp)))
        goto out;
    struct mvr_device d;
    if (new_id(id) < 0 ||
        !(cert = mvr_pki_issue(key, id, MVR_CERT_DEVICE, r->dd->ca, r->dd->ca_key, NULL, 0)) ||
        !(cert_pem = mvr_pki_cert_pem(cert)) || (gen && !(key_pem = mvr_pki_key_pem(key)))) {
        mvr_resp_error(resp, 500, E_INTERNAL, "certificate issue failed");
        goto out;
    }
    int rc = mvr_store_device_create(r->dd->store, id, mvr_now_us());
    if (rc == MVR_ST_EXISTS) {
        mvr_resp_error(resp, 409, E_CONFLICT, "device id exists");
        goto out;
    }
    if (rc != MVR_OK || mvr_store_device_get(r->dd->store, id, &d) != MVR_OK) {
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
        goto out;
    }
    mvr_log(MVR_INFO, "device provisioned", "device=%s csr=%d", id, !gen);
    mvr_resp_json(resp, 201,
                  json_pack("{s:o,s:o,s:s,s:s}", "device", device_json(r, &d), "private_key",
                            key_pem ? json_string(key_pem) : json_null(), "certificate",
                            cert_pem, "ca_certificate", r->dd->ca_pem));
out:
    if (key_pem)
        OPENSSL_cleanse(key_pem, strlen(key_pem));
    free(key_pem);
    free(cert_pem);
    X509_free(cert);
    EVP_PKEY_free(key);
    json_decref(body);
}

static void show(const struct mvr_rest *r, struct mvr_http_resp *resp, const char *id)
{
    struct mvr_device d;
    int rc = mvr_device_id_valid(id) ? mvr_store_device_get(r->dd->store, id, &d)
                                     : MVR_ST_NOTFOUND;
    if (rc == MVR_OK)
        mvr_resp_json(resp, 200, device_json(r, &d));
    else if (rc == MVR_ST_NOTFOUND)
        mvr_resp_error(resp, 404, E_NOT_FOUND, "device not found");
    else
        mvr_resp_error(resp, 500, E_INTERNAL, "store error");
}

void mvr_rest_devices(const struct mvr_rest *r, const struct mvr_http_req *req,
                      struct mvr_http_resp *resp, const char *id)
{
    int get = !strcmp(req->method, "GET"), post = !strcmp(req->method, "POST");
    if (!id && get)
        list(r, req, resp);
    else if (!id && post)
        provision(r, req, resp);
    else if (id && get)
        show(r, resp, id);
    else if (id && post && mvr_device_id_valid(id) && mvr_store_device_get(r->dd->store, id,
                                                                  &(struct mvr_device){0}) == MVR_OK)
        mvr_rest_device_target(r, req, resp, id);
    else if (id && post)
        mvr_resp_error(resp, 404, E_NOT_FOUND, "device not found");
    else
        mvr_resp_error(resp, 405, E_METHOD, "method not allowed");
}
