/* `mvcli secret set|list|delete [--device D] KEY [VALUE|-]`: write-only
 * secrets. The value is never printed, not even in --json output (the API
 * does not return it); '-', --file or a silent prompt keep it out of argv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cmd.h"
#include "mvc/exit.h"
#include "mvc/output.h"
#include "mvc/url.h"
#include "value_in.h"

static int secret_set(struct mvc_ctx *c, const char *path)
{
    static char value[MVC_VALUE_MAX + 2];
    json_t *resp = NULL, *body = NULL;
    int rc = MVC_EXIT_USAGE;
    const char *v = NULL;

    if (mvc_value_resolve(c->args, "secret value (not shown): ", value, sizeof(value), &v) != 0)
        goto out;
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
