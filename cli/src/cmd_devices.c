/* `mvcli devices list|show ID|provision [--out DIR] [--csr FILE]`.
 * provision writes the identity directory that `mvdevice --identity DIR`
 * reads: device_id, device.key.pem (0600), device.cert.pem and ca.pem. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "cmd.h"
#include "mvc/exit.h"
#include "mvc/output.h"
#include "mvc/url.h"

#define CSR_MAX 16384

static const char *const identity_files[] = {"device_id", "device.key.pem", "device.cert.pem",
                                             "ca.pem"};

static int devices_list(struct mvc_ctx *c)
{
    json_t *all = NULL;
    int rc = mvc_api_list_all(c->http, "/v1/Devices", "devices", &all);
    if (rc == MVC_EXIT_OK) {
        if (c->args->json)
            mvc_out_json(c->out, all);
        else
            mvc_out_devices(c->out, json_object_get(all, "devices"));
    }
    json_decref(all);
    return rc;
}

static int devices_show(struct mvc_ctx *c)
{
    char path[256], id[128];
    json_t *dev = NULL;
    if (mvc_url_escape(c->args->key, id, sizeof(id)) != 0)
        return MVC_EXIT_USAGE;
    snprintf(path, sizeof(path), "/v1/Devices/%s", id);
    int rc = mvc_api_call(c->http, "GET", path, NULL, &dev);
    if (rc == MVC_EXIT_OK) {
        if (c->args->json)
            mvc_out_json(c->out, dev);
        else
            mvc_out_device(c->out, dev);
    }
    json_decref(dev);
    return rc;
}

/* Creates DIR (0700) if needed and refuses to overwrite an identity in it,
 * before the relay creates a device whose key we could then not store. */
static int prepare_out_dir(const char *dir, int *created)
{
    char p[4096];
    *created = mkdir(dir, 0700) == 0;
    if (!*created && errno != EEXIST) {
        fprintf(stderr, "mvcli: cannot create %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < sizeof(identity_files) / sizeof(identity_files[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, identity_files[i]);
        if (access(p, F_OK) == 0) {
            fprintf(stderr, "mvcli: %s already exists — choose an empty --out directory\n", p);
            return -1;
        }
    }
    return 0;
}

static int write_file(const char *dir, const char *name, const char *text, mode_t mode)
{
    char p[4096];
    int rc = -1;
    size_t len = strlen(text), off = 0;
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (fd < 0)
        goto out;
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto out;
        off += (size_t)n;
    }
    rc = fchmod(fd, mode); /* the umask must not widen or narrow what we mean */
out:
    if (rc != 0)
        fprintf(stderr, "mvcli: cannot write %s: %s\n", p, strerror(errno));
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    return rc;
}

static int write_identity(const char *dir, json_t *resp)
{
    char idline[64];
    const char *id = json_string_value(json_object_get(json_object_get(resp, "device"), "id"));
    const char *key = json_string_value(json_object_get(resp, "private_key"));
    const char *cert = json_string_value(json_object_get(resp, "certificate"));
    const char *ca = json_string_value(json_object_get(resp, "ca_certificate"));
    if (!id || !cert || !ca || strlen(id) > 40) {
        fprintf(stderr, "mvcli: the relay's answer lacks the device id or certificates\n");
        return -1;
    }
    snprintf(idline, sizeof(idline), "%s\n", id);
    if (write_file(dir, "device_id", idline, 0644) != 0 ||
        (key && write_file(dir, "device.key.pem", key, 0600) != 0) ||
        write_file(dir, "device.cert.pem", cert, 0644) != 0 ||
        write_file(dir, "ca.pem", ca, 0644) != 0)
        return -1;
    return 0;
}

static char *read_csr(const char *path)
{
    char *buf = calloc(1, CSR_MAX + 1);
    FILE *f = fopen(path, "r");
    size_t n = 0;
    if (!buf || !f) {
        fprintf(stderr, "mvcli: cannot read %s: %s\n", path, strerror(errno));
        goto fail;
    }
    n = fread(buf, 1, CSR_MAX + 1, f);
    if (ferror(f) || n > CSR_MAX || n == 0) {
        fprintf(stderr, "mvcli: %s: unreadable, empty or larger than %d bytes\n", path, CSR_MAX);
        goto fail;
    }
    fclose(f);
    return buf;
fail:
    if (f)
        fclose(f);
    free(buf);
    return NULL;
}

static void print_provisioned(struct mvc_ctx *c, json_t *resp)
{
    const char *id = json_string_value(json_object_get(json_object_get(resp, "device"), "id"));
    const char *key = json_string_value(json_object_get(resp, "private_key"));
    const char *out = c->args->out;
    if (c->args->json) {
        if (out) /* the key is in DIR/device.key.pem; keep it off the terminal */
            json_object_del(resp, "private_key");
        mvc_out_json(c->out, resp);
        return;
    }
    fprintf(c->out, "provisioned device %s\n", id ? id : "?");
    if (out && !key) {
        /* From a CSR the key never left the user's machine: say where it must go. */
        fprintf(c->out, "certificate written to %s; put the CSR's private key beside it as "
                        "%s/device.key.pem (chmod 600), then: mvdevice --identity %s\n",
                out, out, out);
        return;
    }
    if (out) {
        fprintf(c->out, "identity written to %s (use: mvdevice --identity %s)\n", out, out);
        return;
    }
    fprintf(stderr, "mvcli: no --out given: the identity follows; the private key is not "
                    "stored anywhere else\n");
    if (key)
        fputs(key, c->out);
    fputs(json_string_value(json_object_get(resp, "certificate")), c->out);
    fputs(json_string_value(json_object_get(resp, "ca_certificate")), c->out);
}

static int devices_provision(struct mvc_ctx *c)
{
    int rc = MVC_EXIT_USAGE;
    char *csr = NULL;
    json_t *body = NULL, *resp = NULL;
    const char *out = c->args->out;
    int created = 0;

    if (c->args->csr && !(csr = read_csr(c->args->csr)))
        goto out;
    if (out && prepare_out_dir(out, &created) != 0)
        goto out;
    body = csr ? json_pack("{s:s}", "csr", csr) : json_object();
    if (!body) {
        fprintf(stderr, "mvcli: %s is not a text PEM file\n", c->args->csr);
        goto out;
    }
    rc = mvc_api_call(c->http, "POST", "/v1/Devices", body, &resp);
    if (rc != MVC_EXIT_OK)
        goto out;
    if (!json_is_string(json_object_get(resp, "certificate")) ||
        !json_is_string(json_object_get(resp, "ca_certificate"))) {
        fprintf(stderr, "mvcli: the relay's answer lacks the certificates\n");
        rc = MVC_EXIT_API;
        goto out;
    }
    if (out && write_identity(out, resp) != 0) {
        rc = MVC_EXIT_USAGE;
        goto out;
    }
    print_provisioned(c, resp);
out:
    if (rc != MVC_EXIT_OK && created)
        rmdir(out); /* a failed provision leaves no empty directory behind */
    free(csr);
    json_decref(body);
    json_decref(resp);
    return rc;
}

int mvc_cmd_devices(struct mvc_ctx *c)
{
    switch (c->args->cmd) {
    case MVC_CMD_DEVICES_LIST: return devices_list(c);
    case MVC_CMD_DEVICES_SHOW: return devices_show(c);
    case MVC_CMD_DEVICES_PROVISION: return devices_provision(c);
    case MVC_CMD_DEVICES_DEPLOY: return mvc_cmd_deploy(c);
    default: return MVC_EXIT_USAGE;
    }
}
