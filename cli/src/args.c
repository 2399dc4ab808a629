/* mvcli command-line parsing: a table of commands and options, checked
 * against each other, so that every mistake is a usage error with a message
 * naming the culprit. No globals: the result lives in the caller's struct. */
#include "mvc/args.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mvc/timefmt.h"

enum opt_id {
    OPT_URL,
    OPT_TOKEN,
    OPT_CACERT,
    OPT_JSON,
    OPT_HELP,
    OPT_DEVICE,
    OPT_SINCE,
    OPT_LIMIT,
    OPT_OUT,
    OPT_CSR,
    OPT_VERSION,
    OPT_TAIL,
    OPT_FILE,
    OPT_KEY,
    OPT_APP_VERSION,
    OPT_PORT,
    OPT_NAME,
    OPT_UNTIL,
    OPT_NO_COLOR,
    OPT_LOCAL,
    OPT_NO_TRUNC,
};

#define CMD_BIT(c) (1u << (c))
#define ALL_CMDS 0xffffffffu

struct opt_def {
    const char *name;
    enum opt_id id;
    bool has_value;
    unsigned int cmds; /* commands accepting it */
};

static const struct opt_def opts[] = {
    {"url", OPT_URL, true, ALL_CMDS},
    {"token", OPT_TOKEN, true, ALL_CMDS},
    {"cacert", OPT_CACERT, true, ALL_CMDS},
    {"json", OPT_JSON, false, ALL_CMDS},
    {"help", OPT_HELP, false, ALL_CMDS},
    {"device", OPT_DEVICE, true,
     CMD_BIT(MVC_CMD_CONFIG_SET) | CMD_BIT(MVC_CMD_CONFIG_GET) | CMD_BIT(MVC_CMD_CONFIG_LIST) |
         CMD_BIT(MVC_CMD_CONFIG_DELETE) | CMD_BIT(MVC_CMD_SECRET_SET) |
         CMD_BIT(MVC_CMD_SECRET_LIST) | CMD_BIT(MVC_CMD_SECRET_DELETE)},
    {"since", OPT_SINCE, true, CMD_BIT(MVC_CMD_LOGS_STREAM) | CMD_BIT(MVC_CMD_LOGS_GET)},
    {"limit", OPT_LIMIT, true, CMD_BIT(MVC_CMD_LOGS_GET)},
    {"out", OPT_OUT, true,
     CMD_BIT(MVC_CMD_DEVICES_PROVISION) | CMD_BIT(MVC_CMD_APPS_KEYGEN) |
         CMD_BIT(MVC_CMD_APPS_BUNDLE)},
    {"csr", OPT_CSR, true, CMD_BIT(MVC_CMD_DEVICES_PROVISION)},
    {"version", OPT_VERSION, false, ALL_CMDS},
    {"tail", OPT_TAIL, true, CMD_BIT(MVC_CMD_LOGS_STREAM) | CMD_BIT(MVC_CMD_LOGS_GET)},
    {"file", OPT_FILE, true, CMD_BIT(MVC_CMD_CONFIG_SET) | CMD_BIT(MVC_CMD_SECRET_SET)},
    {"key", OPT_KEY, true, CMD_BIT(MVC_CMD_APPS_BUNDLE)},
    /* `apps bundle --version V`: read_opt maps --version here on that command line. */
    {"app-version", OPT_APP_VERSION, true, CMD_BIT(MVC_CMD_APPS_BUNDLE)},
    {"port", OPT_PORT, true, CMD_BIT(MVC_CMD_APPS_BUNDLE)},
    {"name", OPT_NAME, true, CMD_BIT(MVC_CMD_APPS_BUNDLE)},
    {"until", OPT_UNTIL, true, CMD_BIT(MVC_CMD_LOGS_GET)},
    {"no-color", OPT_NO_COLOR, false, ALL_CMDS},
    {"local", OPT_LOCAL, false, ALL_CMDS},
    {"no-trunc", OPT_NO_TRUNC, false, ALL_CMDS},
};

struct cmd_def {
    enum mvc_group group;
    const char *group_name;
    const char *name;
    enum mvc_cmd cmd;
    int min_ops, max_ops;
    const char *usage;
    const char *summary;
};

