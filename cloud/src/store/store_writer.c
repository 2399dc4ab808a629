/* The store's writer thread. It owns the SQLite write connection and commits, in one
 * transaction, every job queued at the moment it becomes free (group commit: one fsync
 * for many devices' log batches and session updates), then hands the completed jobs back
 * to the event loop (notify + mvr_store_poll). The loop never waits for the database
 * lock or for fsync; LOG_ACK follows the commit because it is sent from done. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "mvr/log.h"
#include "store/pg/pg_priv.h"

/* Jobs per transaction at most: bounds the time one transaction holds the lock and the
 * latency of the jobs queued behind it. */
#define GROUP_MAX 1024
/* The writer may wait for a lock held by another process (a backup, an sqlite3 shell):
 * only device writes wait, never the loop. Past this, the group fails and its sessions
 * end with GOAWAY (the devices resend after a back-off). */
#define WRITER_BUSY_MS 1000
/* The writer connection's page cache (KiB): see prepare. */
#define WRITER_CACHE_KIB "32768"

struct mvr_writer {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t work; /* jobs queued, or stop */
    pthread_cond_t idle; /* a group completed (mvr_store_sync) */
    struct mvr_store_job *q, **q_tail;
    size_t pending; /* queued plus the group being written */
    struct mvr_store_job *done, **done_tail;
    uint64_t txns;
    atomic_int busy_ms; /* lock wait before a group fails (mvr_store_set_write_wait) */
    int stop;
    void (*notify)(void *arg);
    void *notify_arg;
    sqlite3 *db;
    sqlite3_stmt *ins, *seen;
    PGconn *pgc; /* the PostgreSQL backend's write connection instead of db */
    struct mvr_ckpt *ckpt; /* SQLite: checkpoints off the commit path (store_ckpt.c) */
};

