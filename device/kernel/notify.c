/* Notification rings. The ring is app memory that the kernel writes and the app reads
 * (and clears), so the kernel never reads it back: the write position is kernel state.
 * A full ring wraps over the oldest entries, as Microvisor's does. */
#include "notify.h"

#include "appmem.h"
#include "clock.h"
#include "handle.h"
#include "mvk_limits.h"
#include "port.h"

struct center {
    int used;
    uint32_t handle;
    uint32_t irq;
    struct MvNotification *ring;
    uint32_t entries;
    uint32_t next;
};

static struct center centers[MVK_MAX_NOTIFY];

void mvk_notify_init(void)
{
    for (uint32_t i = 0; i < MVK_MAX_NOTIFY; i++)
        centers[i] = (struct center){0};
}

void mvk_notify_app_reset(void)
{
    for (uint32_t i = 0; i < MVK_MAX_NOTIFY; i++) {
        if (!centers[i].used)
            continue;
        mvk_appmem_release(centers[i].ring);
        mvk_handle_free(centers[i].handle);
        centers[i] = (struct center){0};
    }
}

static struct center *lookup(uint32_t h)
{
    uint32_t i;

    if (mvk_handle_lookup(h, MVK_H_NOTIFY, &i) != 0 || i >= MVK_MAX_NOTIFY || !centers[i].used)
        return 0;
    return &centers[i];
}

int mvk_notify_valid(uint32_t h)
{
    return lookup(h) != 0;
}

int mvk_notify_post(uint32_t h, enum MvEventType type, uint32_t tag)
{
    struct center *c = lookup(h);
    struct MvNotification *e;

    if (!c)
        return -1;
    e = &c->ring[c->next];
    e->microseconds = mvk_clock_now_us();
    e->event_type = type;
    e->tag = tag;
    c->next = (c->next + 1) % c->entries;
    mvk_port_raise_irq(c->irq);
    return 0;
}

int mvk_notify_irq_in_use(uint32_t irq)
{
    for (uint32_t i = 0; i < MVK_MAX_NOTIFY; i++)
        if (centers[i].used && centers[i].irq == irq)
            return 1;
    return 0;
}

static struct center *free_center(uint32_t *index)
{
    for (uint32_t i = 0; i < MVK_MAX_NOTIFY; i++) {
        if (!centers[i].used) {
            *index = i;
            return &centers[i];
        }
    }
    return 0;
}

enum MvStatus mvk_impl_setup_notifications(uint32_t irq, struct MvNotification *buf,
                                           uint32_t size, uint32_t *out)
{
    uint32_t index = 0;
    struct center *c = free_center(&index);

    if (!c)
        return MV_STATUS_TOOMANYNOTIFICATIONBUFFERS;
    if (mvk_notify_irq_in_use(irq))
        return MV_STATUS_INVALIDINTERRUPT;
    if (mvk_appmem_in_use(buf, size))
        return MV_STATUS_BUFFERALREADYINUSE;
    if (mvk_handle_alloc(MVK_H_NOTIFY, index, &c->handle) != 0)
        return MV_STATUS_INTERNALERROR;
    if (mvk_appmem_claim(buf, size) != 0) {
        mvk_handle_free(c->handle);
        return MV_STATUS_INTERNALERROR;
    }
    c->used = 1;
    c->irq = irq;
    c->ring = buf;
    c->entries = size / MVK_NOTIFY_ENTRY_SIZE;
    c->next = 0;
    *out = c->handle;
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_impl_close_notifications(uint32_t h)
{
    struct center *c = lookup(h);

    if (!c)
        return MV_STATUS_INVALIDHANDLE;
    mvk_appmem_release(c->ring);
    mvk_handle_free(h);
    *c = (struct center){0};
    return MV_STATUS_OKAY;
}