static const struct cmd_def cmds[] = {
    {MVC_GROUP_LOGS, "logs", "stream", MVC_CMD_LOGS_STREAM, 1, 1,
     "logs stream DEVICE [--since T | --tail N] [--json]",
     "Follow the device's logs live; reconnects on loss without repeating records.\n"
     "  --since T   start at T (RFC 3339 time, 10m/2h/7d ago, or a cursor seq:BOOT:N)\n"
     "  --tail N    first the newest N stored records (-n N), then follow\n"
     "  --json      one LogRecord JSON object per line"},
    {MVC_GROUP_LOGS, "logs", "get", MVC_CMD_LOGS_GET, 1, 1,
     "logs get DEVICE [--since T] [--until T] [--limit N | --tail N] [--json]",
     "Print stored log records, oldest first, following pages up to N records.\n"
     "  --since T   start after T (RFC 3339 time, 10m/2h/7d ago, or a cursor seq:BOOT:N)\n"
     "  --until T   stop at records received after T (a time, or 10m/2h/7d ago)\n"
     "  --limit N   at most N records (default 100)\n"
     "  --tail N    the newest N records (up to 1000), oldest first (-n N)\n"
     "Says on stderr when more records exist than were printed."},
    {MVC_GROUP_CONFIG, "config", "set", MVC_CMD_CONFIG_SET, 1, 2,
     "config set [--device D] KEY VALUE|-|--file F",
     "Create or replace a config value; '-' reads it from standard input, --file F from\n"
     "a file (one trailing newline dropped)."},
    {MVC_GROUP_CONFIG, "config", "get", MVC_CMD_CONFIG_GET, 1, 1, "config get [--device D] KEY",
     "Print one config value."},
    {MVC_GROUP_CONFIG, "config", "list", MVC_CMD_CONFIG_LIST, 0, 0, "config list [--device D]",
     "List config values of the account (or of device D)."},
    {MVC_GROUP_CONFIG, "config", "delete", MVC_CMD_CONFIG_DELETE, 1, 1,
     "config delete [--device D] KEY", "Delete a config value."},
    {MVC_GROUP_SECRET, "secret", "set", MVC_CMD_SECRET_SET, 1, 2,
     "secret set [--device D] KEY [VALUE|-|--file F]",
     "Create or replace a secret; '-' reads it from standard input, --file F from a\n"
     "file; with no value it is asked for on the terminal without echo.\n"
     "Secret values are never printed."},
    {MVC_GROUP_SECRET, "secret", "list", MVC_CMD_SECRET_LIST, 0, 0, "secret list [--device D]",
     "List secret names (never values)."},
    {MVC_GROUP_SECRET, "secret", "delete", MVC_CMD_SECRET_DELETE, 1, 1,
     "secret delete [--device D] KEY", "Delete a secret."},
    {MVC_GROUP_DEVICES, "devices", "list", MVC_CMD_DEVICES_LIST, 0, 0, "devices list",
     "List devices."},
    {MVC_GROUP_DEVICES, "devices", "show", MVC_CMD_DEVICES_SHOW, 1, 1, "devices show ID",
     "Show one device."},
    {MVC_GROUP_DEVICES, "devices", "provision", MVC_CMD_DEVICES_PROVISION, 0, 0,
     "devices provision [--out DIR] [--csr FILE]",
     "Create a device and its certificate. With --out, write the identity directory\n"
     "DIR/{device_id,device.key.pem,device.cert.pem,ca.pem} for `mvdevice --identity DIR`.\n"
     "With --csr, the relay signs your CSR and no private key is generated."},
    {MVC_GROUP_DEVICES, "devices", "deploy", MVC_CMD_DEVICES_DEPLOY, 2, 2,
     "devices deploy DEVICE APP",
     "Point a device at an uploaded app (its target_app); the device downloads, verifies\n"
     "and stages it, and applies it when the application restarts (docs/ota.md). APP\n"
     "'none' clears the target."},
    {MVC_GROUP_APPS, "apps", "keygen", MVC_CMD_APPS_KEYGEN, 0, 0, "apps keygen [--out PREFIX]",
     "Create an ECDSA P-256 update signing key: PREFIX.key.pem (private, 0600) and\n"
     "PREFIX.pub.pem (to provision on devices); PREFIX defaults to 'update'."},
    {MVC_GROUP_APPS, "apps", "bundle", MVC_CMD_APPS_BUNDLE, 1, 1,
     "apps bundle --key K --version V [--port P] [--name N] IMAGE -o OUT.mvb",
     "Sign an application image into an update bundle (docs/ota.md). --port is host\n"
     "(default), an505 or riscv-virt; --name defaults to the image's file name."},
    {MVC_GROUP_APPS, "apps", "upload", MVC_CMD_APPS_UPLOAD, 1, 1, "apps upload BUNDLE",
     "Upload a bundle; prints its app id."},
    {MVC_GROUP_APPS, "apps", "list", MVC_CMD_APPS_LIST, 0, 0, "apps list", "List uploaded apps."},
    {MVC_GROUP_APPS, "apps", "delete", MVC_CMD_APPS_DELETE, 1, 1, "apps delete APP",
     "Delete an uploaded app that no device targets."},
    {MVC_GROUP_COMPLETION, "completion", "bash", MVC_CMD_COMPLETION_BASH, 0, 0,
     "completion bash",
     "Print a bash completion script: source <(mvcli completion bash), or save it as\n"
     "/etc/bash_completion.d/mvcli (or ~/.local/share/bash-completion/completions/mvcli)."},
    {MVC_GROUP_COMPLETION, "completion", "zsh", MVC_CMD_COMPLETION_ZSH, 0, 0,
     "completion zsh",
     "Print a zsh completion script: source <(mvcli completion zsh) in ~/.zshrc\n"
     "(after compinit)."},
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))
#define NOPTS (sizeof(opts) / sizeof(opts[0]))
#define MAX_OPERANDS 8

