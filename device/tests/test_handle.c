/* Handle table and DRBG (handle.c, rand.c). */
#include <criterion/criterion.h>

#include "fakes.h"
#include "handle.h"
#include "mvk_limits.h"
#include "rand.h"

TestSuite(handle, .init = kt_boot);

Test(handle, alloc_gives_nonzero_value_found_with_its_type)
{
    uint32_t h = 0, idx = 99;

    cr_assert_eq(mvk_handle_alloc(MVK_H_CHANNEL, 3, &h), 0);
    cr_expect_neq(h, 0u);
    cr_expect_eq(mvk_handle_lookup(h, MVK_H_CHANNEL, &idx), 0);
    cr_expect_eq(idx, 3u);
}

Test(handle, wrong_type_is_refused)
{
    uint32_t h = 0, idx;

    cr_assert_eq(mvk_handle_alloc(MVK_H_NOTIFY, 0, &h), 0);
    cr_expect_eq(mvk_handle_lookup(h, MVK_H_CHANNEL, &idx), -1);
}

Test(handle, freed_and_zero_handles_are_refused)
{
    uint32_t h = 0, idx;

    cr_assert_eq(mvk_handle_alloc(MVK_H_NETWORK, 0, &h), 0);
    mvk_handle_free(h);
    cr_expect_eq(mvk_handle_lookup(h, MVK_H_NETWORK, &idx), -1);
    cr_expect_eq(mvk_handle_lookup(0, MVK_H_NETWORK, &idx), -1);
}

Test(handle, values_are_distinct_and_table_is_bounded)
{
    uint32_t v[MVK_MAX_HANDLES], extra;

    for (uint32_t i = 0; i < MVK_MAX_HANDLES; i++) {
        cr_assert_eq(mvk_handle_alloc(MVK_H_FLASH, i, &v[i]), 0);
        for (uint32_t j = 0; j < i; j++)
            cr_assert_neq(v[i], v[j]);
    }
    cr_expect_eq(mvk_handle_alloc(MVK_H_FLASH, 0, &extra), -1);
}

Test(handle, api_pointer_wider_than_32_bits_is_invalid)
{
    cr_expect_eq(mvk_handle_value((void *)(uintptr_t)0x12345678u), 0x12345678u);
    if (sizeof(void *) > 4)
        cr_expect_eq(mvk_handle_value((void *)((uintptr_t)1 << 32 | 5u)), 0u);
}

Test(handle, random_values_differ)
{
    uint64_t a = 0, b = 0;

    cr_assert_eq(mvk_rand_u64(&a), 0);
    cr_assert_eq(mvk_rand_u64(&b), 0);
    cr_expect_neq(a, b);
}

Test(handle, kernel_refuses_to_start_without_entropy)
{
    fake_port_entropy_fail(1);
    cr_expect_eq(mvk_rand_init(), -1);
    uint32_t h;
    cr_expect_eq(mvk_handle_alloc(MVK_H_CHANNEL, 0, &h), -1);
}
