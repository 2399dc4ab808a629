/* `mvcli apps keygen|bundle|upload|list|delete` (docs/ota.md). keygen and bundle run
 * locally with the user's signing key; upload, list and delete talk to the relay. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "bundle_sign.h"
#include "cmd.h"
#include "mvc/exit.h"
#include "mvc/output.h"
#include "mvc/url.h"
#include "mvp/bundle.h"

#define FILE_MAX (MVP_BUNDLE_MAX_IMAGE + 8192u)

/* Reads a whole file of at most FILE_MAX bytes (malloc'ed). */
static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    if (!f) {
        fprintf(stderr, "mvcli: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n > 0 && (unsigned long)n <= FILE_MAX && fseek(f, 0, SEEK_SET) == 0 &&
            (b = malloc((size_t)n)) != NULL && fread(b, 1, (size_t)n, f) == (size_t)n)
            *len = (size_t)n;
        else if (b) {
            free(b);
            b = NULL;
        }
        if (!b)
            fprintf(stderr, "mvcli: %s: empty, unreadable or larger than %u bytes\n", path,
                    FILE_MAX);
    }
    fclose(f);
    return b;
}

/* The bundle name from the image path: its base name up to the first dot. */
static void default_name(const char *path, char *out, size_t cap)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strcspn(b, ".");
    snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), b);
}

static int bundle(const struct mvc_args *a)
{
    char name[MVP_BUNDLE_MAX_NAME + 1], err[512];
    size_t img_len = 0, out_len = 0;
    uint8_t *out = NULL, port = mvp_bundle_port_from_name(a->port ? a->port : "host");
    if (!port) {
        fprintf(stderr, "mvcli: unknown --port '%s' (host, an505 or riscv-virt)\n", a->port);
        return MVC_EXIT_USAGE;
    }
    default_name(a->key, name, sizeof name);
    uint8_t *img = read_all(a->key, &img_len);
    if (!img)
        return MVC_EXIT_USAGE;
    struct mvc_bundle_in in = {
        a->sign_key, a->app_name ? a->app_name : name, a->app_version, port, img, img_len};
    int rc = MVC_EXIT_USAGE;
    if (mvc_bundle_make(&in, &out, &out_len, err, sizeof err) != 0) {
        fprintf(stderr, "mvcli: %s\n", err);
        goto done;
    }
    FILE *f = fopen(a->out, "wb");
    if (!f || fwrite(out, 1, out_len, f) != out_len || fclose(f) != 0) {
        fprintf(stderr, "mvcli: cannot write %s\n", a->out);
        goto done;
    }
    printf("%s: %s %s for %s, image %zu bytes, bundle %zu bytes\n", a->out, in.name, in.version,
           mvp_bundle_port_name(port), img_len, out_len);
    rc = MVC_EXIT_OK;
done:
    free(img);
    free(out);
    return rc;
}

int mvc_cmd_apps_local(const struct mvc_args *a)
{
    char err[512];
    if (a->cmd == MVC_CMD_APPS_BUNDLE)
        return bundle(a);
    const char *prefix = a->out ? a->out : "update";
    if (mvc_keygen(prefix, err, sizeof err) != 0) {
        fprintf(stderr, "mvcli: %s\n", err);
        return MVC_EXIT_USAGE;
    }
    printf("wrote %s.key.pem (keep it secret) and %s.pub.pem (provision it on devices)\n", prefix,
           prefix);
    return MVC_EXIT_OK;
}

static int upload(struct mvc_ctx *c)
{
    size_t len = 0;
    struct mvc_resp r;
    uint8_t *b = read_all(c->args->key, &len);
    if (!b)
        return MVC_EXIT_USAGE;
    int rc =
        mvc_http_request_body(c->http, "POST", "/v1/Apps", "application/octet-stream", b, len, &r);
    free(b);
    if (rc != 0)
        return rc;
    json_t *j = r.status == 201 ? json_loads(r.body, 0, NULL) : NULL;
    if (!j) {
        mvc_api_print_error(r.status, r.body);
        mvc_resp_free(&r);
        return MVC_EXIT_API;
    }
    if (c->args->json)
        mvc_out_json(c->out, j);
    else
        fprintf(c->out, "%s\n", json_string_value(json_object_get(j, "id")));
    json_decref(j);
    mvc_resp_free(&r);
    return MVC_EXIT_OK;
}

static int list(struct mvc_ctx *c)
{
    json_t *all = NULL;
    int rc = mvc_api_list_all(c->http, "/v1/Apps", "apps", &all);
    if (rc == MVC_EXIT_OK) {
        if (c->args->json)
            mvc_out_json(c->out, all);
        else
            mvc_out_apps(c->out, json_object_get(all, "apps"));
    }
    json_decref(all);
    return rc;
}

static int delete (struct mvc_ctx *c)
{
    char path[256], id[128];
    if (mvc_url_escape(c->args->key, id, sizeof id) != 0)
        return MVC_EXIT_USAGE;
    snprintf(path, sizeof path, "/v1/Apps/%s", id);
    json_t *out = NULL;
    int rc = mvc_api_call(c->http, "DELETE", path, NULL, &out);
    json_decref(out);
    return rc;
}

int mvc_cmd_apps(struct mvc_ctx *c)
{
    switch (c->args->cmd) {
    case MVC_CMD_APPS_UPLOAD: return upload(c);
    case MVC_CMD_APPS_LIST: return list(c);
    case MVC_CMD_APPS_DELETE: return delete (c);
    default: return mvc_cmd_apps_local(c->args);
    }
}