struct opt_seen {
    const struct opt_def *def;
    const char *value;
};

static const struct cmd_def *find_cmd(const char *group, const char *name)
{
    for (size_t i = 0; i < NCMDS; i++) {
        if (strcmp(cmds[i].group_name, group) == 0 && name && strcmp(cmds[i].name, name) == 0)
            return &cmds[i];
    }
    return NULL;
}

static enum mvc_group find_group(const char *name)
{
    for (size_t i = 0; i < NCMDS; i++) {
        if (strcmp(cmds[i].group_name, name) == 0)
            return cmds[i].group;
    }
    return MVC_GROUP_NONE;
}

static const struct opt_def *find_opt(const char *name, size_t len)
{
    for (size_t i = 0; i < NOPTS; i++) {
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
            return &opts[i];
    }
    return NULL;
}

static int parse_count(const char *name, const char *s, long max, long *out, char *err,
                       size_t errlen)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > max) {
        snprintf(err, errlen, "--%s must be a number from 1 to %ld, not '%s'", name, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int apply_opt(struct mvc_args *a, const struct opt_seen *o, char *err, size_t errlen)
{
    switch (o->def->id) {
    case OPT_URL: a->url = o->value; break;
    case OPT_TOKEN: a->token = o->value; break;
    case OPT_CACERT: a->cacert = o->value; break;
    case OPT_JSON: a->json = true; break;
    case OPT_HELP: a->help = true; break;
    case OPT_DEVICE: a->device = o->value; break;
    case OPT_SINCE: a->since = o->value; break;
    case OPT_UNTIL: a->until = o->value; break;
    case OPT_NO_COLOR: a->no_color = true; break;
    case OPT_LOCAL: a->local = true; break;
    case OPT_NO_TRUNC: a->no_trunc = true; break;
    case OPT_LIMIT:
        return parse_count("limit", o->value, MVC_LOGS_LIMIT_MAX, &a->limit, err, errlen);
    case OPT_TAIL:
        return parse_count("tail", o->value, MVC_LOGS_TAIL_MAX, &a->tail, err, errlen);
    case OPT_OUT: a->out = o->value; break;
    case OPT_CSR: a->csr = o->value; break;
    case OPT_VERSION: a->version = true; break;
    case OPT_FILE: a->file = o->value; break;
    case OPT_KEY: a->sign_key = o->value; break;
    case OPT_APP_VERSION: a->app_version = o->value; break;
    case OPT_PORT: a->port = o->value; break;
    case OPT_NAME: a->app_name = o->value; break;
    }
    return 0;
}

/* Reads one "--name", "--name=value" or "--name value" at argv[*i]. */
static int read_opt(int argc, char *const argv[], int *i, struct opt_seen *o, bool bundle,
                    char *err, size_t errlen)
{
    const char *name = argv[*i] + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    o->def = find_opt(name, len);
    if (bundle && o->def && o->def->id == OPT_VERSION)
        o->def = &opts[OPT_APP_VERSION];
    if (!o->def) {
        snprintf(err, errlen, "unknown option '--%.*s' (see mvcli --help)", (int)len, name);
        return -1;
    }
    if (!o->def->has_value) {
        if (eq) {
            snprintf(err, errlen, "option '--%s' takes no value", o->def->name);
            return -1;
        }
        o->value = NULL;
        return 0;
    }
    if (eq) {
        o->value = eq + 1;
    } else if (*i + 1 < argc) {
        o->value = argv[++*i];
    } else {
        snprintf(err, errlen, "option '--%s' needs a value", o->def->name);
        return -1;
    }
    return 0;
}

/* Splits argv into options and operands; "--" ends options, "-" is an operand. */
static int split_argv(int argc, char *const argv[], struct opt_seen *seen, int *nseen,
                      const char **ops, int *nops, char *err, size_t errlen)
{
    bool only_ops = false, bundle = false;
    *nseen = 0;
    *nops = 0;
    /* On an `apps bundle` command line --version is the app's version (as Twilio's
     * apps:bundle), not the program's. */
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "apps") && !strcmp(argv[i + 1], "bundle"))
            bundle = true;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!only_ops && strcmp(s, "--") == 0) {
            only_ops = true;
        } else if (!only_ops && strcmp(s, "-h") == 0) {
            seen[(*nseen)++] = (struct opt_seen){&opts[OPT_HELP], NULL};
        } else if (!only_ops && strcmp(s, "-n") == 0) { /* -n N: --tail N, as tail(1) */
            if (i + 1 >= argc) {
                snprintf(err, errlen, "option '-n' needs a value");
                return -1;
            }
            seen[(*nseen)++] = (struct opt_seen){&opts[OPT_TAIL], argv[++i]};
        } else if (!only_ops && strcmp(s, "-o") == 0) { /* -o FILE: --out FILE */
            if (i + 1 >= argc) {
                snprintf(err, errlen, "option '-o' needs a value");
                return -1;
            }
            seen[(*nseen)++] = (struct opt_seen){&opts[OPT_OUT], argv[++i]};
        } else if (!only_ops && strncmp(s, "--", 2) == 0) {
            if (read_opt(argc, argv, &i, &seen[*nseen], bundle, err, errlen) != 0)
                return -1;
            (*nseen)++;
        } else if (!only_ops && s[0] == '-' && s[1] != '\0') {
            snprintf(err, errlen, "unknown option '%s' (see mvcli --help)", s);
            return -1;
        } else {
            if (*nops == MAX_OPERANDS) {
                snprintf(err, errlen, "too many arguments");
                return -1;
            }
            ops[(*nops)++] = s;
        }
    }
    return 0;
}

