/* The reader pool: mvr_store_call's jobs (REST queries and admin writes, ...) run on a few
 * threads, each with its own connection (PostgreSQL: libpq; SQLite: to the same file, WAL,
 * so its reads never wait for the writer), so no database round trip, lock wait or fsync
 * ever runs on the event loop: a slow query, a lock held in the database (another
 * process's transaction on the SQLite file) or a server that stopped answering holds one
 * reader thread, while the loop keeps serving devices. Completions go to the loop through
 * the writer's done list (one notify, one mvr_store_poll). */
#define _GNU_SOURCE /* pthread_tryjoin_np */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/pg/pg_priv.h"

/* A reader thread waiting for the loop to run fn (mvr_store_on_loop). */
struct hop {
    void (*fn)(void *arg);
    void *arg;
    int state; /* 0 waiting, 1 ran, -1 refused (closing) */
    struct hop *next;
};

/* SQLite: how long a pool connection's write waits for another transaction (the
 * writer's group, another process's) before it fails. Only this reader thread waits. */
#define POOL_BUSY_MS 1000

struct reader {
    struct mvr_store *st;
    sqlite3 *db; /* SQLite: this thread's connection; NULL with PostgreSQL */
    pthread_t th;
};

struct mvr_pool {
    pthread_mutex_t mu;
    pthread_cond_t work, hop_done;
    struct mvr_store_job *q, **q_tail;
    struct hop *hops;
    int stop;
    unsigned n; /* threads started */
    struct reader r[MVR_STORE_READERS];
};

/* Set on reader threads: mvr_store_on_loop must hop, and mvr_pg_rd / mvr_sq_rd give the
 * thread's own connection. */
static _Thread_local int tl_reader;

static void *reader_main(void *arg)
{
    struct reader *r = arg;
    struct mvr_store *st = r->st;
    struct mvr_pool *p = st->pool;
    tl_reader = 1;
    if (r->db)
        mvr_sq_use_thread_conn(r->db);
    else
        mvr_pg_use_thread_conn();
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->q && !p->stop)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        struct mvr_store_job *j = p->q;
        p->q = j->next;
        if (!p->q)
            p->q_tail = &p->q;
        pthread_mutex_unlock(&p->mu);
        j->run(st, j);
        mvr_writer_complete(st, j);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    mvr_sq_use_thread_conn(NULL); /* mvr_pool_stop closes it after the join */
    mvr_pg_close_thread_conn();
    return NULL;
}

void mvr_store_call(struct mvr_store *st, struct mvr_store_job *j)
{
    struct mvr_pool *p = st->pool;
    j->next = NULL;
    j->status = MVR_OK;
    mvr_writer_add_pending(st);
    pthread_mutex_lock(&p->mu);
    if (p->stop) {
        pthread_mutex_unlock(&p->mu);
        j->status = MVR_ST_ERROR; /* closing: done runs, run does not */
        mvr_writer_complete(st, j);
        return;
    }
    *p->q_tail = j;
    p->q_tail = &j->next;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

int mvr_store_on_loop(struct mvr_store *st, void (*fn)(void *arg), void *arg)
{
    struct mvr_pool *p = st->pool;
    if (!tl_reader || !p) {
        fn(arg);
        return 0;
    }
    struct hop h = {.fn = fn, .arg = arg};
    pthread_mutex_lock(&p->mu);
    if (!p->stop) {
        h.next = p->hops;
        p->hops = &h;
    } else {
        h.state = -1;
    }
    pthread_mutex_unlock(&p->mu);
    if (h.state == 0)
        mvr_writer_complete(st, NULL); /* wakes the loop */
    pthread_mutex_lock(&p->mu);
    while (h.state == 0)
        pthread_cond_wait(&p->hop_done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    return h.state == 1 ? 0 : -1;
}

/* Runs each waiting hop outside the lock (fn may take its time); refuse: do not run. */
static void answer_hops(struct mvr_pool *p, int refuse)
{
    pthread_mutex_lock(&p->mu);
    struct hop *h = p->hops;
    p->hops = NULL;
    pthread_mutex_unlock(&p->mu);
    for (struct hop *next; h; h = next) {
        next = h->next; /* h lives on a waiting thread's stack until state is set */
        if (!refuse)
            h->fn(h->arg);
        pthread_mutex_lock(&p->mu);
        h->state = refuse ? -1 : 1;
        pthread_cond_broadcast(&p->hop_done);
        pthread_mutex_unlock(&p->mu);
    }
}

void mvr_pool_run_hops(struct mvr_store *st)
{
    if (st->pool)
        answer_hops(st->pool, 0);
}

/* SQLite: every reader's connection before any thread starts, so a failure leaves no
 * thread to stop; mvr_pool_stop closes the ones opened. */
static int open_conns(struct mvr_store *st, struct mvr_pool *p, unsigned n, const char *path,
                      int flags, char *err, size_t errlen)
{
    for (unsigned i = 0; i < n; i++) {
        p->r[i].st = st;
        if (!st->pg && mvr_st_connect(path, flags, POOL_BUSY_MS, &p->r[i].db, err, errlen) < 0)
            return -1;
    }
    return 0;
}

int mvr_pool_start(struct mvr_store *st, unsigned n, const char *path, int flags, char *err,
                   size_t errlen)
{
    struct mvr_pool *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    p->q_tail = &p->q;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->hop_done, NULL);
    st->pool = p;
    if (n > MVR_STORE_READERS)
        n = MVR_STORE_READERS;
    if (open_conns(st, p, n, path, flags, err, errlen) < 0)
        return -1; /* mvr_store_close closes the ones opened */
    for (; p->n < n; p->n++)
        if (pthread_create(&p->r[p->n].th, NULL, reader_main, &p->r[p->n]) != 0) {
            snprintf(err, errlen, "cannot start the store's reader threads");
            return -1; /* mvr_store_close stops the ones started */
        }
    return 0;
}

void mvr_pool_stop(struct mvr_store *st)
{
    struct mvr_pool *p = st->pool;
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    /* A reader may be waiting for the loop, which is this thread now: refuse its hop. */
    for (unsigned i = 0; i < p->n; i++) {
        while (pthread_tryjoin_np(p->r[i].th, NULL) != 0) {
            answer_hops(p, 1);
            nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
        }
    }
    answer_hops(p, 1);
    for (struct mvr_store_job *j = p->q, *next; j; j = next) {
        next = j->next;
        j->status = MVR_ST_ERROR; /* never run: done learns it failed */
        mvr_writer_complete(st, j);
    }
    for (unsigned i = 0; i < MVR_STORE_READERS; i++)
        sqlite3_close(p->r[i].db); /* no thread uses it any more; NULL is a no-op */
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->hop_done);
    free(p);
    st->pool = NULL;
}
