/* Configuration parsing for mvrelay: defaults, then the --config file, then flags (a
 * flag always wins). Kept separate from main() so it can be unit tested. */
#include "mvr/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mvr/store.h"
#include "preauth.h"

void mvr_config_defaults(struct mvr_config *c)
{
    memset(c, 0, sizeof *c);
    strcpy(c->listen_addr, "127.0.0.1");
    c->listen_port = 7443;
    strcpy(c->api_addr, "127.0.0.1");
    c->api_port = 7444;
    c->ping_interval_s = 30;
    /* One relay among several: its host name tells them apart (a container's is unique). */
    if (gethostname(c->relay_name, sizeof c->relay_name) < 0 || !c->relay_name[0])
        strcpy(c->relay_name, "relay");
    c->relay_name[sizeof c->relay_name - 1] = '\0';
    c->overload_retry_ms = 10000;
    c->max_handshakes = 32;
    c->max_pending_per_address = MVR_PREAUTH_PER_ADDR;
    mvr_http_config_defaults(&c->http);
}

int mvr_parse_hostport(const char *s, char *addr, size_t cap, int *port)
{
    const char *colon = strrchr(s, ':');
    if (s[0] == '[') { /* [IPv6]:PORT */
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':' || close == s + 1 || (size_t)(close - s - 1) >= cap)
            return -1;
        char *end;
        long p = strtol(close + 2, &end, 10);
        if (*end || end == close + 2 || p < 1 || p > 65535)
            return -1;
        memcpy(addr, s + 1, (size_t)(close - s - 1));
        addr[close - s - 1] = '\0';
        *port = (int)p;
        return 0;
    }
    if (!colon || colon == s || (size_t)(colon - s) >= cap)
        return -1;
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || p < 1 || p > 65535)
        return -1;
    memcpy(addr, s, (size_t)(colon - s));
    addr[colon - s] = '\0';
    *port = (int)p;
    return 0;
}

static int add_name(struct mvr_config *c, const char *v, char *err, size_t errlen)
{
    if (c->n_names == MVR_MAX_NAMES || strlen(v) == 0 || strlen(v) >= sizeof c->names[0] ||
        strpbrk(v, ", \t")) {
        snprintf(err, errlen, "bad or too many server names: %s", v);
        return -1;
    }
    strcpy(c->names[c->n_names++], v);
    return 0;
}

static int set_key(struct mvr_config *c, const char *k, const char *v, char *err,
                   size_t errlen)
{
    if (!strcmp(k, "data_dir") || !strcmp(k, "data-dir")) {
        if (strlen(v) >= sizeof c->data_dir)
            goto bad;
        strcpy(c->data_dir, v);
        return 0;
    }
    if (!strcmp(k, "store")) {
        if (strlen(v) >= sizeof c->store || (v[0] && !mvr_store_is_url(v)))
            goto bad; /* a SQLite database is always relay.db in the data dir */
        strcpy(c->store, v);
        return 0;
    }
    if (!strcmp(k, "relay_name")) {
        if (!v[0] || strlen(v) >= sizeof c->relay_name || strpbrk(v, " \t\"=\\"))
            goto bad;
        strcpy(c->relay_name, v);
        return 0;
    }
    if (!strcmp(k, "listen"))
        return mvr_parse_hostport(v, c->listen_addr, sizeof c->listen_addr, &c->listen_port)
                   ? (snprintf(err, errlen, "listen: expected ADDR:PORT, got %s", v), -1)
                   : 0;
    if (!strcmp(k, "api_listen") || !strcmp(k, "api-listen"))
        return mvr_parse_hostport(v, c->api_addr, sizeof c->api_addr, &c->api_port)
                   ? (snprintf(err, errlen, "api-listen: expected ADDR:PORT, got %s", v), -1)
                   : 0;
    if (!strcmp(k, "server_name") || !strcmp(k, "server-name"))
        return add_name(c, v, err, errlen);
    if (!strcmp(k, "ping_interval_s")) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 1 || n > 3600)
            goto bad;
        c->ping_interval_s = (uint32_t)n;
        return 0;
    }
    if (!strcmp(k, "update_rate")) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 0 || n > 1000000000L)
            goto bad;
        c->update_rate = (uint32_t)n;
        return 0;
    }
    uint32_t *u = !strcmp(k, "max_sessions")        ? &c->max_sessions
                  : !strcmp(k, "overload_retry_ms") ? &c->overload_retry_ms
                  : !strcmp(k, "accept_rate")       ? &c->accept_rate
                  : !strcmp(k, "max_handshakes")    ? &c->max_handshakes
                  : !strcmp(k, "max_pending_per_address") ? &c->max_pending_per_address
                                                    : NULL;
    if (u) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || end == v || n < 0 || n > 100000000L)
            goto bad;
        *u = (uint32_t)n;
        return 0;
    }
    int mq = mvr_config_mqtt_set(c, k, v, err, errlen);
    if (mq != 1)
        return mq;
    int hrc = mvr_config_http_set(c, k, v, err, errlen);
    if (hrc != 1)
        return hrc;
    snprintf(err, errlen, "unknown setting: %s (a flag's name without '--', e.g. "
                          "api_listen; see mvrelay --help)", k);
    return -1;
