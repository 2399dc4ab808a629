/* Range and NAPOT arithmetic over the application's regions (app_regions.h). Pure C:
 * the kernel uses it for every pointer an application passes, the host unit tests
 * check the edges (end of a region, wrap-around, straddling two regions). */
#include "app_regions.h"

int rv_app_region_allows(const struct rv_app_region *r, size_t count, uint32_t p, uint32_t n,
                         uint32_t need)
{
    size_t i;

    for (i = 0; i < count; i++)
        if ((r[i].perm & need) == need && rv_app_region_inside(&r[i], p, n))
            return 1;
    return 0;
}

uint32_t rv_pmp_napot(uint32_t base, uint32_t size)
{
    if (size < 8u || (size & (size - 1u)) != 0 || (base & (size - 1u)) != 0)
        return 0;
    return (base >> 2) | ((size >> 3) - 1u);
}
