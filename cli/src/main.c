/* mvcli entry point: parse the command line, resolve where the relay is,
 * then hand over to the command. Every failure maps to one exit status. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "http.h"
#include "mvc/args.h"
#include "mvc/config.h"
#include "mvc/exit.h"

static int resolve(const struct mvc_args *a, struct mvc_config *cfg)
{
    char path[4096], err[512];
    struct mvc_config_sources src = {.flag_url = a->url,
                                     .flag_token = a->token,
                                     .flag_cacert = a->cacert};
    mvc_config_sources_from_env(&src, path, sizeof(path));
    if (mvc_config_resolve(cfg, &src, err, sizeof(err)) != 0) {
        fprintf(stderr, "mvcli: %s\n", err);
        return -1;
    }
    if (cfg->token[0] == '\0') {
        fprintf(stderr, "mvcli: no API token — set --token, MVCLI_TOKEN or 'token = ...' in "
                        "%s (the relay keeps it in DATA_DIR/admin.token)\n",
                src.file ? src.file : "~/.config/mvcli/config");
        return -1;
    }
    if (strpbrk(cfg->token, "\r\n") || strpbrk(cfg->url, "\r\n")) {
        fprintf(stderr, "mvcli: the token or URL contains a line break\n");
        return -1;
    }
    return 0;
}

static int dispatch(struct mvc_ctx *c)
{
    switch (c->args->group) {
    case MVC_GROUP_LOGS: return mvc_cmd_logs(c);
    case MVC_GROUP_CONFIG: return mvc_cmd_config(c);
    case MVC_GROUP_SECRET: return mvc_cmd_secret(c);
    case MVC_GROUP_DEVICES: return mvc_cmd_devices(c);
    case MVC_GROUP_APPS: return mvc_cmd_apps(c);
    default: return MVC_EXIT_USAGE;
    }
}

int main(int argc, char **argv)
{
    static struct mvc_config cfg; /* large; keep it off the stack */
    struct mvc_args a;
    struct mvc_http http;
    char err[512];
    int rc;

    if (mvc_args_parse(argc, argv, &a, err, sizeof(err)) != 0) {
        fprintf(stderr, "mvcli: %s\n", err);
        return MVC_EXIT_USAGE;
    }
    if (a.version) {
        printf("mvcli %s\n", MV_VERSION);
        return MVC_EXIT_OK;
    }
    if (a.help) {
        mvc_args_usage(stdout, &a);
        return MVC_EXIT_OK;
    }
    /* Key generation and signing are local: the signing key never meets the relay. */
    if (a.cmd == MVC_CMD_APPS_KEYGEN || a.cmd == MVC_CMD_APPS_BUNDLE)
        return mvc_cmd_apps_local(&a);
    if (resolve(&a, &cfg) != 0)
        return MVC_EXIT_USAGE;
    if (mvc_http_init(&http, &cfg) != 0) {
        fprintf(stderr, "mvcli: cannot initialise libcurl\n");
        return MVC_EXIT_CONN;
    }
    struct mvc_ctx c = {.args = &a, .http = &http, .out = stdout};
    rc = dispatch(&c);
    mvc_http_cleanup(&http);
    if (fflush(stdout) != 0 && rc == MVC_EXIT_OK) {
        perror("mvcli: writing output");
        rc = MVC_EXIT_USAGE;
    }
    return rc;
}
