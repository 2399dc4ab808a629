/* The registry of live device connections: a dense array of all of them with each one's
 * next sweep time, and an intrusive hash index by device id (see dev_index.h). */
#include "device/dev_index.h"

#include <stdlib.h>

#include "server_priv.h"

static unsigned slot(const char *id)
{
    uint32_t h = 2166136261u; /* FNV-1a: ids are random hex, any decent mix will do */
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h & (MVR_DEVIX_BUCKETS - 1);
}

int mvr_devix_add(struct mvr_devix *ix, struct dev_conn *dc)
{
    if (ix->n == ix->cap) {
        uint32_t cap = ix->cap ? ix->cap * 2 : 64;
        struct mvr_devix_ent *a = realloc(ix->all, cap * sizeof *a);
        if (!a)
            return -1;
        ix->all = a;
        ix->cap = cap;
    }
    dc->ix = ix->n;
    ix->all[ix->n++] = (struct mvr_devix_ent){dc, 0};
    struct dev_conn **b = &ix->bucket[slot(dc->s.device_id)];
    dc->hnext = *b;
    if (dc->hnext)
        dc->hnext->hpprev = &dc->hnext;
    *b = dc;
    dc->hpprev = b;
    return 0;
}

void mvr_devix_remove(struct mvr_devix *ix, struct dev_conn *dc)
{
    struct mvr_devix_ent *last = &ix->all[--ix->n];
    ix->all[dc->ix] = *last;
    last->dc->ix = dc->ix;
    *dc->hpprev = dc->hnext;
    if (dc->hnext)
        dc->hnext->hpprev = dc->hpprev;
    dc->hnext = NULL;
}

void mvr_devix_wake(struct mvr_devix *ix, const struct dev_conn *dc)
{
    ix->all[dc->ix].due_us = 0;
}

struct dev_conn *mvr_devix_chain(struct mvr_devix *ix, const char *device_id)
{
    return ix->bucket[slot(device_id)];
}

void mvr_devix_free(struct mvr_devix *ix)
{
    free(ix->all);
    ix->all = NULL;
    ix->n = ix->cap = 0;
}
