/* mvdevice's connection-failure rate limit (port/host/diag_limit.c), with time passed
 * in: the same failure is printed once per MVK_HOST_DIAG_REPEAT_US, a different one
 * at once unless the previous line is younger than MVK_HOST_DIAG_MIN_GAP_US. */
#include <criterion/criterion.h>

#include "diag_limit.h"

#define S 1000000ull

Test(diag_limit, first_failure_is_printed)
{
    struct mvk_host_diag_limit l = {0};
    uint32_t held = 99;

    cr_expect(mvk_host_diag_should_print(&l, 1, -111, 5 * S, &held));
    cr_expect_eq(held, 0u);
}

Test(diag_limit, down_relay_repeating_the_same_failure_prints_once_per_interval)
{
    struct mvk_host_diag_limit l = {0};
    uint32_t held = 0;
    int lines = 0;

    /* An attempt every 0.5 s for just under one interval: one line. */
    for (uint64_t t = 0; t < MVK_HOST_DIAG_REPEAT_US; t += S / 2)
        lines += mvk_host_diag_should_print(&l, 1, -111, 1 + t, &held);
    cr_expect_eq(lines, 1);
    /* The reminder comes with the count of what was held back. */
    cr_expect(mvk_host_diag_should_print(&l, 1, -111, 1 + MVK_HOST_DIAG_REPEAT_US, &held));
    cr_expect_eq(held, (uint32_t)(MVK_HOST_DIAG_REPEAT_US / (S / 2) - 1));
    cr_expect(!mvk_host_diag_should_print(&l, 1, -111, 2 + MVK_HOST_DIAG_REPEAT_US, &held));
}

Test(diag_limit, a_different_failure_is_news_after_the_minimum_gap)
{
    struct mvk_host_diag_limit l = {0};
    uint32_t held = 0;

    cr_assert(mvk_host_diag_should_print(&l, 1, -111, 10 * S, &held));
    cr_expect(!mvk_host_diag_should_print(&l, 2, -0x7780, 10 * S + MVK_HOST_DIAG_MIN_GAP_US - 1,
                                          &held));
    cr_expect(mvk_host_diag_should_print(&l, 2, -0x7780, 10 * S + MVK_HOST_DIAG_MIN_GAP_US,
                                         &held));
    cr_expect_eq(held, 1u);
    /* Same kind, other detail: also a different failure. */
    cr_expect(mvk_host_diag_should_print(&l, 2, -0x2700, 12 * S + MVK_HOST_DIAG_MIN_GAP_US,
                                         &held));
    cr_expect_eq(held, 0u);
}
