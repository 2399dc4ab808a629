/* Application memory as the kernel sees it: range checks that also catch length
 * overflow, and the registry of app buffers the kernel holds on to (notification rings,
 * channel buffers, the log buffer) so that one buffer is never handed over twice. */
#ifndef MVK_APPMEM_H
#define MVK_APPMEM_H

#include <stddef.h>
#include <stdint.h>

#include "port.h"

/* 1 if [p, p + n) is app-readable (resp. writable); n == 0 checks p alone. Inline
 * because every call with a pointer runs them: one call less on the system-call path. */
static inline int mvk_app_rd(const void *p, size_t n)
{
    return p != 0 && mvk_port_app_readable(p, n);
}

static inline int mvk_app_wr(const void *p, size_t n)
{
    return p != 0 && mvk_port_app_writable(p, n);
}

/* Stores v at dst, already checked with mvk_app_wr. The application may pass a
 * misaligned pointer, which is copied byte by byte out of line (with strict alignment
 * a typed access could trap in the kernel, and inline the copy makes gcc spill v on
 * every path); an aligned one, the common case, takes a typed store: a word or two
 * instead of eight byte stores. */
void mvk_app_put_u64_bytes(void *dst, uint64_t v);

static inline void mvk_app_put_u64(uint64_t *dst, uint64_t v)
{
    if (((uintptr_t)dst & (_Alignof(uint64_t) - 1u)) == 0)
        *dst = v;
    else
        mvk_app_put_u64_bytes(dst, v);
}

/* Same for an array of count elements of size bytes, refusing overflowing products. */
int mvk_app_rd_array(const void *p, size_t count, size_t size);

void mvk_appmem_init(void);
/* 1 if [p, p + n) overlaps a claimed buffer. */
int mvk_appmem_in_use(const void *p, size_t n);
/* Records a claim; 0, or -1 if the registry is full (sized for every user). */
int mvk_appmem_claim(const void *p, size_t n);
void mvk_appmem_release(const void *p);

#endif
