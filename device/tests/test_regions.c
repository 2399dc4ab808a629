/* Host port region checks (device/port/host/regions.c): the basis of every
 * PARAMETERFAULT the kernel returns. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "port.h"
#include "regions.h"

static uint8_t rw[64], ro[64], other[64];

static void setup(void)
{
    mvk_host_regions_clear();
    cr_assert_eq(mvk_host_region_add(rw, sizeof rw, MVK_HOST_RW), 0);
    cr_assert_eq(mvk_host_region_add(ro, sizeof ro, MVK_HOST_RO), 0);
}

TestSuite(regions, .init = setup);

Test(regions, whole_rw_region_is_readable_and_writable)
{
    cr_expect(mvk_port_app_readable(rw, sizeof rw));
    cr_expect(mvk_port_app_writable(rw, sizeof rw));
}

Test(regions, ro_region_is_not_writable)
{
    cr_expect(mvk_port_app_readable(ro, 8));
    cr_expect_not(mvk_port_app_writable(ro, 8));
}

Test(regions, range_running_past_the_end_is_refused)
{
    cr_expect_not(mvk_port_app_readable(rw + 60, 8));
}

Test(regions, unregistered_memory_is_refused)
{
    cr_expect_not(mvk_port_app_readable(other, 1));
    cr_expect_not(mvk_port_app_writable(other, 0));
}

Test(regions, null_is_refused_even_with_zero_length)
{
    cr_expect_not(mvk_port_app_readable(NULL, 0));
}

Test(regions, wrapping_range_is_refused)
{
    cr_expect_not(mvk_port_app_readable(rw + 1, SIZE_MAX));
    cr_expect_not(mvk_port_app_readable((void *)(UINTPTR_MAX - 4), 16));
}

Test(regions, zero_length_checks_the_pointer_alone)
{
    cr_expect(mvk_port_app_writable(rw + 63, 0));
    cr_expect_not(mvk_port_app_writable(rw + 64, 0));
}

Test(regions, table_has_a_limit_and_refuses_bad_ranges)
{
    cr_expect_eq(mvk_host_region_add(NULL, 4, MVK_HOST_RW), -1);
    cr_expect_eq(mvk_host_region_add(other, 0, MVK_HOST_RW), -1);
    for (int i = 2; i < MVK_HOST_MAX_REGIONS; i++)
        cr_assert_eq(mvk_host_region_add(other, 1, MVK_HOST_RW), 0);
    cr_expect_eq(mvk_host_region_add(other, 1, MVK_HOST_RW), -1);
}
