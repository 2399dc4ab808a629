/* `mvcli config set|get|list|delete [--device D] KEY [VALUE]`: config values
 * at account scope (/v1/Configs) or device scope (/v1/Devices/{id}/Configs). */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "cmd.h"
#include "mvc/exit.h"
#include "mvc/output.h"
#include "mvc/url.h"
#include "value_in.h"

int mvc_scope_path(char *buf, size_t len, const char *device, const char *suffix)
{
    char dev[128];
    int n;
    if (device) {
        if (mvc_url_escape(device, dev, sizeof(dev)) != 0)
            return -1;
        n = snprintf(buf, len, "/v1/Devices/%s%s", dev, suffix);
    } else {
        n = snprintf(buf, len, "/v1%s", suffix);
    }
    return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

/* "<scope>/Configs" or "<scope>/Configs/<key>" */
static int config_path(char *buf, size_t len, const struct mvc_args *a, bool with_key)
{
    char suffix[512], key[400];
    if (with_key && mvc_url_escape(a->key, key, sizeof(key)) != 0)
        return -1;
    snprintf(suffix, sizeof(suffix), "/Configs%s%s", with_key ? "/" : "",
             with_key ? key : "");
    return mvc_scope_path(buf, len, a->device, suffix);
}

static const char *scope_name(const struct mvc_args *a)
{
    return a->device ? "device" : "account";
}

static int config_set(struct mvc_ctx *c, const char *path)
{
    static char buf[MVC_VALUE_MAX + 2];
    const char *value = NULL;
    json_t *resp = NULL;
    if (mvc_value_resolve(c->args, "config value: ", buf, sizeof(buf), &value) != 0)
        return MVC_EXIT_USAGE;
    json_t *body = json_pack("{s:s, s:s}", "key", c->args->key, "value", value);
    int rc = body ? mvc_api_call(c->http, "POST", path, body, &resp) : MVC_EXIT_USAGE;
    if (!body)
        fprintf(stderr, "mvcli: the value is not valid UTF-8\n");
    if (rc == MVC_EXIT_OK) {
        if (c->args->json)
            mvc_out_json(c->out, resp);
        else
            fprintf(c->out, "config %s set (%s scope)\n", c->args->key, scope_name(c->args));
    }
    json_decref(body);
    json_decref(resp);
    return rc;
}

static int config_get(struct mvc_ctx *c, const char *path)
{
    json_t *resp = NULL;
    int rc = mvc_api_call(c->http, "GET", path, NULL, &resp);
    if (rc == MVC_EXIT_OK) {
        const char *v = json_string_value(json_object_get(resp, "value"));
        if (c->args->json) {
            mvc_out_json(c->out, resp);
        } else if (v) {
            /* Raw, for $(mvcli config get KEY); the value was written by an admin. */
            fprintf(c->out, "%s\n", v);
        } else {
            fprintf(stderr, "mvcli: the relay's answer has no value\n");
            rc = MVC_EXIT_API;
        }
    }
    json_decref(resp);
    return rc;
}

static int config_list(struct mvc_ctx *c, const char *path)
{
    json_t *all = NULL;
    int rc = mvc_api_list_all(c->http, path, "configs", &all);
    if (rc == MVC_EXIT_OK) {
        if (c->args->json)
            mvc_out_json(c->out, all);
        else
            mvc_out_configs(c->out, json_object_get(all, "configs"));
    }
    json_decref(all);
    return rc;
}

static int config_delete(struct mvc_ctx *c, const char *path)
{
    json_t *resp = NULL;
    int rc = mvc_api_call(c->http, "DELETE", path, NULL, &resp);
    if (rc == MVC_EXIT_OK && !c->args->json)
        fprintf(c->out, "config %s deleted (%s scope)\n", c->args->key, scope_name(c->args));
    json_decref(resp);
    return rc;
}

int mvc_cmd_config(struct mvc_ctx *c)
{
    char path[1024];
    const struct mvc_args *a = c->args;
    bool keyed = a->cmd == MVC_CMD_CONFIG_GET || a->cmd == MVC_CMD_CONFIG_DELETE;
    if (config_path(path, sizeof(path), a, keyed) != 0) {
        fprintf(stderr, "mvcli: key or device id too long\n");
        return MVC_EXIT_USAGE;
    }
    switch (a->cmd) {
    case MVC_CMD_CONFIG_SET: return config_set(c, path);
    case MVC_CMD_CONFIG_GET: return config_get(c, path);
    case MVC_CMD_CONFIG_LIST: return config_list(c, path);
    case MVC_CMD_CONFIG_DELETE: return config_delete(c, path);
    default: return MVC_EXIT_USAGE;
    }
}
