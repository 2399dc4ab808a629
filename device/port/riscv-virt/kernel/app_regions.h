/* What the application may touch: one table of regions that is both the PMP map
 * (pmp.c programs one NAPOT entry per region) and the kernel's pointer check
 * (ptrcheck.c accepts only memory regions), so the two cannot disagree. The
 * arithmetic is pure C, unit-tested on the host (tests/test_app_regions.c). */
#ifndef RV_APP_REGIONS_H
#define RV_APP_REGIONS_H

#include <stddef.h>
#include <stdint.h>

enum {
    RV_PERM_R = 1u,
    RV_PERM_W = 2u,
    RV_PERM_X = 4u,
    RV_PERM_MEM = 8u, /* memory the kernel may read/write for the app (not a device) */
};

struct rv_app_region {
    uint32_t base; /* naturally aligned to size */
    uint32_t size; /* power of two, >= 8 */
    uint32_t perm; /* RV_PERM_* */
};

extern const struct rv_app_region rv_app_regions[];
extern const size_t rv_app_region_count;

/* 1 if [p, p+n) (n >= 1, no wrap) lies inside r: p - base and n are compared against
 * size, never p + n, so nothing can overflow. */
static inline int rv_app_region_inside(const struct rv_app_region *r, uint32_t p, uint32_t n)
{
    return p >= r->base && p - r->base < r->size && n <= r->size - (p - r->base);
}

/* 1 if [p, p+n) lies inside one region whose perm has every bit of need; 0 for NULL,
 * a range that wraps, or one that leaves the region. n == 0 checks p alone. */
int rv_app_region_allows(const struct rv_app_region *r, size_t count, uint32_t p, uint32_t n,
                         uint32_t need);

/* The pmpaddr value of a NAPOT region, or 0 if base/size cannot be one NAPOT entry. */
uint32_t rv_pmp_napot(uint32_t base, uint32_t size);

#endif
