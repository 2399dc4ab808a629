/* mvcli entry point: parse the command line, resolve where the relay is,
 * then hand over to the command. Every failure maps to one exit status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd.h"
#include "http.h"
#include "mvc/args.h"
#include "mvc/completion.h"
#include "mvc/config.h"
#include "mvc/exit.h"
#include "mvc/output.h"

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

/* The first of LC_ALL, LC_CTYPE, LANG that is set names the character set, as for
 * setlocale(3); read here so that mvcli itself keeps the C locale. */
static bool utf8_locale(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            char low[128];
            size_t n = 0;
            for (; v[n] && n + 1 < sizeof(low); n++)
                low[n] = (char)tolower((unsigned char)v[n]);
            low[n] = '\0';
            return strstr(low, "utf-8") || strstr(low, "utf8");
        }
    }
    return false;
}

/* Colours only on a terminal, and never when asked not to (--no-color, or NO_COLOR
 * set to anything but empty, as no-color.org says, or a dumb terminal). */
static void set_style(const struct mvc_args *a)
{
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM"), *cols = getenv("COLUMNS");
    bool tty = isatty(STDOUT_FILENO);
    struct winsize ws;
    struct mvc_out_style st = {.local = a->local, .no_trunc = a->no_trunc, .utf8 = utf8_locale()};
    st.color = tty && !a->no_color && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
    if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        st.width = ws.ws_col;
    else if (tty && cols && atoi(cols) > 0)
        st.width = (size_t)atoi(cols);
    mvc_out_set_style(&st);
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
    if (a.group == MVC_GROUP_COMPLETION) /* needs no relay */
        return mvc_completion_print(stdout, a.cmd == MVC_CMD_COMPLETION_ZSH) == 0
                   ? MVC_EXIT_OK
                   : MVC_EXIT_USAGE;
    set_style(&a);
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