static void set_operands(struct mvc_args *a, const char **ops, int n)
{
    switch (a->cmd) {
    case MVC_CMD_LOGS_STREAM:
    case MVC_CMD_LOGS_GET: a->device = ops[0]; break;
    default:
        a->key = n > 0 ? ops[0] : NULL;
        a->value = n > 1 ? ops[1] : NULL;
        break;
    }
}

static int check_cmd(struct mvc_args *a, const char **ops, int nops, char *err, size_t errlen)
{
    if (nops == 0) {
        snprintf(err, errlen,
                 "missing command (logs, config, secret, devices, apps or completion; see --help)");
        return -1;
    }
    a->group = find_group(ops[0]);
    if (a->group == MVC_GROUP_NONE) {
        snprintf(err, errlen,
                 "unknown command '%s' (logs, config, secret, devices, apps or completion)", ops[0]);
        return -1;
    }
    const struct cmd_def *c = find_cmd(ops[0], nops > 1 ? ops[1] : NULL);
    if (!c) {
        if (nops > 1)
            snprintf(err, errlen, "unknown command '%s %s' (see mvcli %s --help)", ops[0],
                     ops[1], ops[0]);
        else
            snprintf(err, errlen, "missing subcommand (see mvcli %s --help)", ops[0]);
        return -1;
    }
    a->cmd = c->cmd;
    int n = nops - 2;
    if (!a->help && (n < c->min_ops || n > c->max_ops)) {
        snprintf(err, errlen, "%s: usage: mvcli %s", n < c->min_ops ? "missing argument" :
                 "too many arguments", c->usage);
        return -1;
    }
    if (n > c->max_ops)
        n = c->max_ops;
    set_operands(a, ops + 2, n);
    return 0;
}

