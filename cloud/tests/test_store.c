/* Unit tests for the store: log dedup, config/secret scope rules, secret sealing at rest,
 * tokens, device rows. Each test uses a fresh database: a SQLite file in a temp dir, or,
 * when MVR_TEST_PG names a PostgreSQL URL (integ_store_pg.sh starts a server and runs the
 * "store" suite so), that database with its schema emptied. Suite store_sqlite holds the
 * checks only SQLite has (file corruption, query plans). */
#define _GNU_SOURCE
#include <stdio.h>
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mvr/seal.h"
#include "mvr/store.h"
#include "store/store_priv.h" /* the query texts and the reader connection */
#include "test_pg.h"

static char dir[] = "/tmp/mvr_store_XXXXXX";
static char path[256];
static struct mvr_store *st;
static const uint8_t key[32] = {1, 2, 3, 4, 5};
static const char *DEV_A = "UV00000000000000000000000000000001";
static const char *DEV_B = "UV00000000000000000000000000000002";

static void open_store(int may_use_pg)
{
    char err[256];
    strcpy(dir, "/tmp/mvr_store_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    if (may_use_pg && getenv("MVR_TEST_PG")) {
        snprintf(path, sizeof path, "%s", getenv("MVR_TEST_PG"));
        test_pg_reset(path);
    }
    cr_assert_eq(mvr_store_open(path, key, &st, err, sizeof err), MVR_OK, "%s", err);
    cr_assert_eq(mvr_store_device_create(st, DEV_A, 1), MVR_OK);
    cr_assert_eq(mvr_store_device_create(st, DEV_B, 2), MVR_OK);
}

static void setup(void) { open_store(1); }
static void setup_sqlite(void) { open_store(0); }

