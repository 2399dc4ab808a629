/* Store write jobs: the request a session hands to the store's writer, with its own copy
 * of each LOG frame's records, since the session's frame buffer is reused at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/store.h"
#include "mvr/util.h"

struct mvr_store_job *mvr_store_job_new(enum mvr_job_kind kind, const char *device_id,
                                        int64_t now)
{
    struct mvr_store_job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->kind = kind;
    snprintf(j->device_id, sizeof j->device_id, "%s", device_id);
    j->now = now;
    return j;
}

/* One allocation per batch: the header, the records, then the payload they point into. */
int mvr_store_job_add_batch(struct mvr_store_job *j, uint64_t boot, const uint8_t *payload,
                            size_t len, const struct mvp_log_rec *recs, size_t n)
{
    struct mvr_log_batch *b = malloc(sizeof *b + n * sizeof *recs + len);
    if (!b)
        return -1;
    b->next = NULL;
    b->boot = boot;
    b->n = n;
    b->recs = (struct mvp_log_rec *)(b + 1);
    uint8_t *copy = (uint8_t *)(b->recs + n);
    memcpy(copy, payload, len);
    for (size_t i = 0; i < n; i++) {
        b->recs[i] = recs[i];
        if (recs[i].msg) /* the record's message lies inside payload */
            b->recs[i].msg = copy + (recs[i].msg - payload);
    }
    uint8_t raw[8];
    for (int i = 0; i < 8; i++)
        raw[i] = (uint8_t)(boot >> (56 - 8 * i));
    mvr_hex(raw, 8, b->boot_id);
    struct mvr_log_batch **pp = &j->batches;
    while (*pp)
        pp = &(*pp)->next;
    *pp = b;
    return 0;
}

void mvr_store_job_free(struct mvr_store_job *j)
{
    if (!j)
        return;
    for (struct mvr_log_batch *b = j->batches, *nb; b; b = nb) {
        nb = b->next;
        free(b);
    }
    free(j);
}
