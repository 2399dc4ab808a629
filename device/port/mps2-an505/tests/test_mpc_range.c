/* Unit tests of the MPC lookup-table arithmetic (secure/mpc_range.c). */
#include <criterion/criterion.h>

#include "mpc_range.h"

/* 4 MiB of SSRAM1 in 1 KiB blocks: 4096 blocks = 128 LUT words. */
#define BLK 1024u
#define BLK_MAX 127u

Test(an505_mpc, upper_half_of_ssram1_is_words_64_to_127)
{
    struct an505_mpc_span s;

    cr_assert_eq(an505_mpc_span(0, BLK_MAX, BLK, 0x200000u, 0x200000u, &s), 0);
    cr_assert_eq(s.first_block, 2048);
    cr_assert_eq(s.nblocks, 2048);
    cr_assert_eq(an505_mpc_word_mask(&s, 63), 0);
    cr_assert_eq(an505_mpc_word_mask(&s, 64), 0xFFFFFFFFu);
    cr_assert_eq(an505_mpc_word_mask(&s, 127), 0xFFFFFFFFu);
}

Test(an505_mpc, partial_words_get_partial_masks)
{
    struct an505_mpc_span s;

    /* Blocks 30..33: two bits at the top of word 0, two at the bottom of word 1. */
    cr_assert_eq(an505_mpc_span(0, BLK_MAX, BLK, 30u * BLK, 4u * BLK, &s), 0);
    cr_assert_eq(an505_mpc_word_mask(&s, 0), 0xC0000000u);
    cr_assert_eq(an505_mpc_word_mask(&s, 1), 0x00000003u);
    cr_assert_eq(an505_mpc_word_mask(&s, 2), 0);
}

Test(an505_mpc, rejects_unaligned_empty_and_out_of_range)
{
    struct an505_mpc_span s;

    cr_assert_eq(an505_mpc_span(0, BLK_MAX, BLK, 100u, BLK, &s), -1);
    cr_assert_eq(an505_mpc_span(0, BLK_MAX, BLK, 0, 0, &s), -1);
    cr_assert_eq(an505_mpc_span(0, BLK_MAX, BLK, 0x3FFC00u, 2u * BLK, &s), -1);
    cr_assert_eq(an505_mpc_span(0x1000u, BLK_MAX, BLK, 0, BLK, &s), -1);
    cr_assert_eq(an505_mpc_span(0, BLK_MAX, 1000u, 0, 1000u, &s), -1);
}

Test(an505_mpc, huge_range_does_not_overflow)
{
    struct an505_mpc_span s;

    cr_assert_eq(an505_mpc_span(0, 0xFFFFFFFFu, BLK, 0xFFFFFC00u, BLK, &s), 0);
    cr_assert_eq(s.first_block, 0x3FFFFFu);
    cr_assert_eq(an505_mpc_span(0, BLK_MAX, BLK, 0xFFFFFC00u, BLK, &s), -1);
}
