/* The registry of live device connections: an intrusive doubly linked list of all of them
 * and an intrusive hash index by device id (see dev_index.h). */
#include "device/dev_index.h"

#include <stdint.h>

#include "server_priv.h"

static unsigned slot(const char *id)
{
    uint32_t h = 2166136261u; /* FNV-1a: ids are random hex, any decent mix will do */
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h & (MVR_DEVIX_BUCKETS - 1);
}

void mvr_devix_add(struct mvr_devix *ix, struct dev_conn *dc)
{
    dc->next = ix->all;
    if (dc->next)
        dc->next->pprev = &dc->next;
    ix->all = dc;
    dc->pprev = &ix->all;
    struct dev_conn **b = &ix->bucket[slot(dc->s.device_id)];
    dc->hnext = *b;
    if (dc->hnext)
        dc->hnext->hpprev = &dc->hnext;
    *b = dc;
    dc->hpprev = b;
}

void mvr_devix_remove(struct mvr_devix *ix, struct dev_conn *dc)
{
    (void)ix;
    *dc->pprev = dc->next;
    if (dc->next)
        dc->next->pprev = dc->pprev;
    *dc->hpprev = dc->hnext;
    if (dc->hnext)
        dc->hnext->hpprev = dc->hpprev;
    dc->next = dc->hnext = NULL;
}

struct dev_conn *mvr_devix_chain(struct mvr_devix *ix, const char *device_id)
{
    return ix->bucket[slot(device_id)];
}
