/* Times on mvcli's command line (--since, --until) and in its output. The API speaks
 * RFC 3339 in UTC; users type times in several shapes, relative ("10m" ago) or in their
 * own time zone (--local), and may want to read them that way. */
#ifndef MVC_TIMEFMT_H
#define MVC_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct mvc_time {
    int64_t sec; /* since the epoch, UTC */
    long usec;
};

/* Parses a time given by a user: RFC 3339 ("2026-11-23T10:00:00.25Z", "+02:00"), with 'T'
 * or a blank between date and time, seconds and fraction optional, or a date alone; a
 * time without an offset is UTC, or local time when local is set. Also a duration before
 * now: "30s", "10m", "2h", "7d" (refused when now is NULL). Returns 0, or -1 when s is
 * none of these. */
int mvc_time_parse(const char *s, bool local, const struct mvc_time *now, struct mvc_time *out);

/* The current time, to the microsecond. */
struct mvc_time mvc_time_now(void);

/* Writes t as RFC 3339 with microseconds: "...Z" in UTC, or local time with its offset
 * ("+01:00") when local is set. */
void mvc_time_format(const struct mvc_time *t, bool local, char *buf, size_t cap);

/* -1, 0 or 1 as a is before, equal to or after b. */
int mvc_time_cmp(const struct mvc_time *a, const struct mvc_time *b);

#endif
