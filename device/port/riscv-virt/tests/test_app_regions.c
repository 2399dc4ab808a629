/* The region arithmetic behind the riscv-virt port's PMP map and pointer checks:
 * ranges at the edges of a region, wrap-around, straddling two adjacent regions,
 * permissions, and the NAPOT encoding. */
#include <criterion/criterion.h>

#include "app_regions.h"

static const struct rv_app_region regs[] = {
    {0x80800000u, 0x200000u, RV_PERM_R | RV_PERM_X | RV_PERM_MEM},
    {0x80A00000u, 0x200000u, RV_PERM_R | RV_PERM_W | RV_PERM_MEM},
    {0x03001000u, 8u, RV_PERM_R | RV_PERM_W},
};
#define N (sizeof regs / sizeof regs[0])
#define RW (RV_PERM_W | RV_PERM_MEM)
#define RD (RV_PERM_R | RV_PERM_MEM)

Test(app_regions, whole_region_and_edges)
{
    cr_assert(rv_app_region_allows(regs, N, 0x80A00000u, 0x200000u, RW));
    cr_assert(rv_app_region_allows(regs, N, 0x80BFFFFCu, 4u, RW));
    cr_assert_not(rv_app_region_allows(regs, N, 0x80BFFFFCu, 5u, RW));
    cr_assert_not(rv_app_region_allows(regs, N, 0x80C00000u, 1u, RW));
    cr_assert_not(rv_app_region_allows(regs, N, 0x809FFFFFu, 2u, RW));
}

Test(app_regions, null_and_zero_length)
{
    cr_assert_not(rv_app_region_allows(regs, N, 0u, 0u, RD));
    cr_assert(rv_app_region_allows(regs, N, 0x80A00000u, 0u, RW));
    cr_assert_not(rv_app_region_allows(regs, N, 0x80C00000u, 0u, RW));
    cr_assert(rv_app_region_allows(regs, N, 0x80BFFFFFu, 0u, RW), "last byte, zero length");
}

Test(app_regions, wrap_and_huge_lengths)
{
    cr_assert_not(rv_app_region_allows(regs, N, 0xFFFFFFF0u, 0x20u, RD));
    cr_assert_not(rv_app_region_allows(regs, N, 0x80A00010u, 0xFFFFFFF0u, RW));
    cr_assert_not(rv_app_region_allows(regs, N, 0x80A00000u, 0xFFFFFFFFu, RD));
}

Test(app_regions, adjacent_regions_do_not_merge)
{
    /* Image and RAM touch at 0x80A00000, but one range must lie in one region. */
    cr_assert_not(rv_app_region_allows(regs, N, 0x809FFFF0u, 0x20u, RD));
    cr_assert(rv_app_region_allows(regs, N, 0x809FFFF0u, 0x10u, RD));
}

Test(app_regions, permissions)
{
    cr_assert_not(rv_app_region_allows(regs, N, 0x80800000u, 4u, RW));
    cr_assert(rv_app_region_allows(regs, N, 0x80800000u, 4u, RV_PERM_X));
    cr_assert_not(rv_app_region_allows(regs, N, 0x80A00000u, 4u, RV_PERM_X));
    /* A device region is the application's, but not memory for the kernel. */
    cr_assert(rv_app_region_allows(regs, N, 0x03001000u, 8u, RV_PERM_W));
    cr_assert_not(rv_app_region_allows(regs, N, 0x03001000u, 8u, RW));
}

Test(app_regions, napot_encoding)
{
    cr_assert_eq(rv_pmp_napot(0x80800000u, 0x200000u), (0x80800000u >> 2) | 0x3FFFFu);
    cr_assert_eq(rv_pmp_napot(0x03001000u, 8u), 0x03001000u >> 2);
    cr_assert_eq(rv_pmp_napot(0x00100000u, 0x1000u), (0x00100000u >> 2) | 0x1FFu);
    cr_assert_eq(rv_pmp_napot(0x80800000u, 0x300000u), 0u, "not a power of two");
    cr_assert_eq(rv_pmp_napot(0x80900000u, 0x200000u), 0u, "not aligned");
    cr_assert_eq(rv_pmp_napot(0x80000000u, 4u), 0u, "below the 8-byte minimum");
}
