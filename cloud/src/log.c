/* Structured logging for the relay: one line per event on stderr, logfmt style, so
 * operators can grep by device= or level= and tests can wait for known messages. */
#include "mvr/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static enum mvr_level min_level = MVR_INFO;
static char relay[72]; /* " relay=NAME" or "" */

void mvr_log_set_level(enum mvr_level lvl) { min_level = lvl; }

void mvr_log_set_relay(const char *name)
{
    snprintf(relay, sizeof relay, "%s%.60s", name && name[0] ? " relay=" : "",
             name ? name : "");
}

static const char *level_name(enum mvr_level lvl)
{
    switch (lvl) {
    case MVR_DEBUG: return "debug";
    case MVR_INFO: return "info";
    case MVR_WARN: return "warn";
    default: return "error";
    }
}

void mvr_log(enum mvr_level lvl, const char *msg, const char *fmt, ...)
{
    if (lvl < min_level)
        return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    /* The store's writer thread logs too: hold stderr's lock so that the parts of one
     * line are never interleaved with another thread's line. */
    flockfile(stderr);
    fprintf(stderr, "ts=%s.%06ldZ level=%s%s msg=\"%s\"", ts, (long)tv.tv_usec,
            level_name(lvl), relay, msg);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        fputc(' ', stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
    funlockfile(stderr);
}

char *mvr_log_esc(const void *in, size_t n, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = in;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out[o++] = (char)c;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    if (cap)
        out[o < cap ? o : cap - 1] = '\0';
    return out;
}
