/* The boards' console number formatting (fmt_num.c): both forms at their edges, and
 * that nothing is written outside the buffer. */
#include <criterion/criterion.h>
#include <string.h>

#include "fmt_num.h"

/* A buffer with a guard byte on each side, to catch writes out of bounds. */
struct guarded {
    char before;
    char buf[PORT_FMT_NUM_LEN];
    char after;
};

static const char *dec(struct guarded *g, uint32_t v)
{
    memset(g, '#', sizeof *g);
    return port_fmt_dec(v, g->buf);
}

Test(fmt_num, decimal_zero_and_small)
{
    struct guarded g;

    cr_assert_str_eq(dec(&g, 0), "0");
    cr_assert_str_eq(dec(&g, 7), "7");
    cr_assert_str_eq(dec(&g, 10), "10");
    cr_assert_str_eq(dec(&g, 4096), "4096");
}

Test(fmt_num, decimal_largest_fills_the_buffer_exactly)
{
    struct guarded g;
    const char *s = dec(&g, UINT32_MAX);

    cr_assert_str_eq(s, "4294967295");
    cr_assert_eq(s, g.buf, "ten digits start at the buffer's first byte");
    cr_assert_eq(g.before, '#');
    cr_assert_eq(g.after, '#');
}

Test(fmt_num, hex_is_zero_padded_lower_case)
{
    struct guarded g;

    memset(&g, '#', sizeof g);
    cr_assert_str_eq(port_fmt_hex(0, g.buf), "0x00000000");
    cr_assert_str_eq(port_fmt_hex(0x1234ABCDu, g.buf), "0x1234abcd");
    cr_assert_str_eq(port_fmt_hex(UINT32_MAX, g.buf), "0xffffffff");
    cr_assert_eq(g.before, '#');
    cr_assert_eq(g.after, '#');
}
