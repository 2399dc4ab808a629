/* `mvcli devices deploy DEVICE APP`: sets the device's target_app (POST
 * /v1/Devices/{id}); APP "none" clears it. The device picks it up over its update
 * channel as soon as it is online. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "cmd.h"
#include "mvc/exit.h"
#include "mvc/output.h"
#include "mvc/url.h"

int mvc_cmd_deploy(struct mvc_ctx *c)
{
    char path[256], id[128];
    json_t *out = NULL;
    if (mvc_url_escape(c->args->key, id, sizeof id) != 0)
        return MVC_EXIT_USAGE;
    snprintf(path, sizeof path, "/v1/Devices/%s", id);
    const char *app = c->args->value;
    json_t *body =
        json_pack("{s:o}", "target_app", strcmp(app, "none") ? json_string(app) : json_null());
    int rc = mvc_api_call(c->http, "POST", path, body, &out);
    json_decref(body);
    if (rc == MVC_EXIT_OK) {
        if (c->args->json)
            mvc_out_json(c->out, out);
        else
            mvc_out_update(c->out, out);
    }
    json_decref(out);
    return rc;
}
