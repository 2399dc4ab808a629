/* The static TLS arena: zeroed, aligned allocations, bounded, memory reusable after
 * free (adjacent free blocks merge). */
#include <criterion/criterion.h>
#include <stdint.h>

#include "tls_arena.h"

Test(tls_arena, allocates_zeroed_aligned_and_frees)
{
    size_t before = mvk_tls_arena_used();
    uint8_t *a = mvk_tls_arena_calloc(3, 100);
    cr_assert_not_null(a);
    cr_assert_eq((uintptr_t)a % 16, 0);
    for (int i = 0; i < 300; i++)
        cr_assert_eq(a[i], 0);
    a[0] = 1;
    cr_assert_gt(mvk_tls_arena_used(), before);
    mvk_tls_arena_free(a);
    cr_assert_eq(mvk_tls_arena_used(), before);
    mvk_tls_arena_free(NULL);
}

Test(tls_arena, bounded_and_reusable_after_free)
{
    void *big = mvk_tls_arena_calloc(1, MVK_TLS_ARENA_SIZE / 2);
    void *big2 = mvk_tls_arena_calloc(1, MVK_TLS_ARENA_SIZE / 2);
    cr_assert_not_null(big);
    cr_assert_null(big2, "two halves plus headers cannot fit");
    cr_assert_null(mvk_tls_arena_calloc(SIZE_MAX / 2, 4), "overflow refused");
    cr_assert_null(mvk_tls_arena_calloc(0, 4));
    void *small[8];
    for (int i = 0; i < 8; i++)
        cr_assert_not_null(small[i] = mvk_tls_arena_calloc(1, 1000));
    mvk_tls_arena_free(big);
    for (int i = 0; i < 8; i++)
        mvk_tls_arena_free(small[i]);
    cr_assert_eq(mvk_tls_arena_used(), 0);
    void *all = mvk_tls_arena_calloc(1, MVK_TLS_ARENA_SIZE - 64);
    cr_assert_not_null(all, "free blocks merged back into one");
    mvk_tls_arena_free(all);
}
