/* First-fit allocator over one static array: blocks carry a header {size, used} and
 * adjacent free blocks are merged on free. mbedTLS makes a few dozen allocations per
 * handshake, so linear walks are cheap and keep the code obviously correct. */
#include "tls_arena.h"

#include <stdint.h>
#include <string.h>

#include "mbedtls/platform.h"

#define ALIGN 16u

struct blk {
    size_t size; /* whole block, header included, multiple of ALIGN */
    size_t used;
};

static _Alignas(16) uint8_t arena[MVK_TLS_ARENA_SIZE];
static int ready;
static size_t in_use;

/* Header rounded up so every payload is ALIGN-aligned. */
#define HDR ((sizeof(struct blk) + ALIGN - 1u) & ~(size_t)(ALIGN - 1u))

static struct blk *at(size_t off)
{
    return (struct blk *)(void *)(arena + off);
}

static void init(void)
{
    at(0)->size = sizeof(arena);
    at(0)->used = 0;
    ready = 1;
}

void *mvk_tls_arena_calloc(size_t nmemb, size_t size)
{
    if (!ready)
        init();
    if (nmemb == 0 || size == 0 || nmemb > (sizeof(arena) - HDR) / size)
        return NULL;
    size_t need = (nmemb * size + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    for (size_t off = 0; off < sizeof(arena); off += at(off)->size) {
        struct blk *b = at(off);
        if (b->used || b->size < need)
            continue;
        if (b->size - need >= HDR + ALIGN) { /* split: the rest stays free */
            at(off + need)->size = b->size - need;
            at(off + need)->used = 0;
            b->size = need;
        }
        b->used = 1;
        in_use += b->size;
        memset((uint8_t *)b + HDR, 0, b->size - HDR);
        return (uint8_t *)b + HDR;
    }
    return NULL;
}

void mvk_tls_arena_free(void *p)
{
    if (p == NULL)
        return;
    size_t off = (size_t)((uint8_t *)p - arena) - HDR;
    at(off)->used = 0;
    in_use -= at(off)->size;
    for (off = 0; off < sizeof(arena); off += at(off)->size) {
        struct blk *b = at(off);
        while (!b->used && off + b->size < sizeof(arena) && !at(off + b->size)->used)
            b->size += at(off + b->size)->size;
    }
}

size_t mvk_tls_arena_used(void)
{
    return in_use;
}

void mvk_tls_arena_install(void)
{
#if defined(MBEDTLS_PLATFORM_MEMORY) && !defined(MBEDTLS_PLATFORM_CALLOC_MACRO)
    (void)mbedtls_platform_set_calloc_free(mvk_tls_arena_calloc, mvk_tls_arena_free);
#endif
}
