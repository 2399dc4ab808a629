/* Tests of time parsing and formatting (src/timefmt.c): every shape a user may type,
 * durations before now, local time, and what is refused. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <time.h>

#include "mvc/timefmt.h"

#define NOW ((time_t)1767225600) /* 2026-01-01T00:00:00Z */
static const struct mvc_time now = {NOW, 0};

static struct mvc_time parse_ok(const char *s, bool local)
{
    struct mvc_time t;
    cr_assert_eq(mvc_time_parse(s, local, &now, &t), 0, "refused '%s'", s);
    return t;
}

static void set_tz(void)
{
    setenv("TZ", "UTC-2", 1); /* two hours east of UTC */
    tzset();
}

TestSuite(timefmt, .init = set_tz);

Test(timefmt, rfc3339_with_offsets_and_fractions)
{
    cr_assert_eq(parse_ok("2026-01-01T00:00:00Z", false).sec, NOW);
    cr_assert_eq(parse_ok("2026-01-01T02:00:00+02:00", false).sec, NOW);
    cr_assert_eq(parse_ok("2025-12-31T23:00:00-0100", false).sec, NOW);
    struct mvc_time t = parse_ok("2026-01-01T00:00:00.123456789Z", false);
    cr_assert_eq(t.sec, NOW);
    cr_assert_eq(t.usec, 123456);
}

Test(timefmt, short_forms_are_utc_unless_local)
{
    cr_assert_eq(parse_ok("2026-01-01", false).sec, NOW);
    cr_assert_eq(parse_ok("2026-01-01 00:00", false).sec, NOW);
    cr_assert_eq(parse_ok("2026-01-01 02:00", true).sec, NOW, "local is UTC+2 here");
    cr_assert_eq(parse_ok("2026-01-01T00:00:00Z", true).sec, NOW, "an offset wins over local");
}

Test(timefmt, durations_before_now)
{
    cr_assert_eq(parse_ok("30s", false).sec, NOW - 30);
    cr_assert_eq(parse_ok("10m", false).sec, NOW - 600);
    cr_assert_eq(parse_ok("2h", false).sec, NOW - 7200);
    cr_assert_eq(parse_ok("7d", false).sec, NOW - 7 * 86400);
    struct mvc_time t, n = {NOW, 250};
    cr_assert_eq(mvc_time_parse("0s", false, &n, &t), 0);
    cr_assert_eq(t.usec, 250, "now to the microsecond");
    cr_assert_eq(mvc_time_parse("10m", false, NULL, &t), -1, "no durations without a now");
}

Test(timefmt, refuses_what_is_not_a_time)
{
    static const char *const bad[] = {"",           "10",          "10x",       "-5m",
                                      "m",          "2026-13-01",  "2026-01-32", "2026-1-1",
                                      "2026-01-01T25:00", "2026-01-01T10:00Zjunk",
                                      "seq:0123456789abcdef:4", "2026-01-01T10:00:00.Z"};
    struct mvc_time t;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(mvc_time_parse(bad[i], false, &now, &t), -1, "accepted '%s'", bad[i]);
}

Test(timefmt, format_utc_and_local)
{
    char buf[64];
    struct mvc_time t = {NOW, 42};
    mvc_time_format(&t, false, buf, sizeof buf);
    cr_assert_str_eq(buf, "2026-01-01T00:00:00.000042Z");
    mvc_time_format(&t, true, buf, sizeof buf);
    cr_assert_str_eq(buf, "2026-01-01T02:00:00.000042+02:00");
}

Test(timefmt, compare)
{
    struct mvc_time a = {NOW, 1}, b = {NOW, 2}, c = {NOW + 1, 0};
    cr_assert_eq(mvc_time_cmp(&a, &b), -1);
    cr_assert_eq(mvc_time_cmp(&c, &b), 1);
    cr_assert_eq(mvc_time_cmp(&a, &a), 0);
}
