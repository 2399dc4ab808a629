/* The command implementations of mvcli. Each returns an exit status
 * (mvc/exit.h) and prints its own errors to stderr. */
#ifndef MVC_CMD_H
#define MVC_CMD_H

#include <stdio.h>

#include "http.h"
#include "mvc/args.h"

struct mvc_ctx {
    const struct mvc_args *args;
    struct mvc_http *http;
    FILE *out;
};

int mvc_cmd_logs(struct mvc_ctx *c);
int mvc_cmd_logs_stream(struct mvc_ctx *c);
int mvc_cmd_config(struct mvc_ctx *c);
int mvc_cmd_secret(struct mvc_ctx *c);
int mvc_cmd_devices(struct mvc_ctx *c);
/* apps keygen|bundle|upload|list|delete (cmd_apps.c, bundle_sign.c). */
int mvc_cmd_apps(struct mvc_ctx *c);
/* apps keygen|bundle: no relay involved (bundle_sign.c). */
int mvc_cmd_apps_local(const struct mvc_args *a);
/* devices deploy DEVICE APP (cmd_deploy.c). */
int mvc_cmd_deploy(struct mvc_ctx *c);

/* Writes "/v1" (account scope) or "/v1/Devices/<id>" (escaped; --device)
 * into buf, then appends suffix ("/Configs..."). Returns 0, or -1 if it does
 * not fit. */
int mvc_scope_path(char *buf, size_t len, const char *device, const char *suffix);

#endif
