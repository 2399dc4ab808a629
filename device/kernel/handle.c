/* Handle table: a fixed pool of (value, type, index) entries. Values are drawn from
 * the DRBG so that applications cannot guess or forge them; a value in use (or 0) is
 * redrawn. */
#include "handle.h"

#include "mvk_limits.h"
#include "rand.h"

struct mvk_handle {
    uint32_t value;
    uint32_t index;
    enum mvk_htype type;
};

static struct mvk_handle handles[MVK_MAX_HANDLES];

void mvk_handle_init(void)
{
    for (uint32_t i = 0; i < MVK_MAX_HANDLES; i++)
        handles[i] = (struct mvk_handle){0, 0, MVK_H_FREE};
}

static struct mvk_handle *find(uint32_t h)
{
    if (h == 0)
        return 0;
    for (uint32_t i = 0; i < MVK_MAX_HANDLES; i++)
        if (handles[i].type != MVK_H_FREE && handles[i].value == h)
            return &handles[i];
    return 0;
}

static struct mvk_handle *free_slot(void)
{
    for (uint32_t i = 0; i < MVK_MAX_HANDLES; i++)
        if (handles[i].type == MVK_H_FREE)
            return &handles[i];
    return 0;
}

int mvk_handle_alloc(enum mvk_htype type, uint32_t index, uint32_t *out)
{
    struct mvk_handle *slot = free_slot();
    uint32_t v = 0;

    if (!slot || type == MVK_H_FREE)
        return -1;
    /* Collisions are rare (64 live values out of 2^32); bound the loop anyway. */
    for (int tries = 0; tries < 16 && (v == 0 || find(v)); tries++)
        if (mvk_rand_u32(&v) != 0)
            return -1;
    if (v == 0 || find(v))
        return -1;
    *slot = (struct mvk_handle){v, index, type};
    *out = v;
    return 0;
}

int mvk_handle_lookup(uint32_t h, enum mvk_htype type, uint32_t *index)
{
    const struct mvk_handle *e = find(h);

    if (!e || e->type != type)
        return -1;
    *index = e->index;
    return 0;
}

void mvk_handle_free(uint32_t h)
{
    struct mvk_handle *e = find(h);

    if (e)
        *e = (struct mvk_handle){0, 0, MVK_H_FREE};
}

uint32_t mvk_handle_value(const void *api_handle)
{
    uintptr_t v = (uintptr_t)api_handle;

    if (v > UINT32_MAX)
        return 0;
    return (uint32_t)v;
}

void *mvk_handle_ptr(uint32_t h)
{
    return (void *)(uintptr_t)h;
}
