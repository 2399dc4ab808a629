/* relay_ingest_raw: the anchor for relay_ingest. A plain SQLite program inserting the
 * same records into the relay's own schema (created by mvr_store_open) with the relay's
 * settings (WAL, synchronous=FULL, INSERT OR IGNORE), one transaction per batch, one
 * connection, nothing else: what durable ingest costs without a relay in front.
 *   relay_ingest_raw DIR RECORDS BATCH    prints "raw batch=B records=N rec_s=R" */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mvr/store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 4)
        return fprintf(stderr, "usage: relay_ingest_raw DIR RECORDS BATCH\n"), 2;
    long n = atol(argv[2]), batch = atol(argv[3]);
    char path[512], err[256], msg[81];
    snprintf(path, sizeof path, "%s/raw.db", argv[1]);
    memset(msg, 'x', 80);
    msg[80] = '\0';
    struct mvr_store *st;
    const uint8_t key[32] = {1};
    const char *dev = "UV00000000000000000000000000000001";
    if (mvr_store_open(path, key, &st, err, sizeof err) != MVR_OK ||
        mvr_store_device_create(st, dev, 1) != MVR_OK)
        return fprintf(stderr, "relay_ingest_raw: %s\n", err), 1;
    mvr_store_close(st);
    sqlite3 *db;
    sqlite3_stmt *s;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
                     NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO logs(device_id, boot_id, seq, kind, "
                               "message, dropped, device_us, received_at) "
                               "VALUES(?, 'b000000000000001', ?, 0, ?, NULL, ?, ?)",
                           -1, &s, NULL) != SQLITE_OK)
        return fprintf(stderr, "relay_ingest_raw: %s\n", sqlite3_errmsg(db)), 1;
    double t0 = now_s();
    for (long i = 0; i < n; i += batch) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        for (long k = i; k < i + batch && k < n; k++) {
            sqlite3_reset(s);
            sqlite3_bind_text(s, 1, dev, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 2, k + 1);
            sqlite3_bind_blob(s, 3, msg, 80, SQLITE_STATIC);
            sqlite3_bind_int64(s, 4, k);
            sqlite3_bind_int64(s, 5, k);
            if (sqlite3_step(s) != SQLITE_DONE)
                return fprintf(stderr, "relay_ingest_raw: %s\n", sqlite3_errmsg(db)), 1;
        }
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            return fprintf(stderr, "relay_ingest_raw: %s\n", sqlite3_errmsg(db)), 1;
    }
    double t = now_s() - t0;
    sqlite3_finalize(s);
    sqlite3_close(db);
    printf("raw batch=%ld records=%ld rec_s=%.0f\n", batch, n, (double)n / t);
    return 0;
}
