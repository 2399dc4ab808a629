/* Time and identity calls (sys_clock.c, clock.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "fakes.h"

TestSuite(clock, .init = kt_boot);

Test(clock, noop_is_okay)
{
    cr_expect_eq(mvNoOp(), MV_STATUS_OKAY);
}

Test(clock, microseconds_come_from_the_port)
{
    uint64_t *t = kt_alloc(sizeof *t);

    fake_port_set_now(42);
    cr_assert_eq(mvGetMicroseconds(t), MV_STATUS_OKAY);
    cr_expect_eq(*t, 42u);
}

/* Aligned pointers take a typed store, misaligned ones a byte copy: both must write
 * the same eight bytes and nothing around them. */
Test(clock, microseconds_written_at_every_alignment)
{
    uint8_t *b = kt_alloc(24);
    const uint64_t now = 0x0123456789abcdefull;

    fake_port_set_now(now);
    for (size_t off = 0; off < 8; off++) {
        uint64_t got;

        memset(b, 0xA5, 24);
        cr_assert_eq(mvGetMicroseconds((uint64_t *)(void *)(b + 8 + off)), MV_STATUS_OKAY);
        memcpy(&got, b + 8 + off, sizeof got);
        cr_expect_eq(got, now, "offset %zu", off);
        cr_expect_eq(b[8 + off - 1], 0xA5, "byte before, offset %zu", off);
        cr_expect_eq(b[16 + off], 0xA5, "byte after, offset %zu", off);
    }
}

Test(clock, microseconds_pointer_checks)
{
    cr_expect_eq(mvGetMicroseconds(NULL), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvGetMicroseconds((uint64_t *)kt_kernel), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvGetMicroseconds((uint64_t *)kt_ro), MV_STATUS_PARAMETERFAULT);
}

Test(clock, wall_time_unset_until_welcome_then_advances)
{
    uint64_t *t = kt_alloc(sizeof *t);

    cr_expect_eq(mvGetWallTime(t), MV_STATUS_TIMENOTSET);
    fake_port_set_now(5000000);
    kt_session_up(0, 0); /* server time 1700000000000000 */
    fake_port_advance(250);
    cr_assert_eq(mvGetWallTime(t), MV_STATUS_OKAY);
    cr_expect_eq(*t, 1700000000000250ull);
    cr_expect_eq(mvGetWallTime((uint64_t *)kt_kernel), MV_STATUS_PARAMETERFAULT);
}

Test(clock, device_id_needs_34_bytes_of_app_memory)
{
    uint8_t *b = kt_alloc(40);

    cr_expect_eq(mvGetDeviceId(b, 33), MV_STATUS_INVALIDBUFFERSIZE);
    cr_expect_eq(mvGetDeviceId(b, 35), MV_STATUS_INVALIDBUFFERSIZE);
    cr_expect_eq(mvGetDeviceId(kt_kernel, 34), MV_STATUS_PARAMETERFAULT);
    cr_expect_eq(mvGetDeviceId(NULL, 34), MV_STATUS_PARAMETERFAULT);
    cr_assert_eq(mvGetDeviceId(b, 34), MV_STATUS_OKAY);
    cr_expect_eq(memcmp(b, "UV0123456789abcdef0123456789abcdef", 34), 0);
}
