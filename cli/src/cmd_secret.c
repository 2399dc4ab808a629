/* `mvcli secret set|list|delete [--device D] KEY [VALUE|-]`: write-only
 * secrets. The value is never printed, not even in --json output (the API
 * does not return it), and '-' reads it from stdin to keep it out of argv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cmd.h"
#include "mvc/exit.h"
#include "mvc/output.h"
#include "mvc/url.h"

/* Reads the secret from stdin into buf (at most MVC_VALUE_MAX bytes); one
 * trailing newline (from echo or a terminal) is not part of it. */
static int read_stdin_value(char *buf, size_t len)
{
    size_t n = fread(buf, 1, len - 1, stdin);
    if (ferror(stdin)) {
        fprintf(stderr, "mvcli: cannot read the secret from standard input\n");
        return -1;
    }
    if (n == len - 1 && fgetc(stdin) != EOF) {
        fprintf(stderr, "mvcli: secret too long (at most %d bytes)\n", MVC_VALUE_MAX);
        return -1;
    }
    if (n > 0 && buf[n - 1] == '\n')
        n--;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        fprintf(stderr, "mvcli: the secret contains a NUL byte\n");
        return -1;
    }
    return 0;
}

static int secret_set(struct mvc_ctx *c, const char *path)
{
    static char value[MVC_VALUE_MAX + 2];
    json_t *resp = NULL, *body = NULL;
    int rc = MVC_EXIT_USAGE;
    const char *v = c->args->value;

    if (strcmp(v, "-") == 0) {
        if (read_stdin_value(value, sizeof(value)) != 0)
            goto out;
        v = value;
    }
    body = json_pack("{s:s, s:s}", "key", c->args->key, "value", v);
    if (!body) {
        fprintf(stderr, "mvcli: the secret is not valid UTF-8\n");
        goto out;
    }
    rc = mvc_api_call(c->http, "POST", path, body, &resp);
    if (rc == MVC_EXIT_OK) {
        /* Drop a value should a relay ever echo it: this command never prints it. */
        json_object_del(resp, "value");
        if (c->args->json)
            mvc_out_json(c->out, resp);
        else
            fprintf(c->out, "secret %s set (%s scope)\n", c->args->key,
                    c->args->device ? "device" : "account");
    }
out:
    memset(value, 0, sizeof(value));
    json_decref(body);
    json_decref(resp);
    return rc;
}

static int secret_list(struct mvc_ctx *c, const char *path)
{
    json_t *all = NULL, *item;
    size_t i;
    int rc = mvc_api_list_all(c->http, path, "secrets", &all);
    if (rc == MVC_EXIT_OK) {
        json_array_foreach (json_object_get(all, "secrets"), i, item)
            json_object_del(item, "value");
        if (c->args->json)
            mvc_out_json(c->out, all);
        else
            mvc_out_secrets(c->out, json_object_get(all, "secrets"));
    }
    json_decref(all);
    return rc;
}

static int secret_delete(struct mvc_ctx *c, const char *path)
{
    json_t *resp = NULL;
    int rc = mvc_api_call(c->http, "DELETE", path, NULL, &resp);
    if (rc == MVC_EXIT_OK && !c->args->json)
        fprintf(c->out, "secret %s deleted (%s scope)\n", c->args->key,
                c->args->device ? "device" : "account");
    json_decref(resp);
    return rc;
}

int mvc_cmd_secret(struct mvc_ctx *c)
{
    char path[1024], suffix[512], key[400] = "";
    const struct mvc_args *a = c->args;
    bool keyed = a->cmd == MVC_CMD_SECRET_DELETE;
    if ((keyed && mvc_url_escape(a->key, key, sizeof(key)) != 0) ||
        snprintf(suffix, sizeof(suffix), "/Secrets%s%s", keyed ? "/" : "", key) >=
            (int)sizeof(suffix) ||
        mvc_scope_path(path, sizeof(path), a->device, suffix) != 0) {
        fprintf(stderr, "mvcli: key or device id too long\n");
        return MVC_EXIT_USAGE;
    }
    switch (a->cmd) {
    case MVC_CMD_SECRET_SET: return secret_set(c, path);
    case MVC_CMD_SECRET_LIST: return secret_list(c, path);
    case MVC_CMD_SECRET_DELETE: return secret_delete(c, path);
    default: return MVC_EXIT_USAGE;
    }
}
