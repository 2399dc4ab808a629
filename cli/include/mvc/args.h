/* Command-line parsing for mvcli: turns argv into a struct mvc_args without
 * touching any global state, so every command line can be unit-tested.
 * Strings in struct mvc_args point into argv (no ownership). */
#ifndef MVC_ARGS_H
#define MVC_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mvc/timefmt.h"

enum mvc_group {
    MVC_GROUP_NONE,
    MVC_GROUP_LOGS,
    MVC_GROUP_CONFIG,
    MVC_GROUP_SECRET,
    MVC_GROUP_DEVICES,
    MVC_GROUP_APPS,
    MVC_GROUP_COMPLETION,
};

enum mvc_cmd {
    MVC_CMD_NONE,
    MVC_CMD_LOGS_STREAM,
    MVC_CMD_LOGS_GET,
    MVC_CMD_CONFIG_SET,
    MVC_CMD_CONFIG_GET,
    MVC_CMD_CONFIG_LIST,
    MVC_CMD_CONFIG_DELETE,
    MVC_CMD_SECRET_SET,
    MVC_CMD_SECRET_LIST,
    MVC_CMD_SECRET_DELETE,
    MVC_CMD_DEVICES_LIST,
    MVC_CMD_DEVICES_SHOW,
    MVC_CMD_DEVICES_PROVISION,
    MVC_CMD_DEVICES_DEPLOY,
    MVC_CMD_APPS_KEYGEN,
    MVC_CMD_APPS_BUNDLE,
    MVC_CMD_APPS_UPLOAD,
    MVC_CMD_APPS_LIST,
    MVC_CMD_APPS_DELETE,
    MVC_CMD_COMPLETION_BASH,
    MVC_CMD_COMPLETION_ZSH,
};

/* Largest --limit accepted by `logs get` (it pages through the API). */
#define MVC_LOGS_LIMIT_MAX 1000000L
#define MVC_LOGS_LIMIT_DEFAULT 100L
#define MVC_LOGS_TAIL_MAX 1000L /* one API request */
/* Limits of the REST API (docs/rest-api.md), checked before any request. */
#define MVC_KEY_MAX 128
#define MVC_VALUE_MAX 4096

struct mvc_args {
    /* global options */
    const char *url;
    const char *token;
    const char *cacert;
    bool json;
    bool help;
    bool version; /* --version: print it and exit 0 */
    bool no_color; /* --no-color (NO_COLOR is read by main) */
    bool local;    /* --local: times shown and read in local time, not UTC */
    bool no_trunc; /* --no-trunc: tables show whole values */
    /* what to do */
    enum mvc_group group;
    enum mvc_cmd cmd;
    /* command options and operands */
    const char *device; /* --device D, or the DEVICE operand of logs */
    const char *since;
    long limit; /* 0 = not given */
    long tail;  /* --tail/-n N: the newest N records (0 = not given) */
    char since_buf[40]; /* --since as a time, in RFC 3339 UTC for the API (since points here) */
    const char *until;  /* --until as typed; has_until and until_t once parsed */
    bool has_until;
    struct mvc_time until_t;
    const char *out;
    const char *csr;
    const char *file; /* --file F: config/secret value from a file */
    const char *key; /* config/secret KEY, devices show ID */
    const char *value;
    /* apps bundle: --key FILE, --version V (here not the global --version), --port P,
     * --name N */
    const char *sign_key;
    const char *app_version;
    const char *port;
    const char *app_name;
};

/* Parses argv[1..argc-1] into *a. Returns 0 on success (a->help may be set:
 * print mvc_args_usage and exit 0), -1 on a usage error with a one-line
 * explanation in err. */
int mvc_args_parse(int argc, char *const argv[], struct mvc_args *a, char *err, size_t errlen);

/* Prints the help text for the command (or group, or the whole program) that
 * a names. */
void mvc_args_usage(FILE *f, const struct mvc_args *a);

/* The tables behind the parser, for shell completion (mvc/completion.h), so that it
 * never offers what the parser refuses. Each returns NULL (false) past the end. */
const char *mvc_args_cmd_name(size_t i, const char **group); /* "get", group "logs" */
const char *mvc_args_opt_name(size_t i, bool *has_value);    /* "since", without "--" */
bool mvc_args_opt_applies(size_t opt, size_t cmd);
bool mvc_args_opt_global(size_t opt); /* accepted by every command */

#endif
