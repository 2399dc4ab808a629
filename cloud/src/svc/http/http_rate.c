/* Token buckets keyed by device id in a chained hash table. A bucket holds at most
 * `burst` tokens and gains per_min/60 per second; each lookup walks one chain and drops
 * the buckets on it that are full again (they carry no information). */
#include "svc/http/http_rate.h"

#include <stdlib.h>
#include <string.h>

#define NCHAINS 1024

struct bucket {
    char id[40];
    double tokens;
    int64_t t_us;
    struct bucket *next;
};

struct mvr_rate {
    double per_us, burst;
    size_t n;
    struct bucket *chain[NCHAINS];
};

struct mvr_rate *mvr_rate_new(uint32_t per_min, uint32_t burst)
{
    struct mvr_rate *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->per_us = per_min / 60e6;
    r->burst = burst;
    return r;
}

void mvr_rate_free(struct mvr_rate *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < NCHAINS; i++)
        while (r->chain[i]) {
            struct bucket *b = r->chain[i];
            r->chain[i] = b->next;
            free(b);
        }
    free(r);
}

static size_t hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h % NCHAINS;
}

static void refill(const struct mvr_rate *r, struct bucket *b, int64_t now)
{
    if (now > b->t_us) {
        b->tokens += (double)(now - b->t_us) * r->per_us;
        if (b->tokens > r->burst)
            b->tokens = r->burst;
    }
    b->t_us = now;
}

int mvr_rate_take(struct mvr_rate *r, const char *device, int64_t now_us)
{
    struct bucket **pp = &r->chain[hash(device)], *found = NULL;
    while (*pp) {
        struct bucket *b = *pp;
        refill(r, b, now_us);
        if (!strcmp(b->id, device)) {
            found = b;
        } else if (b->tokens >= r->burst) {
            *pp = b->next;
            free(b);
            r->n--;
            continue;
        }
        pp = &b->next;
    }
    if (!found) {
        found = calloc(1, sizeof *found);
        if (!found)
            return -1;
        strncpy(found->id, device, sizeof found->id - 1);
        found->tokens = r->burst;
        found->t_us = now_us;
        *pp = found;
        r->n++;
    }
    if (found->tokens < 1.0)
        return 0;
    found->tokens -= 1.0;
    return 1;
}

size_t mvr_rate_tracked(const struct mvr_rate *r)
{
    return r->n;
}
