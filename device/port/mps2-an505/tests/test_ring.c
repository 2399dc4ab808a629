/* Unit tests of the UART receive ring (secure/ring.c), built for the host. */
#include <criterion/criterion.h>
#include <string.h>

#include "ring.h"

static struct an505_ring ring;

static void setup(void)
{
    memset(&ring, 0xA5, sizeof ring); /* reset must not rely on zeroed memory */
    an505_ring_reset(&ring);
}

TestSuite(an505_ring, .init = setup);

Test(an505_ring, empty_after_reset_returns_nothing)
{
    uint8_t out[4];

    cr_assert_eq(an505_ring_used(&ring), 0);
    cr_assert_eq(an505_ring_get(&ring, out, sizeof out), 0);
}

Test(an505_ring, bytes_come_out_in_order)
{
    uint8_t out[3] = {0};

    cr_assert_eq(an505_ring_put(&ring, 'a'), 0);
    cr_assert_eq(an505_ring_put(&ring, 'b'), 0);
    cr_assert_eq(an505_ring_put(&ring, 'c'), 0);
    cr_assert_eq(an505_ring_get(&ring, out, 2), 2);
    cr_assert_eq(out[0], 'a');
    cr_assert_eq(out[1], 'b');
    cr_assert_eq(an505_ring_get(&ring, out, 3), 1);
    cr_assert_eq(out[0], 'c');
}

Test(an505_ring, full_ring_drops_and_counts)
{
    uint32_t i;

    for (i = 0; i < AN505_RING_SIZE; i++)
        cr_assert_eq(an505_ring_put(&ring, (uint8_t)i), 0);
    cr_assert_eq(an505_ring_put(&ring, 0xFF), -1);
    cr_assert_eq(ring.dropped, 1);
    cr_assert_eq(an505_ring_used(&ring), AN505_RING_SIZE);
}

Test(an505_ring, indexes_wrap_without_losing_bytes)
{
    static uint8_t out[AN505_RING_SIZE];
    uint32_t i;

    /* Start near the 32-bit wrap of the free-running counters. */
    ring.head = ring.tail = 0xFFFFFFF0u;
    for (i = 0; i < 40; i++)
        cr_assert_eq(an505_ring_put(&ring, (uint8_t)i), 0);
    cr_assert_eq(an505_ring_used(&ring), 40);
    cr_assert_eq(an505_ring_get(&ring, out, sizeof out), 40);
    for (i = 0; i < 40; i++)
        cr_assert_eq(out[i], (uint8_t)i);
}