static void teardown(void)
{
    char cmd[300];
    mvr_store_close(st);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(store, .init = setup, .fini = teardown);
TestSuite(store_sqlite, .init = setup_sqlite, .fini = teardown);

/* Runs one SQL statement on the test database behind the store's back; for a SELECT,
 * copies the first row's first column (raw bytes) into out. Returns its length. */
static size_t raw_sql(const char *sql, uint8_t *out, size_t cap)
{
    if (getenv("MVR_TEST_PG"))
        return test_pg_sql(path, sql, out, cap);
    sqlite3 *db;
    sqlite3_stmt *s;
    size_t n = 0;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    int r = sqlite3_step(s);
    cr_assert(r == SQLITE_ROW || r == SQLITE_DONE, "%s", sqlite3_errmsg(db));
    if (r == SQLITE_ROW && out) {
        n = (size_t)sqlite3_column_bytes(s, 0);
        cr_assert_leq(n, cap);
        memcpy(out, sqlite3_column_blob(s, 0), n);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static struct mvp_log_rec msg(uint32_t seq, const char *text)
{
    return (struct mvp_log_rec){.seq = seq, .device_us = seq * 10u, .kind = MVP_LOG_KIND_MSG,
                                .msg = (const uint8_t *)text,
                                .msg_len = (uint16_t)strlen(text)};
}

static int count_cb(void *ctx, const struct mvr_log_row *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

Test(store, log_batch_resend_is_stored_once)
{
    struct mvp_log_rec recs[3] = {msg(1, "a"), msg(2, "b"), msg(3, "c")};
    unsigned ins = 0;
    cr_assert_eq(mvr_store_logs_insert(st, DEV_A, "00000000000000aa", recs, 3, 5, &ins), MVR_OK);
    cr_assert_eq(ins, 3);
    /* A resend overlapping the first batch adds only the new record. */
    struct mvp_log_rec again[2] = {msg(3, "c"), msg(4, "d")};
    cr_assert_eq(mvr_store_logs_insert(st, DEV_A, "00000000000000aa", again, 2, 6, &ins), MVR_OK);
    cr_assert_eq(ins, 1);
    int n = 0;
    struct mvr_log_query q = {.limit = 100};
    cr_assert_eq(mvr_store_logs_query(st, DEV_A, &q, count_cb, &n), MVR_OK);
    cr_assert_eq(n, 4);
    uint32_t max = 0;
    cr_assert_eq(mvr_store_log_max_seq(st, DEV_A, "00000000000000aa", &max), MVR_OK);
    cr_assert_eq(max, 4);
}

Test(store, log_same_seq_other_boot_or_device_is_distinct)
{
    struct mvp_log_rec r = msg(1, "x");
    unsigned ins = 0;
    cr_assert_eq(mvr_store_logs_insert(st, DEV_A, "00000000000000aa", &r, 1, 5, &ins), MVR_OK);
    cr_assert_eq(mvr_store_logs_insert(st, DEV_A, "00000000000000bb", &r, 1, 5, &ins), MVR_OK);
    cr_assert_eq(ins, 1);
    cr_assert_eq(mvr_store_logs_insert(st, DEV_B, "00000000000000aa", &r, 1, 5, &ins), MVR_OK);
    cr_assert_eq(ins, 1);
    uint32_t max;
    cr_assert_eq(mvr_store_log_max_seq(st, DEV_B, "00000000000000cc", &max), MVR_ST_NOTFOUND);
}

struct gap_seen { int kind; uint32_t dropped; };
static int gap_cb(void *ctx, const struct mvr_log_row *r)
{
    struct gap_seen *g = ctx;
    g->kind = r->kind;
    g->dropped = r->dropped;
    return 0;
}

Test(store, gap_record_keeps_dropped_count)
{
    struct mvp_log_rec r = {.seq = 7, .kind = MVP_LOG_KIND_GAP, .dropped = 42};
    unsigned ins;
    cr_assert_eq(mvr_store_logs_insert(st, DEV_A, "00000000000000aa", &r, 1, 5, &ins), MVR_OK);
    struct gap_seen g = {-1, 0};
    struct mvr_log_query q = {.limit = 10};
    cr_assert_eq(mvr_store_logs_query(st, DEV_A, &q, gap_cb, &g), MVR_OK);
    cr_assert_eq(g.kind, MVP_LOG_KIND_GAP);
    cr_assert_eq(g.dropped, 42);
}

Test(store, log_cursor_resumes_after_record)
{
    struct mvp_log_rec recs[3] = {msg(1, "a"), msg(2, "b"), msg(3, "c")};
    unsigned ins;
    cr_assert_eq(mvr_store_logs_insert(st, DEV_A, "00000000000000aa", recs, 3, 5, &ins), MVR_OK);
    int64_t id = -1;
    cr_assert_eq(mvr_store_log_cursor_id(st, DEV_A, "00000000000000aa", 2, &id), MVR_OK);
    int n = 0;
    struct mvr_log_query q = {.after_id = id, .limit = 10};
    cr_assert_eq(mvr_store_logs_query(st, DEV_A, &q, count_cb, &n), MVR_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(mvr_store_log_cursor_id(st, DEV_A, "00000000000000aa", 4, &id), MVR_ST_NOTFOUND);
    cr_assert_eq(mvr_store_log_cursor_id(st, DEV_A, "00000000000000bb", 1, &id), MVR_ST_NOTFOUND);
    cr_assert_eq(mvr_store_log_cursor_id(st, DEV_B, "00000000000000aa", 1, &id), MVR_ST_NOTFOUND);
}

Test(store, config_scopes_are_separate)
{
    char *v = NULL;
    size_t len;
    cr_assert_eq(mvr_store_kv_put(st, MVR_KV_CONFIG, NULL, "k", "acct", 4, 1), MVR_OK);
    cr_assert_eq(mvr_store_kv_put(st, MVR_KV_CONFIG, DEV_A, "k", "devA", 4, 1), MVR_OK);
    cr_assert_eq(mvr_store_kv_get(st, MVR_KV_CONFIG, DEV_A, "k", &v, &len, NULL), MVR_OK);
    cr_assert_str_eq(v, "devA");
    free(v);
    cr_assert_eq(mvr_store_kv_get(st, MVR_KV_CONFIG, "", "k", &v, &len, NULL), MVR_OK);
    cr_assert_str_eq(v, "acct");
    free(v);
    /* Device B sees nothing at device scope: no fallback to another device's rows. */
    cr_assert_eq(mvr_store_kv_get(st, MVR_KV_CONFIG, DEV_B, "k", &v, &len, NULL),
                 MVR_ST_NOTFOUND);
    cr_assert_eq(mvr_store_kv_delete(st, MVR_KV_CONFIG, DEV_B, "k"), MVR_ST_NOTFOUND);
    cr_assert_eq(mvr_store_kv_delete(st, MVR_KV_CONFIG, DEV_A, "k"), MVR_OK);
    cr_assert_eq(mvr_store_kv_get(st, MVR_KV_CONFIG, DEV_A, "k", &v, &len, NULL),
                 MVR_ST_NOTFOUND);
}

Test(store, secret_round_trip_and_not_plaintext_at_rest)
{
    const char *secret = "hunter2-very-secret-value";
    cr_assert_eq(mvr_store_kv_put(st, MVR_KV_SECRET, DEV_A, "pw", secret, strlen(secret), 1),
                 MVR_OK);
    char *v = NULL;
    size_t len = 0;
    cr_assert_eq(mvr_store_kv_get(st, MVR_KV_SECRET, DEV_A, "pw", &v, &len, NULL), MVR_OK);
    cr_assert_eq(len, strlen(secret));
    cr_assert_str_eq(v, secret);
    free(v);
    /* Read the raw column with a separate connection. */
    uint8_t raw[256];
    size_t n = raw_sql("SELECT value FROM secrets WHERE device_id = "
                       "'UV00000000000000000000000000000001'", raw, sizeof raw);
    cr_assert_eq(n, strlen(secret) + MVR_SEAL_OVERHEAD);
    cr_assert_null(memmem(raw, n, secret, strlen(secret)));
    cr_assert_null(memmem(raw, n, "hunter2", 7));
}

/* A config value is text on both backends (PostgreSQL text cannot hold NUL): one with a
 * NUL inside is refused alike, never cut short; a secret is sealed bytes and keeps any. */
Test(store, config_with_nul_is_refused_and_secret_with_nul_kept_whole)
{
    static const char val[] = {'a', 'b', '\0', 'c', 'd'};
    char *v = NULL;
    size_t len = 0;
    cr_assert_eq(mvr_store_kv_put(st, MVR_KV_CONFIG, DEV_A, "nul", val, sizeof val, 1),
                 MVR_ST_INVALID);
    cr_assert_eq(mvr_store_kv_get(st, MVR_KV_CONFIG, DEV_A, "nul", &v, &len, NULL),
                 MVR_ST_NOTFOUND, "a refused config was stored");
    cr_assert_eq(mvr_store_kv_put(st, MVR_KV_CONFIG, DEV_A, "nul", val, 2, 1), MVR_OK);
    cr_assert_eq(mvr_store_kv_put(st, MVR_KV_SECRET, DEV_A, "nul", val, sizeof val, 1), MVR_OK);
    cr_assert_eq(mvr_store_kv_get(st, MVR_KV_SECRET, DEV_A, "nul", &v, &len, NULL), MVR_OK);
    cr_assert_eq(len, sizeof val);
    cr_assert_eq(memcmp(v, val, sizeof val), 0);
    free(v);
}

Test(store, secret_moved_to_other_row_does_not_open)
{
    cr_assert_eq(mvr_store_kv_put(st, MVR_KV_SECRET, DEV_A, "pw", "x", 1, 1), MVR_OK);
    raw_sql("UPDATE secrets SET device_id = 'UV00000000000000000000000000000002' "
            "WHERE device_id = 'UV00000000000000000000000000000001'", NULL, 0);
    char *v = NULL;
    size_t len;
    cr_assert_eq(mvr_store_kv_get(st, MVR_KV_SECRET, DEV_B, "pw", &v, &len, NULL),
                 MVR_ST_ERROR);
    cr_assert_null(v);
}

Test(store, seal_tamper_is_detected)
{
    uint8_t out[5 + MVR_SEAL_OVERHEAD], back[5];
    size_t n;
    cr_assert_eq(mvr_seal(key, (const uint8_t *)"a", 1, (const uint8_t *)"hello", 5, out), 0);
    cr_assert_eq(mvr_open(key, (const uint8_t *)"a", 1, out, sizeof out, back, &n), 0);
    cr_assert_eq(memcmp(back, "hello", 5), 0);
    out[14] ^= 1;
    cr_assert_eq(mvr_open(key, (const uint8_t *)"a", 1, out, sizeof out, back, &n), -1);
}

Test(store, device_create_twice_conflicts)
{
    cr_assert_eq(mvr_store_device_create(st, DEV_A, 3), MVR_ST_EXISTS);
    struct mvr_device d;
    cr_assert_eq(mvr_store_device_seen(st, DEV_A, 99, "00000000000000aa", "127.0.0.1"), MVR_OK);
    cr_assert_eq(mvr_store_device_get(st, DEV_A, &d), MVR_OK);
    cr_assert_eq(d.last_seen, 99);
    cr_assert_str_eq(d.boot_id, "00000000000000aa");
    cr_assert_eq(mvr_store_device_get(st, "UV0000000000000000000000000000000f", &d),
                 MVR_ST_NOTFOUND);
}

Test(store, tokens_are_checked_by_hash)
{
    uint8_t h[32] = {9}, other[32] = {8};
    cr_assert_eq(mvr_store_token_check(st, h), 0);
    cr_assert_eq(mvr_store_token_add(st, h, "admin", 1), MVR_OK);
    cr_assert_eq(mvr_store_token_check(st, h), 1);
    cr_assert_eq(mvr_store_token_check(st, other), 0);
}

Test(store_sqlite, corrupt_database_file_is_refused)
{
    char p2[300], err[256] = "";
    struct mvr_store *s2 = NULL;
    snprintf(p2, sizeof p2, "%s/bad.db", dir);
    FILE *f = fopen(p2, "w");
    cr_assert_not_null(f);
    for (int i = 0; i < 512; i++)
        fputs("garbage!", f);
    fclose(f);
    cr_assert_eq(mvr_store_open(p2, key, &s2, err, sizeof err), MVR_ST_ERROR);
    cr_assert_neq(err[0], '\0');
}

/* The plan SQLite picks for one of the store's log queries, as one string. */
static void plan_of(const char *sql, char *out, size_t cap)
{
    char q[1024];
    sqlite3_stmt *s;
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
    cr_assert_eq(sqlite3_prepare_v2(st->db, q, -1, &s, NULL), SQLITE_OK, "%s", q);
    out[0] = '\0';
    while (sqlite3_step(s) == SQLITE_ROW) {
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s;", (const char *)sqlite3_column_text(s, 3));
    }
    sqlite3_finalize(s);
}

/* Newest page (tail), since a cursor (after an id) and since a time must each read an
 * index range (O(log n + page)): no full scan, no sort of the device's records. */
Test(store_sqlite, log_queries_are_index_ranges)
{
    static const struct { const char *name, *sql, *index; } cases[] = {
        {"tail", MVR_ST_LOGS_TAIL_SQL, "logs_device (device_id=? AND id>?)"},
        {"page after cursor", MVR_ST_LOGS_PAGE_SQL, "logs_device (device_id=? AND id>?)"},
        {"since time", MVR_ST_LOGS_TIME_SQL, "logs_device_time (device_id=? AND received_at>?)"},
    };
    char plan[512];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plan_of(cases[i].sql, plan, sizeof plan);
        cr_assert(strstr(plan, "SEARCH logs USING") && strstr(plan, cases[i].index),
                  "%s: %s", cases[i].name, plan);
        cr_assert_null(strstr(plan, "TEMP B-TREE"), "%s sorts: %s", cases[i].name, plan);
        cr_assert_null(strstr(plan, "SCAN"), "%s scans: %s", cases[i].name, plan);
    }
}

struct seqs {
    uint32_t v[64];
    int n;
};

static int seq_cb(void *ctx, const struct mvr_log_row *r)
{
    struct seqs *g = ctx;
    if (g->n < 64)
        g->v[g->n++] = r->seq;
    return 0;
}

/* since-time returns exactly the records received at or after T, oldest first, from the
 * time index's first match onward. */
Test(store, since_time_query_starts_at_the_first_record_at_or_after_t)
{
    unsigned ins;
    for (uint32_t i = 1; i <= 50; i++) {
        struct mvp_log_rec r = msg(i, "x");
        cr_assert_eq(mvr_store_logs_insert(st, DEV_A, "00000000000000aa", &r, 1, 100 * i, &ins),
                     MVR_OK);
        cr_assert_eq(mvr_store_logs_insert(st, DEV_B, "00000000000000aa", &r, 1, 100 * i, &ins),
                     MVR_OK);
    }
    struct seqs got = {.n = 0};
    struct mvr_log_query q = {.since_us = 4050, .limit = 64};
    cr_assert_eq(mvr_store_logs_query(st, DEV_A, &q, seq_cb, &got), MVR_OK);
    cr_assert_eq(got.n, 10, "records 41..50 were received at or after 4050: %d", got.n);
    for (int i = 0; i < got.n; i++)
        cr_assert_eq(got.v[i], 41u + (uint32_t)i);
    q.since_us = 6000;
    got.n = 0;
    cr_assert_eq(mvr_store_logs_query(st, DEV_A, &q, seq_cb, &got), MVR_OK);
    cr_assert_eq(got.n, 0);
}

/* Size of the database file itself (not its WAL). */
static long db_file_size(void)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

/* The writer's connection has no automatic checkpoint (store_ckpt.c): its WAL hook wakes
 * the checkpoint thread instead. Writes through the writer past a WAL of 1000 pages must
 * still reach the database file while the store is open, or the WAL would grow without
 * bound (and every reader would search it). */
Test(store_sqlite, writer_commits_are_checkpointed_into_the_database_file)
{
    static uint8_t msgs[64 * 1000];
    struct mvp_log_rec recs[64];
    memset(msgs, 'm', sizeof msgs);
    long before = db_file_size();
    for (uint32_t b = 0; b < 60; b++) { /* ~64 KiB per commit: ~1000 pages in all */
        struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_LOGS, DEV_A, 7);
        cr_assert_not_null(j);
        for (uint32_t i = 0; i < 64; i++)
            recs[i] = (struct mvp_log_rec){.seq = b * 64 + i + 1, .kind = MVP_LOG_KIND_MSG,
                                           .msg = msgs + i * 1000, .msg_len = 1000};
        cr_assert_eq(mvr_store_job_add_batch(j, 0xaa, msgs, sizeof msgs, recs, 64), 0);
        mvr_store_submit(st, j);
        mvr_store_sync(st); /* one commit per batch, as a single device's would be */
        mvr_store_poll(st);
    }
    long after = before;
    for (int i = 0; i < 500 && after < before + 1000000; i++) {
        usleep(10000);
        after = db_file_size();
    }
    cr_assert_geq(after, before + 1000000, "database file %ld -> %ld bytes: no checkpoint",
                  before, after);
    uint32_t max = 0;
    cr_assert_eq(mvr_store_log_max_seq(st, DEV_A, "00000000000000aa", &max), MVR_OK);
    cr_assert_eq(max, 60 * 64);
}
