/* Host port: the application's memory regions. App and kernel share one process here,
 * so "application memory" is whatever the port registered: the app thread's stack, its
 * heap arena and its static data. Everything else (kernel state, libc, NULL) is
 * refused by mvk_port_app_readable/_writable. */
#ifndef MVK_HOST_REGIONS_H
#define MVK_HOST_REGIONS_H

#include <stddef.h>

#define MVK_HOST_MAX_REGIONS 32

enum { MVK_HOST_RO = 0, MVK_HOST_RW = 1 };

/* Registers [p, p + n) as app memory (MVK_HOST_RO or MVK_HOST_RW). Call before the app
 * runs; 0 or -1 (table full, empty or wrapping range). */
int mvk_host_region_add(const void *p, size_t n, int rw);
void mvk_host_regions_clear(void);

#endif
