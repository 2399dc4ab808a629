/* relay_query: latency of the relay's log queries (the store calls behind
 * GET /v1/Devices/{id}/Logs) as the table grows: the newest page (tail=100), since a time
 * near the end, since a cursor near the end, and the oldest page, at 1e4, 1e5 and 1e6
 * records of the device queried (plus as many of a second device, interleaved, so the
 * device's rows are not contiguous). The anchor is the same query at 1e4: a flat query
 * has a ratio near 1 at 1e6. Rows are inserted with the relay's own schema (mvr_store_open
 * migrates) in large transactions on a second connection.
 *   relay_query [DIR]   (env MVBENCH_QUERY_MAX: largest size, default 1000000) */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mvr/store.h"

#define REPS 200
#define PAGE 100

static const char *DEV = "UV00000000000000000000000000000001";
static const char *OTHER = "UV00000000000000000000000000000002";

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Appends rows up to n records per device: received_at = 1000 * seq (us). */
static int fill(const char *path, long from, long n)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO logs(device_id, boot_id, seq, kind, message, dropped,"
                           " device_us, received_at) VALUES(?, 'b0000000000000b1', ?, 0, "
                           "'a log line of about sixty bytes, as an application prints', "
                           "NULL, ?, ?)", -1, &s, NULL);
    for (long i = from + 1; i <= n; i++)
        for (int d = 0; d < 2; d++) {
            sqlite3_reset(s);
            sqlite3_bind_text(s, 1, d ? OTHER : DEV, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 2, i);
            sqlite3_bind_int64(s, 3, i * 1000);
            sqlite3_bind_int64(s, 4, i * 1000);
            if (sqlite3_step(s) != SQLITE_DONE) {
                fprintf(stderr, "relay_query: insert: %s\n", sqlite3_errmsg(db));
                return -1;
            }
        }
    sqlite3_finalize(s);
    int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

struct count {
    unsigned n;
    uint32_t last;
};

static int row_cb(void *ctx, const struct mvr_log_row *r)
{
    struct count *c = ctx;
    c->n++;
    c->last = r->seq;
    return 0;
}

enum form { F_TAIL, F_SINCE_TIME, F_SINCE_CURSOR, F_OLDEST, F_N };
static const char *const form_name[F_N] = {"newest page (tail)", "since time", "since cursor",
                                            "oldest page"};

/* One query as the REST handler makes it; returns the rows seen (PAGE + 1 asked). */
static unsigned run(struct mvr_store *st, enum form f, long n)
{
    struct mvr_log_query q = {.limit = PAGE + 1};
    struct count c = {0, 0};
    if (f == F_TAIL)
        q.newest_first = 1;
    if (f == F_SINCE_TIME)
        q.since_us = (n - PAGE + 1) * 1000;
    if (f == F_SINCE_CURSOR &&
        mvr_store_log_cursor_id(st, DEV, "b0000000000000b1", (uint32_t)(n - PAGE), &q.after_id) !=
            MVR_OK)
        return 0;
    if (mvr_store_logs_query(st, DEV, &q, row_cb, &c) != MVR_OK)
        return 0;
    return c.n;
}

static void measure(struct mvr_store *st, enum form f, long n, double *p50, double *p99)
{
    static double t[REPS];
    for (int i = 0; i < REPS; i++) {
        double t0 = now_us();
        unsigned rows = run(st, f, n);
        t[i] = now_us() - t0;
        if (rows < PAGE) {
            fprintf(stderr, "relay_query: %s at %ld returned %u rows\n", form_name[f], n, rows);
            exit(1);
        }
    }
    qsort(t, REPS, sizeof t[0], cmp_d);
    *p50 = t[REPS / 2];
    *p99 = t[REPS * 99 / 100];
}

int main(int argc, char **argv)
{
    const char *envmax = getenv("MVBENCH_QUERY_MAX");
    long max = envmax ? atol(envmax) : 1000000, sizes[3] = {10000, 100000, 1000000};
    char dir[256], path[300], err[256];
    snprintf(dir, sizeof dir, "%s/relay_query.XXXXXX", argc > 1 ? argv[1] : "/tmp");
    if (!mkdtemp(dir))
        return perror("mkdtemp"), 1;
    snprintf(path, sizeof path, "%s/relay.db", dir);
    struct mvr_store *st;
    const uint8_t key[32] = {1};
    if (mvr_store_open(path, key, &st, err, sizeof err) != MVR_OK ||
        mvr_store_device_create(st, DEV, 1) != MVR_OK ||
        mvr_store_device_create(st, OTHER, 1) != MVR_OK)
        return fprintf(stderr, "relay_query: %s\n", err), 1;
    double p50[3][F_N], p99[3][F_N];
    long done = 0;
    int nsz = 0;
    printf("%-20s %9s %10s %10s\n", "query (100 rows)", "records", "p50 us", "p99 us");
    for (int k = 0; k < 3 && sizes[k] <= max; k++, nsz++) {
        double t0 = now_us();
        if (fill(path, done, sizes[k]) < 0)
            return 1;
        done = sizes[k];
        fprintf(stderr, "relay_query: %ld records per device inserted in %.1f s\n", done,
                (now_us() - t0) / 1e6);
        for (int f = 0; f < F_N; f++) {
            measure(st, (enum form)f, done, &p50[k][f], &p99[k][f]);
            printf("%-20s %9ld %10.1f %10.1f\n", form_name[f], done, p50[k][f], p99[k][f]);
        }
    }
    if (nsz > 1)
        for (int f = 0; f < F_N; f++)
            printf("ratio p50 %ld/%ld %-20s %.2f\n", sizes[nsz - 1], sizes[0], form_name[f],
                   p50[nsz - 1][f] / p50[0][f]);
    mvr_store_close(st);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