bad:
    snprintf(err, errlen, "bad value for %s: %s", k, v);
    return -1;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* A value in matching double or single quotes (as in a shell or systemd environment
 * file) means the text between them; an unmatched quote is an error, not part of it. */
static int unquote(char **v, char *err, size_t errlen)
{
    size_t n = strlen(*v);
    char q = **v;
    if (q != '"' && q != '\'')
        return 0;
    if (n < 2 || (*v)[n - 1] != q) {
        snprintf(err, errlen, "unmatched %s quote in value %s", q == '"' ? "double" : "single",
                 *v);
        return -1;
    }
    (*v)[n - 1] = '\0';
    (*v)++;
    return 0;
}

/* A config line: "key = value", '#' comments. Errors name file and line, as mvcli's. */
static int config_line(struct mvr_config *c, char *line, const char *path, int lineno,
                       char *err, size_t errlen)
{
    char msg[512];
    char *s = trim(line), *eq = strchr(s, '='), *v;
    if (!*s || *s == '#')
        return 0;
    if (!eq) {
        snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
        return -1;
    }
    *eq = '\0';
    v = trim(eq + 1);
    if (unquote(&v, msg, sizeof msg) == 0 && set_key(c, trim(s), v, msg, sizeof msg) == 0)
        return 0;
    snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
    return -1;
}

int mvr_config_file(struct mvr_config *c, const char *path, char *err, size_t errlen)
{
    char line[4400];
    int lineno = 0, rc = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read config file %s: %s", path, strerror(errno));
        return -1;
    }
    while (rc == 0 && fgets(line, sizeof line, f))
        rc = config_line(c, line, path, ++lineno, err, errlen);
    fclose(f);
    return rc;
}

static const char usage[] =
    "usage: mvrelay --data-dir DIR [--listen ADDR:PORT] [--api-listen ADDR:PORT]\n"
    "               [--store postgres://USER@HOST:PORT/DB] [--relay-name NAME]\n"
    "               [--config FILE] [--server-name NAME]... [--ping-interval S]\n"
    "               [--update-rate BYTES_PER_S] [--max-sessions N]\n"
    "               [--overload-retry-ms MS] [--accept-rate PER_S]\n"
    "               [--max-handshakes N] [--max-pending-per-address N]\n"
    "               [--http-allow RULE]... [--http-allow-plain HOST[:PORT]]...\n"
    "               [--http-ca-file FILE] [--http-max-transfers N]\n"
    "               [--http-rate-per-device PER_MIN] [--http-rate-burst N]\n"
    "               [--http-resolve HOST:PORT:ADDR]... (testing only)\n"
    "               [--mqtt-broker HOST:PORT] [--mqtt-allow HOST:PORT|HOST:*]...\n";

/* Whether key names a setting, whatever its value: set on a scratch copy. */
static int known_key(const char *key)
{
    static struct mvr_config scratch;
    char err[256];
    mvr_config_defaults(&scratch);
    return set_key(&scratch, key, "", err, sizeof err) == 0 ||
           strncmp(err, "unknown setting", 15) != 0;
}

/* "--foo-bar" names the file key "foo_bar"; a few flags keep their historic spelling. */
static void flag_key(const char *flag, char *key, size_t cap)
{
    static const char *const alias[][2] = {{"--ping-interval", "ping_interval_s"}};
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (!strcmp(flag, alias[i][0])) {
            snprintf(key, cap, "%s", alias[i][1]);
            return;
        }
    snprintf(key, cap, "%s", flag + 2);
    for (char *p = key; *p; p++)
        if (*p == '-')
            *p = '_';
}

int mvr_config_args(struct mvr_config *c, int argc, char **argv, char *err, size_t errlen)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("mvrelay %s\n", MV_VERSION);
            return 1;
        }
        if (!strcmp(argv[i], "--config") || !strncmp(argv[i], "--config=", 9)) {
            i += argv[i][8] == '=' ? 0 : 1; /* applied by main before the other flags */
            continue;
        }
        /* "--flag value" or "--flag=value". */
        char flag[64], key[64];
        const char *eq = strchr(argv[i], '=');
        size_t flen = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        if (strncmp(argv[i], "--", 2) || flen >= sizeof flag) {
            snprintf(err, errlen, "%s: unknown option\n%s", argv[i], usage);
            return -1;
        }
        memcpy(flag, argv[i], flen);
        flag[flen] = '\0';
        flag_key(flag, key, sizeof key);
        if (!eq && i + 1 >= argc) {
            snprintf(err, errlen, "%s: %s\n%s", flag,
                     known_key(key) ? "missing value" : "unknown option", usage);
            return -1;
        }
        if (set_key(c, key, eq ? eq + 1 : argv[++i], err, errlen) < 0) {
            if (!strncmp(err, "unknown setting", 15))
                snprintf(err, errlen, "%s: unknown option\n%s", flag, usage);
            return -1;
        }
    }
    if (!c->data_dir[0]) {
        snprintf(err, errlen, "--data-dir is required\n%s", usage);
        return -1;
    }
    return 0;
}