static int run(struct mvr_writer *w, const char *sql)
{
    return sqlite3_exec(w->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int write_logs(struct mvr_writer *w, struct mvr_store_job *j)
{
    for (struct mvr_log_batch *b = j->batches; b; b = b->next)
        for (size_t i = 0; i < b->n; i++) {
            if (mvr_st_log_insert_one(w->ins, j->device_id, b->boot_id, &b->recs[i],
                                      j->now) < 0)
                return -1;
            j->inserted += (unsigned)sqlite3_changes(w->db);
        }
    return 0;
}

static int write_seen(struct mvr_writer *w, struct mvr_store_job *j)
{
    sqlite3_stmt *s = w->seen;
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, j->now);
    mvr_st_text(s, 2, j->boot_id[0] ? j->boot_id : NULL);
    mvr_st_text(s, 3, j->remote_addr[0] ? j->remote_addr : NULL);
    mvr_st_text(s, 4, j->device_id);
    return sqlite3_step(s) == SQLITE_DONE ? 0 : -1; /* an unknown device changes nothing */
}

/* SQLite: the group in one IMMEDIATE transaction; 1 if it committed. */
static int sqlite_group(struct mvr_store *st, struct mvr_writer *w, struct mvr_store_job *g)
{
    const char *what = "begin";
    sqlite3_busy_timeout(w->db, atomic_load(&w->busy_ms));
    int ok = run(w, "BEGIN IMMEDIATE") == 0;
    for (struct mvr_store_job *j = g; ok && j; j = j->next) {
        if (j->kind == MVR_JOB_HEARTBEAT)
            continue; /* one SQLite relay has no fleet to tell it is alive */
        what = j->kind == MVR_JOB_LOGS ? "log_insert" : "device_seen";
        ok = (j->kind == MVR_JOB_LOGS ? write_logs(w, j) : write_seen(w, j)) == 0;
    }
    if (ok) {
        what = "commit";
        ok = run(w, "COMMIT") == 0;
    }
    if (!ok) {
        atomic_fetch_add(&st->errors, 1);
        mvr_log(MVR_ERROR, "store error", "op=%s err=\"%s\"", what, sqlite3_errmsg(w->db));
        run(w, "ROLLBACK");
    }
    return ok;
}

/* One transaction for the whole group. A failure anywhere rolls all of it back and fails
 * every job: a session whose batch failed ends, and none of its records are half stored. */
static void write_group(struct mvr_store *st, struct mvr_writer *w, struct mvr_store_job *g,
                        uint64_t txn)
{
    int ok = st->pg ? mvr_pg_write_group(st, &w->pgc, g) == 0 : sqlite_group(st, w, g);
    atomic_store(&st->failing, !ok);
    for (struct mvr_store_job *j = g; j; j = j->next) {
        j->txn = txn;
        j->status = ok ? MVR_OK : MVR_ST_ERROR;
        if (!ok)
            j->inserted = 0;
    }
}

/* Takes up to GROUP_MAX jobs off the queue (called with mu held); *n counts them. */
static struct mvr_store_job *take_group(struct mvr_writer *w, size_t *n)
{
    struct mvr_store_job *g = w->q, **tail = &w->q;
    for (*n = 0; *tail && *n < GROUP_MAX; (*n)++)
        tail = &(*tail)->next;
    w->q = *tail;
    if (!w->q)
        w->q_tail = &w->q;
    *tail = NULL;
    return g;
}

static void *writer_main(void *arg)
{
    struct mvr_store *st = arg;
    struct mvr_writer *w = st->w;
    prctl(PR_SET_NAME, "mvr-writer"); /* per-thread CPU in top -H and the benchmarks */
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->q && !w->stop)
            pthread_cond_wait(&w->work, &w->mu);
        if (!w->q)
            break; /* stopping, and everything queued is written */
        size_t n;
        struct mvr_store_job *g = take_group(w, &n);
        uint64_t txn = ++w->txns;
        pthread_mutex_unlock(&w->mu);
        write_group(st, w, g, txn);
        pthread_mutex_lock(&w->mu);
        *w->done_tail = g;
        while (*w->done_tail)
            w->done_tail = &(*w->done_tail)->next;
        w->pending -= n;
        pthread_cond_broadcast(&w->idle);
        /* Under mu: the loop clears notify (before closing its async handle) under mu. */
        if (w->notify)
            w->notify(w->notify_arg);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

void mvr_store_submit(struct mvr_store *st, struct mvr_store_job *j)
{
    struct mvr_writer *w = st->w;
    j->next = NULL;
    pthread_mutex_lock(&w->mu);
    *w->q_tail = j;
    w->q_tail = &j->next;
    w->pending++;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
}

void mvr_writer_add_pending(struct mvr_store *st)
{
    pthread_mutex_lock(&st->w->mu);
    st->w->pending++;
    pthread_mutex_unlock(&st->w->mu);
}

void mvr_writer_complete(struct mvr_store *st, struct mvr_store_job *j)
{
    struct mvr_writer *w = st->w;
    pthread_mutex_lock(&w->mu);
    if (j) {
        j->next = NULL;
        *w->done_tail = j;
        w->done_tail = &j->next;
        w->pending--;
        pthread_cond_broadcast(&w->idle);
    }
    if (w->notify)
        w->notify(w->notify_arg);
    pthread_mutex_unlock(&w->mu);
}

unsigned mvr_store_poll(struct mvr_store *st)
{
    struct mvr_writer *w = st->w;
    mvr_pool_run_hops(st);
    pthread_mutex_lock(&w->mu);
    struct mvr_store_job *j = w->done;
    w->done = NULL;
    w->done_tail = &w->done;
    pthread_mutex_unlock(&w->mu);
    unsigned n = 0;
    for (struct mvr_store_job *next; j; j = next, n++) {
        next = j->next;
        j->next = NULL;
        if (j->done)
            j->done(j);
        else
            mvr_store_job_free(j);
    }
    return n;
}

unsigned mvr_store_settle(struct mvr_store *st)
{
    struct mvr_writer *w = st->w;
    unsigned n = 0;
    for (;;) {
        n += mvr_store_poll(st);
        pthread_mutex_lock(&w->mu);
        int busy = w->pending || w->done;
        /* A short wait, not until idle: a call may be waiting for its hop, which only the
         * next poll answers (mvr_store_on_loop wakes the loop by notify, not idle). */
        if (busy && !w->done) {
            struct timespec t;
            clock_gettime(CLOCK_REALTIME, &t);
            t.tv_nsec += 1000000;
            if (t.tv_nsec >= 1000000000) {
                t.tv_sec++;
                t.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&w->idle, &w->mu, &t);
        }
        pthread_mutex_unlock(&w->mu);
        if (!busy)
            return n;
    }
}

void mvr_store_set_notify(struct mvr_store *st, void (*notify)(void *arg), void *arg)
{
    pthread_mutex_lock(&st->w->mu);
    st->w->notify = notify;
    st->w->notify_arg = arg;
    pthread_mutex_unlock(&st->w->mu);
}

void mvr_store_set_write_wait(struct mvr_store *st, int ms)
{
    atomic_store(&st->w->busy_ms, ms);
}

void mvr_store_sync(struct mvr_store *st)
{
    struct mvr_writer *w = st->w;
    pthread_mutex_lock(&w->mu);
    while (w->pending)
        pthread_cond_wait(&w->idle, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

void mvr_store_writer_stats(struct mvr_store *st, size_t *queued, uint64_t *txns)
{
    pthread_mutex_lock(&st->w->mu);
    *queued = st->w->pending;
    *txns = st->w->txns;
    pthread_mutex_unlock(&st->w->mu);
}

static int prepare(struct mvr_writer *w, char *err, size_t errlen)
{
    /* With many devices, every group touches a leaf of each log index per device (three
     * per device, keyed by device): SQLite's default 2 MiB cache cannot hold them for a
     * few hundred devices, and each commit would read them back from the file. */
    if (sqlite3_exec(w->db, "PRAGMA cache_size=-" WRITER_CACHE_KIB, NULL, NULL, NULL) ==
            SQLITE_OK &&
        sqlite3_prepare_v3(w->db, MVR_ST_LOG_INSERT_SQL, -1, SQLITE_PREPARE_PERSISTENT,
                           &w->ins, NULL) == SQLITE_OK &&
        sqlite3_prepare_v3(w->db,
                           "UPDATE devices SET last_seen = ?, boot_id = COALESCE(?, boot_id), "
                           "remote_addr = COALESCE(?, remote_addr) WHERE id = ?",
                           -1, SQLITE_PREPARE_PERSISTENT, &w->seen, NULL) == SQLITE_OK)
        return 0;
    snprintf(err, errlen, "cannot prepare the writer's statements: %s", sqlite3_errmsg(w->db));
    return -1;
}

static void writer_free(struct mvr_writer *w)
{
    mvr_ckpt_stop(w->ckpt, w->db);
    sqlite3_finalize(w->ins);
    sqlite3_finalize(w->seen);
    sqlite3_close(w->db);
    PQfinish(w->pgc);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->idle);
    free(w);
}

int mvr_writer_start(struct mvr_store *st, const char *path, int flags, char *err,
                     size_t errlen)
{
    struct mvr_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    w->q_tail = &w->q;
    w->done_tail = &w->done;
    atomic_init(&w->busy_ms, WRITER_BUSY_MS);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->idle, NULL);
    if (st->pg ? mvr_pg_connect(st->pg->url, &w->pgc, err, errlen) < 0
               : mvr_st_connect(path, flags, WRITER_BUSY_MS, &w->db, err, errlen) < 0 ||
                     prepare(w, err, errlen) < 0 ||
                     mvr_ckpt_start(&w->ckpt, w->db, path, flags, err, errlen) < 0)
        goto fail;
    st->w = w;
    if (pthread_create(&w->th, NULL, writer_main, st) != 0) {
        st->w = NULL;
        snprintf(err, errlen, "cannot start the store's writer thread");
        goto fail;
    }
    return 0;
fail:
    writer_free(w);
    return -1;
}

void mvr_writer_stop(struct mvr_store *st)
{
    struct mvr_writer *w = st->w;
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    w->notify = NULL;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    mvr_store_poll(st); /* owners that went away have cleared their jobs' owner */
    st->w = NULL;
    writer_free(w);
}
