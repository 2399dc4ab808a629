/* Application memory as the kernel sees it: range checks that also catch length
 * overflow, and the registry of app buffers the kernel holds on to (notification rings,
 * channel buffers, the log buffer) so that one buffer is never handed over twice. */
#ifndef MVK_APPMEM_H
#define MVK_APPMEM_H

#include <stddef.h>
#include <stdint.h>

/* 1 if [p, p + n) is app-readable (resp. writable); n == 0 checks p alone. */
int mvk_app_rd(const void *p, size_t n);
int mvk_app_wr(const void *p, size_t n);
/* Same for an array of count elements of size bytes, refusing overflowing products. */
int mvk_app_rd_array(const void *p, size_t count, size_t size);

void mvk_appmem_init(void);
/* 1 if [p, p + n) overlaps a claimed buffer. */
int mvk_appmem_in_use(const void *p, size_t n);
/* Records a claim; 0, or -1 if the registry is full (sized for every user). */
int mvk_appmem_claim(const void *p, size_t n);
void mvk_appmem_release(const void *p);

#endif
