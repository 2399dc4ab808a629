/* The host port's RCC register file behind mvPeriphPeek32/mvPeriphPoke32: clock-enable
 * registers start at their reset values, pokes change them, both RCC aliases reach the
 * same registers, anything else (or a misaligned address) is PERIPHERALACCESSFAULT. */
#include <criterion/criterion.h>

#include "fakes.h"

#define RCC_NS 0x46020C00u
#define RCC_S 0x56020C00u
#define AHB1ENR 0x88u
#define AHB2ENR1 0x8Cu
#define GPIOAEN 1u

TestSuite(periph, .init = kt_boot);

Test(periph, rcc_enable_bits_round_trip)
{
    uint32_t *v = kt_alloc(sizeof *v);

    cr_assert_eq(mvPeriphPeek32(RCC_NS + AHB2ENR1, v), MV_STATUS_OKAY);
    cr_expect_eq(*v & GPIOAEN, 0u);
    cr_assert_eq(mvPeriphPoke32(RCC_NS + AHB2ENR1, GPIOAEN, GPIOAEN), MV_STATUS_OKAY);
    cr_assert_eq(mvPeriphPeek32(RCC_NS + AHB2ENR1, v), MV_STATUS_OKAY);
    cr_expect_eq(*v & GPIOAEN, GPIOAEN);
    cr_assert_eq(mvPeriphPeek32(RCC_S + AHB2ENR1, v), MV_STATUS_OKAY);
    cr_expect_eq(*v & GPIOAEN, GPIOAEN);
    cr_assert_eq(mvPeriphPeek32(RCC_NS + AHB1ENR, v), MV_STATUS_OKAY);
    cr_expect_eq(*v, 0x100u); /* FLASHEN at reset */
}

/* The clock tree reads as the 160 MHz PLL the kernel reports, and cannot be changed. */
Test(periph, clock_tree_is_read_only_160_mhz)
{
    uint32_t *v = kt_alloc(sizeof *v), divr, n, r;

    cr_assert_eq(mvPeriphPeek32(RCC_NS + 0x01Cu, v), MV_STATUS_OKAY);
    cr_expect_eq(*v & 0xCu, 0xCu); /* SWS = PLL1 */
    cr_assert_eq(mvPeriphPeek32(RCC_NS + 0x034u, v), MV_STATUS_OKAY);
    divr = *v;
    n = (divr & 0x1FFu) + 1u;
    r = ((divr >> 24) & 0x7Fu) + 1u;
    cr_expect_eq(4000000u * n / r, 160000000u);
    cr_assert_eq(mvPeriphPoke32(RCC_NS + 0x01Cu, 3u, 0u), MV_STATUS_OKAY);
    cr_assert_eq(mvPeriphPeek32(RCC_NS + 0x01Cu, v), MV_STATUS_OKAY);
    cr_expect_eq(*v, 0xFu);
}

Test(periph, other_registers_are_refused)
{
    uint32_t *v = kt_alloc(sizeof *v);

    cr_expect_eq(mvPeriphPeek32(0x42020000u, v), MV_STATUS_PERIPHERALACCESSFAULT); /* GPIOA */
    cr_expect_eq(mvPeriphPeek32(RCC_NS + 0x04u, v), MV_STATUS_PERIPHERALACCESSFAULT);
    cr_expect_eq(mvPeriphPoke32(RCC_NS + AHB2ENR1 + 2u, 1u, 1u),
                 MV_STATUS_PERIPHERALACCESSFAULT);
    cr_expect_eq(mvPeriphPeek32(RCC_NS + AHB2ENR1, (uint32_t *)kt_kernel),
                 MV_STATUS_PARAMETERFAULT);
}
