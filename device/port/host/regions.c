/* Region checks for the host port. A range is app memory only if one registered region
 * holds all of it; ranges that wrap around the address space are refused before any
 * arithmetic can overflow. Regions are set up before the app starts and never change
 * afterwards, so the checks need no lock. */
#include "regions.h"

#include <stdint.h>

#include "port.h"

struct region {
    uintptr_t start, end; /* [start, end) */
    int rw;
};

static struct region regions[MVK_HOST_MAX_REGIONS];
static int nregions;

int mvk_host_region_add(const void *p, size_t n, int rw)
{
    uintptr_t a = (uintptr_t)p;

    if (p == NULL || n == 0 || n > UINTPTR_MAX - a || nregions == MVK_HOST_MAX_REGIONS)
        return -1;
    regions[nregions++] = (struct region){a, a + n, rw};
    return 0;
}

void mvk_host_regions_clear(void)
{
    nregions = 0;
}

static int inside(const void *p, size_t n, int need_rw)
{
    uintptr_t a = (uintptr_t)p;

    if (p == NULL || n > UINTPTR_MAX - a)
        return 0;
    if (n == 0)
        n = 1;
    for (int i = 0; i < nregions; i++) {
        const struct region *r = &regions[i];
        if (a >= r->start && a + n <= r->end && (r->rw || !need_rw))
            return 1;
    }
    return 0;
}

int mvk_port_app_readable(const void *p, size_t n)
{
    return inside(p, n, 0);
}

int mvk_port_app_writable(const void *p, size_t n)
{
    return inside(p, n, 1);
}
