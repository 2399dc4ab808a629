/* The host port's system LED (led.c): one stderr line per change of state, the kernel
 * turning it on at boot, mvSystemLedEnable switching it, repeats printing nothing. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "fakes.h"

static void setup(void)
{
    cr_redirect_stderr();
    kt_boot();
}

TestSuite(led, .init = setup);

Test(led, changes_are_stderr_lines)
{
    cr_assert_eq(mvSystemLedEnable(0), MV_STATUS_OKAY);
    cr_assert_eq(mvSystemLedEnable(0), MV_STATUS_OKAY);
    cr_assert_eq(mvSystemLedEnable(1), MV_STATUS_OKAY);
    cr_assert_eq(mvSystemLedEnable(7), MV_STATUS_PARAMETERFAULT);
    fflush(stderr);
    cr_assert_stderr_eq_str("mvdevice: system LED on\n"
                            "mvdevice: system LED off\n"
                            "mvdevice: system LED on\n");
}
