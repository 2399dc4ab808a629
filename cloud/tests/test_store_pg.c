/* PostgreSQL-only store checks: what a fleet of relays on one database relies on (one
 * secrets key, a batch stored once whichever relay writes it), and what happens when the
 * database is down at start or the connection is lost mid-run. The store_pg suite needs a
 * server: integ_store_pg.sh starts one and runs it with MVR_TEST_PG set; without it the
 * suite is skipped (never passed). store_url needs no server. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/store.h"
#include "test_pg.h"

void test_pg_reset(const char *url)
{
    test_pg_sql(url, "DROP SCHEMA public CASCADE", NULL, 0);
    test_pg_sql(url, "CREATE SCHEMA public", NULL, 0);
}

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

size_t test_pg_sql(const char *url, const char *sql, uint8_t *out, size_t cap)
{
    PGconn *c = PQconnectdb(url);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    PQsetNoticeProcessor(c, quiet, NULL);
    PGresult *r = PQexecParams(c, sql, 0, NULL, NULL, NULL, NULL, 1);
    ExecStatusType s = PQresultStatus(r);
    cr_assert(s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
    size_t n = 0;
    if (out && s == PGRES_TUPLES_OK && PQntuples(r) > 0) {
        n = (size_t)PQgetlength(r, 0, 0);
        cr_assert_leq(n, cap);
        memcpy(out, PQgetvalue(r, 0, 0), n);
    }
    PQclear(r);
    PQfinish(c);
    return n;
}

static const char *url;
static const uint8_t key[32] = {7, 7, 7};
static const char *DEV = "UV00000000000000000000000000000001";

static void setup(void)
{
    url = getenv("MVR_TEST_PG");
    if (!url)
        cr_skip_test("no PostgreSQL (integ_store_pg.sh runs this suite with one)");
    test_pg_reset(url);
}

TestSuite(store_pg, .init = setup);

static struct mvr_store *open_ok(const uint8_t k[32])
{
    struct mvr_store *st = NULL;
    char err[256] = "";
    cr_assert_eq(mvr_store_open(url, k, &st, err, sizeof err), MVR_OK, "%s", err);
    return st;
}

Test(store_pg, relay_with_another_secrets_key_is_refused)
{
    struct mvr_store *a = open_ok(key), *b = NULL;
    uint8_t other[32] = {8};
    char err[256] = "";
    cr_assert_eq(mvr_store_open(url, other, &b, err, sizeof err), MVR_ST_ERROR);
    cr_assert_not_null(strstr(err, "secrets key"), "%s", err);
    struct mvr_store *c = open_ok(key); /* the right key still opens */
    mvr_store_close(c);
    mvr_store_close(a);
}

static int count_cb(void *ctx, const struct mvr_log_row *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

/* Two relays on one database: a batch resent to the second after the first stored it
 * (the device's LOG_ACK was lost with the first relay) adds nothing. */
Test(store_pg, batch_resent_to_another_relay_is_stored_once)
{
    struct mvr_store *a = open_ok(key), *b = open_ok(key);
    cr_assert_eq(mvr_store_device_create(a, DEV, 1), MVR_OK);
    cr_assert_eq(mvr_store_device_create(b, DEV, 1), MVR_ST_EXISTS);
    struct mvp_log_rec recs[3];
    for (uint32_t i = 0; i < 3; i++)
        recs[i] = (struct mvp_log_rec){.seq = i + 1, .kind = MVP_LOG_KIND_MSG,
                                       .msg = (const uint8_t *)"m", .msg_len = 1};
    unsigned ins = 0;
    cr_assert_eq(mvr_store_logs_insert(a, DEV, "00000000000000aa", recs, 2, 5, &ins), MVR_OK);
    cr_assert_eq(ins, 2);
    cr_assert_eq(mvr_store_logs_insert(b, DEV, "00000000000000aa", recs, 3, 6, &ins), MVR_OK);
    cr_assert_eq(ins, 1);
    int n = 0;
    struct mvr_log_query q = {.limit = 100};
    cr_assert_eq(mvr_store_logs_query(a, DEV, &q, count_cb, &n), MVR_OK);
    cr_assert_eq(n, 3);
    mvr_store_close(b);
    mvr_store_close(a);
}

static void job_done(struct mvr_store_job *j)
{
    *(int *)j->owner = j->status == MVR_OK ? (int)j->inserted : -1;
    mvr_store_job_free(j);
}

/* A writer-thread job: returns the done result (rows inserted, or -1 if it failed). */
static int write_job(struct mvr_store *st, uint32_t seq)
{
    struct mvp_log_rec r = {.seq = seq, .kind = MVP_LOG_KIND_MSG,
                            .msg = (const uint8_t *)"x", .msg_len = 1};
    uint8_t payload[1] = {0};
    int result = -2;
    struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_LOGS, DEV, 10);
    cr_assert_not_null(j);
    r.msg = payload;
    cr_assert_eq(mvr_store_job_add_batch(j, 0xaa, payload, 1, &r, 1), 0);
    j->done = job_done;
    j->owner = &result;
    mvr_store_submit(st, j);
    mvr_store_sync(st);
    mvr_store_poll(st);
    return result;
}