static bool is_device_id(const char *s)
{
    if (strlen(s) != 34 || s[0] != 'U' || s[1] != 'V')
        return false;
    for (int i = 2; i < 34; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    }
    return true;
}

static bool is_key(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > MVC_KEY_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return false;
    }
    return true;
}

/* Catches malformed ids and keys here, where the message can be precise. */
static int check_values(const struct mvc_args *a, char *err, size_t errlen)
{
    bool keyed = a->group == MVC_GROUP_CONFIG || a->group == MVC_GROUP_SECRET;
    if (a->device && !is_device_id(a->device)) {
        snprintf(err, errlen, "'%s' is not a device id (UV followed by 32 lowercase hex digits)",
                 a->device);
        return -1;
    }
    if ((a->cmd == MVC_CMD_DEVICES_SHOW || a->cmd == MVC_CMD_DEVICES_DEPLOY) &&
        !is_device_id(a->key)) {
        snprintf(err, errlen, "'%s' is not a device id (UV followed by 32 lowercase hex digits)",
                 a->key);
        return -1;
    }
    if (keyed && a->key && !is_key(a->key)) {
        snprintf(err, errlen, "invalid key '%s': 1 to %d printable ASCII characters, no spaces",
                 a->key, MVC_KEY_MAX);
        return -1;
    }
    if (a->value && strlen(a->value) > MVC_VALUE_MAX) {
        snprintf(err, errlen, "value too long (%zu bytes, at most %d)", strlen(a->value),
                 MVC_VALUE_MAX);
        return -1;
    }
    return 0;
}

/* --since and --until as typed (a time in any accepted shape, or "10m" ago) become RFC
 * 3339 UTC for the API; --since may also be a cursor, passed on as is. Done after every
 * option is read, because --local changes what a time without an offset means. */
static int check_times(struct mvc_args *a, char *err, size_t errlen)
{
    struct mvc_time since;
    struct mvc_time now = mvc_time_now();
    bool since_is_time = a->since && mvc_time_parse(a->since, a->local, &now, &since) == 0;
    if (since_is_time) {
        mvc_time_format(&since, false, a->since_buf, sizeof(a->since_buf));
        a->since = a->since_buf;
    }
    if (!a->until)
        return 0;
    if (mvc_time_parse(a->until, a->local, &now, &a->until_t) != 0) {
        snprintf(err, errlen, "--until must be a time (e.g. 2026-11-23T10:00:00Z, or "
                 "2026-11-23 10:00 in UTC%s) or a duration ago (30s, 10m, 2h, 7d), not '%s'",
                 a->local ? "" : "; local time with --local", a->until);
        return -1;
    }
    a->has_until = true;
    if (since_is_time && mvc_time_cmp(&a->until_t, &since) < 0) {
        snprintf(err, errlen, "--until is before --since: nothing to print");
        return -1;
    }
    return 0;
}

