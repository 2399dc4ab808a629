/* Reconnect backoff: exponential ceiling capped at 30 s (5 s right after a session),
 * full jitter within it, floor against tight loops, GOAWAY delay with bounded jitter. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "backoff.h"
#include "conn_limits.h"

Test(backoff, ceiling_doubles_then_caps)
{
    cr_assert_eq(mvk_backoff_ceiling_ms(0, MVK_BACKOFF_CAP_MS), 500);
    cr_assert_eq(mvk_backoff_ceiling_ms(1, MVK_BACKOFF_CAP_MS), 1000);
    cr_assert_eq(mvk_backoff_ceiling_ms(5, MVK_BACKOFF_CAP_MS), 16000);
    cr_assert_eq(mvk_backoff_ceiling_ms(6, MVK_BACKOFF_CAP_MS), 30000);
    cr_assert_eq(mvk_backoff_ceiling_ms(1000, MVK_BACKOFF_CAP_MS), 30000);
}

Test(backoff, recent_cap_bounds_the_ceiling)
{
    cr_assert_eq(mvk_backoff_ceiling_ms(0, MVK_BACKOFF_RECENT_CAP_MS), 500);
    cr_assert_eq(mvk_backoff_ceiling_ms(3, MVK_BACKOFF_RECENT_CAP_MS), 4000);
    cr_assert_eq(mvk_backoff_ceiling_ms(4, MVK_BACKOFF_RECENT_CAP_MS), MVK_BACKOFF_RECENT_CAP_MS);
    cr_assert_eq(mvk_backoff_ceiling_ms(1000, MVK_BACKOFF_RECENT_CAP_MS),
                 MVK_BACKOFF_RECENT_CAP_MS);
}

Test(backoff, delay_stays_within_floor_and_ceiling)
{
    static const uint32_t draws[] = {0, 1, 499, 500, 501, 12345, 0x7fffffffu, UINT32_MAX};
    for (uint32_t a = 0; a < 40; a++) {
        for (size_t i = 0; i < sizeof(draws) / sizeof(draws[0]); i++) {
            uint32_t d = mvk_backoff_delay_ms(a, MVK_BACKOFF_CAP_MS, draws[i]);
            cr_assert_geq(d, MVK_BACKOFF_FLOOR_MS);
            cr_assert_leq(d, MVK_BACKOFF_FLOOR_MS + mvk_backoff_ceiling_ms(a, MVK_BACKOFF_CAP_MS));
        }
    }
    cr_assert_eq(mvk_backoff_delay_ms(0, MVK_BACKOFF_CAP_MS, 500), MVK_BACKOFF_FLOOR_MS + 500,
                 "reaches ceiling");
    cr_assert_eq(mvk_backoff_delay_ms(0, MVK_BACKOFF_CAP_MS, 501), MVK_BACKOFF_FLOOR_MS,
                 "full jitter wraps to 0");
}

Test(backoff, goaway_adds_bounded_jitter_and_saturates)
{
    cr_assert_eq(mvk_backoff_goaway_ms(2000, 0), 2000);
    cr_assert_eq(mvk_backoff_goaway_ms(2000, MVK_GOAWAY_JITTER_MS), 2000 + MVK_GOAWAY_JITTER_MS);
    cr_assert_leq(mvk_backoff_goaway_ms(2000, UINT32_MAX), 2000 + MVK_GOAWAY_JITTER_MS);
    cr_assert_eq(mvk_backoff_goaway_ms(UINT32_MAX - 1, 5), UINT32_MAX);
}
