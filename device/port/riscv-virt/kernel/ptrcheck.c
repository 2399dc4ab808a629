/* Application pointer checks for the kernel: a pointer is good if the whole range is
 * inside the application's RAM (writes) or its RAM or image (reads): the memory
 * regions of its PMP map (app_regions.c, built from the same board.h constants), with
 * the region arithmetic the host unit tests check (app_regions.h); its device regions
 * are not memory to the kernel. Every system call with a pointer runs this, so the two
 * regions are tested directly rather than by walking the table. */
#include "app_regions.h"
#include "board.h"
#include "port.h"

_Static_assert(sizeof(size_t) == 4 && sizeof(void *) == 4, "rv32: sizes fit uint32_t");

static const struct rv_app_region app_ram = {RV_APP_RAM, RV_APP_RAM_SIZE, 0};
static const struct rv_app_region app_image = {RV_APP_FLASH, RV_APP_FLASH_SIZE, 0};

int mvk_port_app_readable(const void *p, size_t n)
{
    uint32_t a = (uint32_t)(uintptr_t)p;

    return rv_app_region_inside(&app_ram, a, (uint32_t)n) ||
           rv_app_region_inside(&app_image, a, (uint32_t)n);
}

int mvk_port_app_writable(const void *p, size_t n)
{
    return rv_app_region_inside(&app_ram, (uint32_t)(uintptr_t)p, (uint32_t)n);
}
