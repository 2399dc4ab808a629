/* Time parsing and formatting for mvcli: one parser for everything a user may type as
 * a time, and one formatter, so that --since, --until and --local agree. */
#include "mvc/timefmt.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

/* "30s", "10m", "2h", "7d": that long before now. */
static int parse_ago(const char *s, const struct mvc_time *now, struct mvc_time *out)
{
    static const struct {
        char unit;
        long secs;
    } units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
    char *end;
    if (!now || !isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (errno || end[0] == '\0' || end[1] != '\0')
        return -1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (*end != units[i].unit)
            continue;
        if (n > 100L * 365 * 86400 / units[i].secs)
            return -1;
        *out = (struct mvc_time){now->sec - (int64_t)n * units[i].secs, now->usec};
        return 0;
    }
    return -1;
}

/* ".123456": microseconds, extra digits ignored. */
static int parse_frac(const char **p, long *usec)
{
    long scale = 100000;
    int nd = 0;
    *usec = 0;
    if (**p != '.')
        return 0;
    for ((*p)++; isdigit((unsigned char)**p); (*p)++, nd++) {
        *usec += (**p - '0') * scale;
        scale /= 10;
    }
    return nd > 0 ? 0 : -1;
}

/* "Z", "+hh:mm", "-hhmm", or nothing (has_off = 0). */
static int parse_offset(const char **p, long *off, bool *has_off)
{
    int h, m;
    *off = 0;
    *has_off = true;
    if (**p == 'Z' || **p == 'z') {
        (*p)++;
        return 0;
    }
    if (**p != '+' && **p != '-') {
        *has_off = false;
        return 0;
    }
    int sign = **p == '-' ? -1 : 1;
    (*p)++;
    if (digits(p, 2, &h))
        return -1;
    if (**p == ':')
        (*p)++;
    if (digits(p, 2, &m) || h > 23 || m > 59)
        return -1;
    *off = sign * (h * 3600L + m * 60L);
    return 0;
}

struct mvc_time mvc_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (struct mvc_time){(int64_t)ts.tv_sec, ts.tv_nsec / 1000};
}

int mvc_time_parse(const char *s, bool local, const struct mvc_time *now, struct mvc_time *out)
{
    struct tm tm = {0};
    const char *p = s;
    long usec = 0, off;
    bool has_off;

    if (parse_ago(s, now, out) == 0)
        return 0;
    if (digits(&p, 4, &tm.tm_year) || *p++ != '-' || digits(&p, 2, &tm.tm_mon) ||
        *p++ != '-' || digits(&p, 2, &tm.tm_mday))
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (digits(&p, 2, &tm.tm_hour) || *p++ != ':' || digits(&p, 2, &tm.tm_min))
            return -1;
        if (*p == ':' && (p++, digits(&p, 2, &tm.tm_sec) || parse_frac(&p, &usec)))
            return -1;
    }
    if (parse_offset(&p, &off, &has_off) || *p != '\0')
        return -1;
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t;
    if (!has_off && local) {
        tm.tm_isdst = -1;
        t = mktime(&tm);
    } else {
        t = timegm(&tm) - off;
    }
    *out = (struct mvc_time){(int64_t)t, usec};
    return 0;
}

void mvc_time_format(const struct mvc_time *t, bool local, char *buf, size_t cap)
{
    struct tm tm;
    time_t s = (time_t)t->sec;
    char date[32], zone[8] = "Z";
    if (local) {
        localtime_r(&s, &tm);
        long off = tm.tm_gmtoff, a = off < 0 ? -off : off;
        snprintf(zone, sizeof(zone), "%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600 % 100,
                 a / 60 % 60);
    } else {
        gmtime_r(&s, &tm);
    }
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, cap, "%s.%06ld%s", date, t->usec, zone);
}

int mvc_time_cmp(const struct mvc_time *a, const struct mvc_time *b)
{
    if (a->sec != b->sec)
        return a->sec < b->sec ? -1 : 1;
    if (a->usec != b->usec)
        return a->usec < b->usec ? -1 : 1;
    return 0;
}
