/* mvcli settings resolution: flag > environment > config file > default.
 * The config file is a list of "name = value" lines with '#' comments; an
 * unknown name is an error so that a typo does not silently fall back. */
#include "mvc/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static int set_value(char *dst, const char *src, const char *what, char *err, size_t errlen)
{
    size_t n = strlen(src);
    if (n >= MVC_CONFIG_VALUE_MAX) {
        snprintf(err, errlen, "%s is too long (%zu bytes, at most %d)", what, n,
                 MVC_CONFIG_VALUE_MAX - 1);
        return -1;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

static char *field_of(struct mvc_config *c, const char *name)
{
    if (strcmp(name, "url") == 0)
        return c->url;
    if (strcmp(name, "token") == 0)
        return c->token;
    if (strcmp(name, "cacert") == 0)
        return c->cacert;
    return NULL;
}

static int parse_line(struct mvc_config *c, char *line, const char *path, int lineno, char *err,
                      size_t errlen)
{
    char *s = trim(line);
    if (*s == '\0' || *s == '#')
        return 0;
    char *eq = strchr(s, '=');
    if (!eq) {
        snprintf(err, errlen, "%s:%d: expected 'name = value'", path, lineno);
        return -1;
    }
    *eq = '\0';
    char *name = trim(s);
    char *value = trim(eq + 1);
    char *dst = field_of(c, name);
    size_t vlen = strlen(value);
    /* "value" or 'value', as in a shell or environment file: the text inside. */
    if (vlen > 0 && (value[0] == '"' || value[0] == '\'')) {
        if (vlen < 2 || value[vlen - 1] != value[0]) {
            snprintf(err, errlen, "%s:%d: unmatched quote in the value of '%s'", path, lineno,
                     name);
            return -1;
        }
        value[vlen - 1] = '\0';
        value++;
    }
    if (!dst) {
        snprintf(err, errlen, "%s:%d: unknown setting '%s' (url, token or cacert)", path, lineno,
                 name);
        return -1;
    }
    return set_value(dst, value, name, err, errlen);
}

/* The token is the relay's admin key: a file holding it that other users can read is
 * pointed out, as ssh does for private keys (a warning: mvcli still runs). */
static void warn_if_shared(FILE *f, const char *path, const struct mvc_config *c)
{
    struct stat sb;
    if (c->token[0] && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
        (sb.st_mode & (S_IRGRP | S_IROTH)))
        fprintf(stderr, "mvcli: warning: %s holds the admin token and other users can read "
                        "it (mode %03o): chmod 600 %s\n",
                path, (unsigned)(sb.st_mode & 0777), path);
}

static int read_file(struct mvc_config *c, const char *path, char *err, size_t errlen)
{
    int rc = 0, lineno = 0;
    char line[MVC_CONFIG_VALUE_MAX + 64];
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s:%d: line too long", path, lineno);
            rc = -1;
            goto out;
        }
        if (parse_line(c, line, path, lineno, err, errlen) != 0) {
            rc = -1;
            goto out;
        }
    }
    if (ferror(f)) {
        snprintf(err, errlen, "cannot read %s", path);
        rc = -1;
    }
    warn_if_shared(f, path, c);
out:
    fclose(f);
    return rc;
}

/* Applies the first non-NULL, non-empty candidate over the file's value. */
static int override(char *dst, const char *flag, const char *env, const char *what, char *err,
                    size_t errlen)
{
    if (flag)
        return set_value(dst, flag, what, err, errlen);
    if (env && *env)
        return set_value(dst, env, what, err, errlen);
    return 0;
}

/* The mistakes people make with the API URL, each named before any request is made. */
static int check_url(const char *url, char *err, size_t errlen)
{
    size_t n = strlen(url);
    if (!strncmp(url, "http://", 7)) {
        snprintf(err, errlen, "%s: the API is HTTPS: use https://%s", url, url + 7);
        return -1;
    }
    if (strncmp(url, "https://", 8)) {
        snprintf(err, errlen, "%s: the API is HTTPS: use https://%s", url, url);
        return -1;
    }
    if (n >= 3 && !strcmp(url + n - 3, "/v1")) {
        snprintf(err, errlen, "%s: give the relay's base URL, without /v1 (https://HOST:PORT)",
                 url);
        return -1;
    }
    return 0;
}

int mvc_config_resolve(struct mvc_config *c, const struct mvc_config_sources *s, char *err,
                       size_t errlen)
{
    memset(c, 0, sizeof(*c));
    if (s->file && read_file(c, s->file, err, errlen) != 0)
        return -1;
    if (override(c->url, s->flag_url, s->env_url, "url", err, errlen) != 0 ||
        override(c->token, s->flag_token, s->env_token, "token", err, errlen) != 0 ||
        override(c->cacert, s->flag_cacert, s->env_cacert, "cacert", err, errlen) != 0)
        return -1;
    if (c->url[0] == '\0')
        strcpy(c->url, MVC_DEFAULT_URL);
    /* A trailing slash would double up with the API's absolute paths. */
    size_t n = strlen(c->url);
    while (n > 0 && c->url[n - 1] == '/')
        c->url[--n] = '\0';
    return check_url(c->url, err, errlen);
}

void mvc_config_sources_from_env(struct mvc_config_sources *s, char *path, size_t pathlen)
{
    s->env_url = getenv("MVCLI_URL");
    s->env_token = getenv("MVCLI_TOKEN");
    s->env_cacert = getenv("MVCLI_CACERT");
    const char *cfg = getenv("MVCLI_CONFIG");
    const char *home = getenv("HOME");
    s->file = NULL;
    if (cfg && *cfg) {
        s->file = cfg;
    } else if (home && *home) {
        int n = snprintf(path, pathlen, "%s/.config/mvcli/config", home);
        if (n > 0 && (size_t)n < pathlen)
            s->file = path;
    }
}
