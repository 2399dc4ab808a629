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

/* 1 if [p, p+n) lies inside r; n == 0 checks p alone. The offset from the base,
 * compared unsigned, rejects everything below the region (NULL included, no region
 * starts at 0) in one test, and n is compared against the room left, never p + n, so
 * a range that would wrap fails too. n == 0 needs no case of its own: once off < size,
 * the room left is at least 1 (every pointer-validating call runs this). */
static inline int rv_app_region_inside(const struct rv_app_region *r, uint32_t p, uint32_t n)
{
    uint32_t off = p - r->base;

    return off < r->size && n <= r->size - off;
}

/* 1 if [p, p+n) lies inside one region whose perm has every bit of need; 0 for NULL,
 * a range that wraps, or one that leaves the region (rv_app_region_inside). */
int rv_app_region_allows(const struct rv_app_region *r, size_t count, uint32_t p, uint32_t n,
                         uint32_t need);

/* The pmpaddr value of a NAPOT region, or 0 if base/size cannot be one NAPOT entry. */
uint32_t rv_pmp_napot(uint32_t base, uint32_t size);

#endif