/* A session start (boot id set) or end on st, for a session that started at since_us. */
static void session_job(struct mvr_store *st, int64_t since_us, int start)
{
    struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_SEEN, DEV, since_us + 1);
    cr_assert_not_null(j);
    j->session_us = since_us;
    if (start)
        snprintf(j->boot_id, sizeof j->boot_id, "00000000000000aa");
    mvr_store_submit(st, j);
    mvr_store_sync(st);
    mvr_store_poll(st);
}

static int64_t session_since(void)
{
    uint8_t v[8] = {0};
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT since FROM sessions WHERE device_id = '%s'", DEV);
    if (test_pg_sql(url, sql, v, sizeof v) != 8)
        return -1;
    int64_t x = 0;
    for (int i = 0; i < 8; i++)
        x = (x << 8) | v[i];
    return x;
}

/* Two relays' commits land in either order: the device's younger session (on b) keeps
 * the row when the older one's start (on a, given up by the device) commits after it,
 * and the older one's end does not remove it. */
Test(store_pg, an_older_session_committed_later_does_not_take_the_device_back)
{
    struct mvr_store *a = open_ok(key), *b = open_ok(key);
    cr_assert_eq(mvr_store_device_create(a, DEV, 1), MVR_OK);
    session_job(b, 2000, 1);
    cr_assert_eq(session_since(), 2000);
    session_job(a, 1000, 1);
    cr_assert_eq(session_since(), 2000, "the older session replaced the younger one");
    session_job(a, 1000, 0);
    cr_assert_eq(session_since(), 2000, "the older session's end removed the younger one");
    session_job(b, 2000, 0);
    cr_assert_eq(session_since(), -1, "the session's own end keeps its row");
    mvr_store_close(b);
    mvr_store_close(a);
}

static void kill_other_sessions(void)
{
    test_pg_sql(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                     "pid <> pg_backend_pid() AND datname = current_database()", NULL, 0);
}

/* The server drops the relay's connections (restart, failover): reads and the writer's
 * next transaction reconnect and go through (sent again once: the server never ran
 * them). */
Test(store_pg, lost_connection_reconnects_reads_and_transactions)
{
    struct mvr_store *st = open_ok(key);
    struct mvr_device d;
    uint64_t errors;
    int failing;
    cr_assert_eq(mvr_store_device_create(st, DEV, 1), MVR_OK);
    cr_assert_eq(write_job(st, 1), 1);
    kill_other_sessions();
    cr_assert_eq(mvr_store_device_get(st, DEV, &d), MVR_OK);
    cr_assert_eq(write_job(st, 2), 1);
    mvr_store_health(st, &errors, &failing);
    cr_assert_eq(failing, 0);
    uint32_t max = 0;
    cr_assert_eq(mvr_store_log_max_seq(st, DEV, "00000000000000aa", &max), MVR_OK);
    cr_assert_eq(max, 2);
    mvr_store_close(st);
}

/* A write other than BEGIN may have run before its connection broke: it is not sent
 * again but fails (counted, the store reports failing); the next one reconnects. */
Test(store_pg, lost_connection_fails_a_single_write_then_reconnects)
{
    struct mvr_store *st = open_ok(key);
    uint64_t errors;
    int failing;
    cr_assert_eq(mvr_store_device_create(st, DEV, 1), MVR_OK);
    kill_other_sessions();
    cr_assert_eq(mvr_store_kv_put(st, MVR_KV_CONFIG, NULL, "k", "v", 1, 1), MVR_ST_ERROR);
    mvr_store_health(st, &errors, &failing);
    cr_assert_eq(failing, 1);
    cr_assert_geq(errors, 1);
    cr_assert_eq(mvr_store_kv_put(st, MVR_KV_CONFIG, NULL, "k", "v", 1, 2), MVR_OK);
    mvr_store_close(st);
}

/* A database that is down when the relay starts: a clear error, no store. */
Test(store_url, postgres_down_at_start_is_a_clear_error)
{
    struct mvr_store *st = NULL;
    char err[256] = "";
    cr_assert_eq(mvr_store_open("postgres://mvr@127.0.0.1:1/none?connect_timeout=5", key, &st,
                                err, sizeof err),
                 MVR_ST_ERROR);
    cr_assert_null(st);
    cr_assert_not_null(strstr(err, "cannot connect to PostgreSQL"), "%s", err);
}
