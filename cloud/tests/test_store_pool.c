/* Unit tests for the store's reader pool with SQLite: mvr_store_call runs its job on a
 * reader thread with that thread's own connection (never on the caller's thread, which is
 * the relay's event loop), a call waiting for a lock held elsewhere does not hold the
 * caller, hops reach the thread that polls, and closing fails what is still queued. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/store.h"
#include "store/store_priv.h" /* mvr_sq_rd: which connection a call used */

static char dir[64];
static char path[128];
static struct mvr_store *st;
static const uint8_t key[32] = {9, 8, 7};
static const char *DEV = "UV00000000000000000000000000000001";

static void setup(void)
{
    char err[256];
    strcpy(dir, "/tmp/mvr_pool_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    cr_assert_eq(mvr_store_open(path, key, &st, err, sizeof err), MVR_OK, "%s", err);
    cr_assert_eq(mvr_store_device_create(st, DEV, 1), MVR_OK);
}

static void teardown(void)
{
    char cmd[128];
    mvr_store_close(st);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(store_pool, .init = setup, .fini = teardown);

/* What a call saw, filled by run (reader thread) and done (polling thread). */
struct seen {
    pthread_t run_thread, done_thread, hop_thread;
    sqlite3 *run_db;
    int put_rc, hop_rc, done_status;
    atomic_int ran, done;
};

static void put_run(struct mvr_store *s, struct mvr_store_job *j)
{
    struct seen *v = j->owner;
    v->run_thread = pthread_self();
    v->run_db = mvr_sq_rd(s);
    v->put_rc = mvr_store_kv_put(s, MVR_KV_CONFIG, DEV, "k", "v1", 2, 5);
    atomic_store(&v->ran, 1);
}

static void note_done(struct mvr_store_job *j)
{
    struct seen *v = j->owner;
    v->done_thread = pthread_self();
    v->done_status = j->status;
    atomic_fetch_add(&v->done, 1);
    mvr_store_job_free(j);
}

static void call(void (*run)(struct mvr_store *, struct mvr_store_job *), struct seen *v)
{
    struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_CALL, DEV, 0);
    cr_assert_not_null(j);
    j->run = run;
    j->done = note_done;
    j->owner = v;
    mvr_store_call(st, j);
}

Test(store_pool, calls_run_on_a_reader_thread_with_its_own_connection)
{
    struct seen v = {0};
    call(put_run, &v);
    mvr_store_settle(st);
    cr_assert_eq(atomic_load(&v.done), 1);
    cr_assert_eq(v.done_status, MVR_OK);
    cr_assert_eq(v.put_rc, MVR_OK);
    cr_assert(!pthread_equal(v.run_thread, pthread_self()), "run ran on the caller's thread");
    cr_assert(pthread_equal(v.done_thread, pthread_self()), "done runs on the polling thread");
    cr_assert_not_null(v.run_db);
    cr_assert_neq(v.run_db, mvr_sq_rd(st), "run used the caller's connection");
    char *val = NULL;
    size_t len = 0;
    cr_assert_eq(mvr_store_kv_get(st, MVR_KV_CONFIG, DEV, "k", &val, &len, NULL), MVR_OK);
    cr_assert_eq(len, 2);
    cr_assert_eq(memcmp(val, "v1", 2), 0, "the reader's write is committed");
    free(val);
}

/* Another process (here: another connection) holds the write lock: the call waits for it
 * on its reader thread, so mvr_store_call returns before the write could have run. */
Test(store_pool, a_call_waiting_for_a_lock_does_not_hold_the_caller)
{
    sqlite3 *other = NULL;
    cr_assert_eq(sqlite3_open(path, &other), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    struct seen v = {0};
    call(put_run, &v);
    int ran_at_return = atomic_load(&v.ran);
    cr_assert_eq(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    mvr_store_settle(st);
    cr_assert_eq(ran_at_return, 0, "the write ran (and waited for the lock) in mvr_store_call");
    cr_assert_eq(atomic_load(&v.done), 1);
}

static void on_loop(void *arg)
{
    struct seen *v = arg;
    v->hop_thread = pthread_self();
}

static void hop_run(struct mvr_store *s, struct mvr_store_job *j)
{
    struct seen *v = j->owner;
    v->hop_rc = mvr_store_on_loop(s, on_loop, v);
}

Test(store_pool, a_hop_runs_on_the_polling_thread)
{
    struct seen v = {0};
    call(hop_run, &v);
    mvr_store_settle(st); /* answers the hop, then runs done */
    cr_assert_eq(atomic_load(&v.done), 1);
    cr_assert_eq(v.hop_rc, 0);
    cr_assert(pthread_equal(v.hop_thread, pthread_self()), "the hop ran off the polling thread");
}

static void count_done(struct mvr_store_job *j)
{
    atomic_fetch_add((atomic_int *)j->owner, 1);
    mvr_store_job_free(j);
}

static void get_run(struct mvr_store *s, struct mvr_store_job *j)
{
    struct mvr_device d;
    if (mvr_store_device_get(s, DEV, &d) != MVR_OK)
        j->status = MVR_ST_ERROR;
}

/* Closing with calls queued: the readers finish the calls they took, the rest fail, and
 * every done runs once, before the database closes (ASan sees any late use). */
Test(store_pool, closing_runs_every_done_once)
{
    static atomic_int done;
    atomic_store(&done, 0);
    enum { N = 64 };
    for (int i = 0; i < N; i++) {
        struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_CALL, DEV, 0);
        cr_assert_not_null(j);
        j->run = get_run;
        j->done = count_done;
        j->owner = &done;
        mvr_store_call(st, j);
    }
    mvr_store_close(st);
    st = NULL;
    cr_assert_eq(atomic_load(&done), N);
}
