/* Range checks go through the port (registered regions on the host, TT on TrustZone);
 * the registry is a small array because the kernel holds at most a few dozen buffers. */
#include "appmem.h"

#include <string.h>

#include "mvk_limits.h"
#include "port.h"

struct claim {
    uintptr_t start;
    size_t len;
};

static struct claim claims[MVK_MAX_APP_BUFFERS];

int mvk_app_rd_array(const void *p, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return 0;
    return mvk_app_rd(p, count * size);
}

void mvk_app_put_u64_bytes(void *dst, uint64_t v)
{
    memcpy(dst, &v, sizeof v);
}

void mvk_appmem_init(void)
{
    for (size_t i = 0; i < MVK_MAX_APP_BUFFERS; i++)
        claims[i] = (struct claim){0, 0};
}

int mvk_appmem_in_use(const void *p, size_t n)
{
    uintptr_t a = (uintptr_t)p;

    for (size_t i = 0; i < MVK_MAX_APP_BUFFERS; i++) {
        const struct claim *c = &claims[i];
        /* Ranges were checked by the port, so a + n does not wrap. */
        if (c->len != 0 && a < c->start + c->len && c->start < a + n)
            return 1;
    }
    return 0;
}

int mvk_appmem_claim(const void *p, size_t n)
{
    for (size_t i = 0; i < MVK_MAX_APP_BUFFERS; i++) {
        if (claims[i].len == 0) {
            claims[i] = (struct claim){(uintptr_t)p, n ? n : 1};
            return 0;
        }
    }
    return -1;
}

void mvk_appmem_release(const void *p)
{
    for (size_t i = 0; i < MVK_MAX_APP_BUFFERS; i++)
        if (claims[i].len != 0 && claims[i].start == (uintptr_t)p)
            claims[i] = (struct claim){0, 0};
}