int mvc_args_parse(int argc, char *const argv[], struct mvc_args *a, char *err, size_t errlen)
{
    struct opt_seen seen[64];
    const char *ops[MAX_OPERANDS];
    int nseen, nops;

    memset(a, 0, sizeof(*a));
    err[0] = '\0';
    if (argc > 64) {
        snprintf(err, errlen, "too many arguments");
        return -1;
    }
    if (split_argv(argc, argv, seen, &nseen, ops, &nops, err, errlen) != 0)
        return -1;
    for (int i = 0; i < nseen; i++) {
        if (seen[i].def->id == OPT_HELP)
            a->help = true;
        if (seen[i].def->id == OPT_VERSION)
            a->version = true;
    }
    if (a->version)
        return 0; /* --version needs no command */
    if (check_cmd(a, ops, nops, err, errlen) != 0) {
        /* --help on a partial command line is not an error: show what we know. */
        if (a->help) {
            a->cmd = MVC_CMD_NONE;
            err[0] = '\0';
            return 0;
        }
        return -1;
    }
    for (int i = 0; i < nseen; i++) {
        if (!(seen[i].def->cmds & CMD_BIT(a->cmd))) {
            snprintf(err, errlen, "option '--%s' does not apply to this command",
                     seen[i].def->name);
            return -1;
        }
        if (apply_opt(a, &seen[i], err, errlen) != 0)
            return -1;
    }
    if (a->file && a->value) {
        snprintf(err, errlen, "give the value or --file, not both");
        return -1;
    }
    if (a->cmd == MVC_CMD_CONFIG_SET && !a->value && !a->file && !a->help) {
        snprintf(err, errlen, "missing argument: usage: mvcli config set [--device D] KEY "
                              "VALUE|-|--file F");
        return -1;
    }
    if (a->cmd == MVC_CMD_APPS_BUNDLE && !a->help && (!a->sign_key || !a->app_version || !a->out)) {
        snprintf(err, errlen, "apps bundle needs --key, --version and -o/--out");
        return -1;
    }
    if (a->tail && (a->since || a->limit || a->until)) {
        snprintf(err, errlen, "--tail excludes --%s",
                 a->since ? "since" : a->limit ? "limit" : "until");
        return -1;
    }
    if (!a->help && check_times(a, err, errlen) != 0)
        return -1;
    return a->help ? 0 : check_values(a, err, errlen);
}

static void usage_globals(FILE *f)
{
    fputs("\nGlobal options:\n"
          "  --url URL       relay API base URL (env MVCLI_URL; default https://127.0.0.1:7444)\n"
          "  --token TOKEN   admin bearer token (env MVCLI_TOKEN; DATA_DIR/admin.token)\n"
          "  --cacert FILE   CA certificate of the relay (env MVCLI_CACERT; DATA_DIR/ca.pem)\n"
          "  --json          print the API's JSON instead of tables (full values)\n"
          "  --no-trunc      do not cut long values in tables (cut to fit: '...')\n"
          "  --no-color      no colours (also NO_COLOR=1; colours only on a terminal)\n"
          "  --local         show and read times in local time instead of UTC\n"
          "  --help, -h      this help\n"
          "  --version       print the version\n"
          "Defaults come from $MVCLI_CONFIG or ~/.config/mvcli/config (lines 'url = ...',\n"
          "'token = ...', 'cacert = ...'); flags win over the environment, which wins over\n"
          "the file.\n"
          "Exit status: 0 ok, 1 usage, 2 API error, 3 connection or TLS error.\n"
          "Shell completion: mvcli completion bash|zsh --help.\n",
          f);
}

void mvc_args_usage(FILE *f, const struct mvc_args *a)
{
    for (size_t i = 0; i < NCMDS; i++) {
        if (cmds[i].cmd == a->cmd) {
            fprintf(f, "usage: mvcli %s\n\n%s\n", cmds[i].usage, cmds[i].summary);
            usage_globals(f);
            return;
        }
    }
    fputs("usage: mvcli [global options] COMMAND [args]\n\nCommands:\n", f);
    for (size_t i = 0; i < NCMDS; i++) {
        if (a->group == MVC_GROUP_NONE || a->group == cmds[i].group)
            fprintf(f, "  mvcli %s\n", cmds[i].usage);
    }
    fputs("\nRun 'mvcli COMMAND SUBCOMMAND --help' for details.\n", f);
    usage_globals(f);
}

const char *mvc_args_cmd_name(size_t i, const char **group)
{
    if (i >= NCMDS)
        return NULL;
    *group = cmds[i].group_name;
    return cmds[i].name;
}

const char *mvc_args_opt_name(size_t i, bool *has_value)
{
    if (i >= NOPTS)
        return NULL;
    *has_value = opts[i].has_value;
    return opts[i].name;
}

bool mvc_args_opt_applies(size_t opt, size_t cmd)
{
    return opt < NOPTS && cmd < NCMDS && (opts[opt].cmds & CMD_BIT(cmds[cmd].cmd));
}

bool mvc_args_opt_global(size_t opt)
{
    return opt < NOPTS && opts[opt].cmds == ALL_CMDS;
}
