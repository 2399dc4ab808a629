/* Application pointer checks for the kernel: a pointer is good if the whole range
 * is inside the application's RAM (writes) or its RAM or image (reads), the same
 * regions its PMP entries give it; its device regions are not memory to the kernel. */
#include "app_regions.h"
#include "port.h"

_Static_assert(sizeof(size_t) == 4 && sizeof(void *) == 4, "rv32: sizes fit uint32_t");

static int app_range(const void *p, size_t n, uint32_t need)
{
    return rv_app_region_allows(rv_app_regions, rv_app_region_count,
                                (uint32_t)(uintptr_t)p, (uint32_t)n, need | RV_PERM_MEM);
}

int mvk_port_app_readable(const void *p, size_t n)
{
    return app_range(p, n, RV_PERM_R);
}

int mvk_port_app_writable(const void *p, size_t n)
{
    return app_range(p, n, RV_PERM_W);
}
