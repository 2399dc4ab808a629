/* Per-session store of unacknowledged broker messages across channel lives (see
 * mqtt_held.h). A short list is enough: it is searched once per channel end and per
 * connect, and bounded. */
#include "svc/mqtt/mqtt_held.h"

#include <stdlib.h>
#include <string.h>

struct held_entry {
    struct held_entry *next;
    struct mq_list msgs;
    char key[];
};

struct mq_held {
    struct held_entry *head; /* newest first */
    size_t sessions, count;
};

struct mq_held *mq_held_new(void)
{
    return calloc(1, sizeof(struct mq_held));
}

static void entry_free(struct mq_held *h, struct held_entry *e)
{
    h->count -= e->msgs.n;
    h->sessions--;
    mq_list_free(&e->msgs);
    free(e);
}

void mq_held_free(struct mq_held *h)
{
    if (!h)
        return;
    while (h->head) {
        struct held_entry *e = h->head;
        h->head = e->next;
        entry_free(h, e);
    }
    free(h);
}

static struct held_entry **find(struct mq_held *h, const char *key)
{
    struct held_entry **pp = &h->head;
    while (*pp && strcmp((*pp)->key, key))
        pp = &(*pp)->next;
    return pp;
}

/* Drops the oldest session (the list's tail). */
static size_t evict(struct mq_held *h)
{
    struct held_entry **pp = &h->head;
    while (*pp && (*pp)->next)
        pp = &(*pp)->next;
    if (!*pp)
        return 0;
    struct held_entry *e = *pp;
    size_t n = e->msgs.n;
    *pp = NULL;
    entry_free(h, e);
    return n;
}

size_t mq_held_put(struct mq_held *h, const char *key, struct mq_list *l)
{
    struct mq_list keep;
    struct mq_msg *m;
    size_t dropped = 0;
    mq_list_init(&keep);
    while ((m = mq_list_pop(l))) {
        if (m->qos)
            mq_list_push(&keep, m);
        else
            free(m);
    }
    if (!keep.n)
        return 0;
    struct held_entry **pp = find(h, key), *e = *pp;
    if (!e) {
        if (h->sessions >= MQ_HELD_SESSIONS)
            dropped = evict(h);
        e = malloc(sizeof *e + strlen(key) + 1);
        if (!e) {
            dropped += keep.n;
            mq_list_free(&keep);
            return dropped;
        }
        strcpy(e->key, key);
        mq_list_init(&e->msgs);
        e->next = h->head;
        h->head = e;
        h->sessions++;
    }
    h->count += keep.n;
    mq_list_append(&e->msgs, &keep);
    return dropped;
}

void mq_held_take(struct mq_held *h, const char *key, struct mq_list *dst)
{
    struct held_entry **pp = find(h, key), *e = *pp;
    if (!e)
        return;
    *pp = e->next;
    h->count -= e->msgs.n;
    h->sessions--;
    mq_list_append(dst, &e->msgs);
    free(e);
}

size_t mq_held_drop(struct mq_held *h, const char *key)
{
    struct held_entry **pp = find(h, key), *e = *pp;
    if (!e)
        return 0;
    size_t n = e->msgs.n;
    *pp = e->next;
    entry_free(h, e);
    return n;
}

size_t mq_held_count(const struct mq_held *h)
{
    return h->count;
}
