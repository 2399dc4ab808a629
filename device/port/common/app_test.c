/* Test-application checks shared by the emulated boards' port test applications
 * (app_test.h). */
#include "app_test.h"
#include "console.h"
#include "mv_syscalls.h"

int app_test_report(int ok, const char *what)
{
    ns_puts(ok ? "ok   " : "FAIL ");
    ns_puts(what);
    ns_puts("\n");
    return ok;
}

/* Time never goes backwards, and advances while the application computes. Under
 * QEMU without -icount a timer expiry can be processed late (the counter stands still
 * meanwhile), so "advances" allows a generous spin; the e2e tests run with -icount,
 * where virtual time is exactly instruction-driven. */
uint32_t app_test_time(void)
{
    uint64_t prev = 0, now = 0;
    uint32_t i, backwards = 0, errors = 0, failed = 0;

    for (i = 0; i < 1000u; i++) {
        errors += mvGetMicroseconds(&now) != MV_STATUS_OKAY;
        backwards += now < prev;
        prev = now;
    }
    failed += !app_test_report(errors == 0, "mvGetMicroseconds returns OKAY");
    failed += !app_test_report(backwards == 0, "time never goes backwards");
    for (i = 0; i < 10000000u && now == prev; i++)
        (void)mvGetMicroseconds(&now);
    failed += !app_test_report(now > prev, "time advances");
    return failed;
}
