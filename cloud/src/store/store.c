/* Store lifecycle: open the SQLite database in WAL mode, apply the embedded migrations
 * up to the newest version (tracked in PRAGMA user_version), close; or, for a postgres://
 * URL, hand over to the PostgreSQL backend (store/pg/) and check the fleet's secrets key. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "mvr/log.h"
#include "mvr/schema.h"
#include "store/pg/pg_priv.h"

/* A reader thread's own connection (store_pool.c); other threads use st->db. */
static _Thread_local sqlite3 *tl_db;

sqlite3 *mvr_sq_rd(struct mvr_store *st)
{
    return tl_db ? tl_db : st->db;
}

void mvr_sq_use_thread_conn(sqlite3 *db)
{
    tl_db = db;
}

sqlite3_stmt *mvr_st_prepare(struct mvr_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(mvr_sq_rd(st), sql, -1, &s, NULL) != SQLITE_OK) {
        mvr_st_fail(st, "prepare");
        return NULL;
    }
    return s;
}

int mvr_st_fail(struct mvr_store *st, const char *what)
{
    atomic_fetch_add(&st->errors, 1);
    atomic_store(&st->failing, 1);
    mvr_log(MVR_ERROR, "store error", "op=%s err=\"%s\"", what,
            sqlite3_errmsg(mvr_sq_rd(st)));
    return MVR_ST_ERROR;
}

int mvr_st_text(sqlite3_stmt *s, int i, const char *v)
{
    if (!v)
        return sqlite3_bind_null(s, i);
    return sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

int mvr_st_exec(struct mvr_store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(mvr_sq_rd(st), sql, NULL, NULL, &msg) != SQLITE_OK) {
        atomic_fetch_add(&st->errors, 1);
        atomic_store(&st->failing, 1);
        mvr_log(MVR_ERROR, "store error", "op=exec sql=\"%s\" err=\"%s\"", sql,
                msg ? msg : "?");
        sqlite3_free(msg);
        return MVR_ST_ERROR;
    }
    if (!strcmp(sql, "COMMIT"))
        atomic_store(&st->failing, 0); /* writes work again */
    return MVR_OK;
}

static int user_version(sqlite3 *db, int *v)
{
    sqlite3_stmt *s = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        goto out;
    if (sqlite3_step(s) != SQLITE_ROW)
        goto out;
    *v = sqlite3_column_int(s, 0);
    rc = 0;
out:
    sqlite3_finalize(s);
    return rc;
}

/* Each migration and its version bump run in one transaction, so a crash mid-way
 * leaves the previous version intact. */
static int migrate(sqlite3 *db, char *err, size_t errlen)
{
    int v = 0;
    if (user_version(db, &v) < 0) {
        snprintf(err, errlen, "cannot read schema version: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (v < 0 || (unsigned)v > mvr_schema_count) {
        snprintf(err, errlen, "database schema version %d is newer than this relay (%u)", v,
                 mvr_schema_count);
        return -1;
    }
    for (unsigned i = (unsigned)v; i < mvr_schema_count; i++) {
        char bump[64], *msg = NULL;
        snprintf(bump, sizeof bump, "PRAGMA user_version = %u;", i + 1);
        if (sqlite3_exec(db, "BEGIN", NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db, mvr_schema_migrations[i], NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db, bump, NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(err, errlen, "migration %u failed: %s", i + 1, msg ? msg : "?");
            sqlite3_free(msg);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

/* A relay that starts on a database it cannot write, or one with damaged pages, would
 * run and then fail (or corrupt) every write: refuse to start instead. quick_check reads
 * every page once (O(size), without the index cross-checks of integrity_check). */
static int check_usable(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    if (sqlite3_db_readonly(db, "main") == 1) {
        snprintf(err, errlen, "database %s is read-only", path);
        return -1;
    }
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    const char *res = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
    int ok = res && !strcmp(res, "ok");
    if (!ok)
        snprintf(err, errlen, "database %s failed its integrity check: %s", path,
                 res ? res : sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return ok ? 0 : -1;
}

void mvr_store_health(const struct mvr_store *st, uint64_t *errors, int *failing)
{
    *errors = atomic_load(&((struct mvr_store *)st)->errors);
    *failing = atomic_load(&((struct mvr_store *)st)->failing);
}

int mvr_st_connect(const char *path, int flags, int busy_ms, sqlite3 **db, char *err,
                   size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_open_v2(path, db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", path,
                 *db ? sqlite3_errmsg(*db) : "out of memory");
        return -1;
    }
    sqlite3_busy_timeout(*db, busy_ms);
    /* journal_mode is the first statement to touch the file: a corrupt or foreign file
     * fails here with "file is not a database". synchronous=FULL because LOG_ACK promises
     * durability: in WAL mode NORMAL may lose the last commits on power failure. */
    if (sqlite3_exec(*db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          "PRAGMA foreign_keys=ON;", NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot use database %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* st->db serves the synchronous calls of threads other than the reader pool's: the relay's
 * start (migrations, the first token), tools and tests. The relay's loop makes none: its
 * reads and admin writes run on the pool's own connections (store_pool.c). A write waits
 * for another transaction at most this long. */
#define READER_BUSY_MS 250

int mvr_store_is_url(const char *path)
{
    return !strncmp(path, "postgres://", 11) || !strncmp(path, "postgresql://", 13);
}

/* The secrets key is per fleet (with SQLite, the key and the database share one data dir): every relay on a database must hold the key its secrets
 * were sealed with, or each would fail to open the others' secrets (or seal new ones no
 * other relay can read). The first relay seals a check value; the others must open it.
 * The row sits at a scope no device id has, so no listing shows it. */
#define SEAL_SCOPE "#relay"
static int check_seal_key(struct mvr_store *st, char *err, size_t errlen)
{
    char *v = NULL;
    size_t n;
    int rc = mvr_store_kv_get(st, MVR_KV_SECRET, SEAL_SCOPE, "seal-check", &v, &n, NULL);
    free(v);
    if (rc == MVR_ST_NOTFOUND)
        rc = mvr_store_kv_put(st, MVR_KV_SECRET, SEAL_SCOPE, "seal-check", "mvrelay", 7, 0);
    if (rc == MVR_OK)
        return 0;
    snprintf(err, errlen, "the secrets key (secrets.key) differs from the one this database "
                          "was sealed with: give every relay the same key");
    return -1;
}

static int open_pg(struct mvr_store *st, const char *url, char *err, size_t errlen)
{
    return mvr_pg_open(st, url, err, errlen) < 0 || check_seal_key(st, err, errlen) < 0 ||
                   mvr_writer_start(st, url, 0, err, errlen) < 0 ||
                   mvr_pool_start(st, MVR_STORE_READERS, url, 0, err, errlen) < 0
               ? -1
               : 0;
}

int mvr_store_open(const char *path, const uint8_t seal_key[32], struct mvr_store **out,
                   char *err, size_t errlen)
{
    struct mvr_store *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "out of memory");
        return MVR_ST_ERROR;
    }
    memcpy(st->seal_key, seal_key, 32);
    st->ops = mvr_store_is_url(path) ? &mvr_pg_ops : &mvr_sq_ops;
    if (mvr_store_is_url(path)) {
        if (open_pg(st, path, err, errlen) < 0)
            goto fail;
        *out = st;
        return MVR_OK;
    }
    /* The reader and the writer are two connections to one database: a private in-memory
     * database (tests, fuzzing) becomes a named shared-cache one so both reach it. */
    char mem[64];
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (!strcmp(path, ":memory:")) {
        snprintf(mem, sizeof mem, "file:mvr%p?mode=memory&cache=shared", (void *)st);
        path = mem;
        flags |= SQLITE_OPEN_URI;
    }
    if (mvr_st_connect(path, flags, READER_BUSY_MS, &st->db, err, errlen) < 0)
        goto fail;
    flags &= ~SQLITE_OPEN_CREATE;
    if (migrate(st->db, err, errlen) < 0 || check_usable(st->db, path, err, errlen) < 0 ||
        mvr_writer_start(st, path, flags, err, errlen) < 0 ||
        mvr_pool_start(st, MVR_STORE_READERS, path, flags, err, errlen) < 0)
        goto fail;
    *out = st;
    return MVR_OK;
fail:
    mvr_store_close(st);
    return MVR_ST_ERROR;
}

void mvr_store_close(struct mvr_store *st)
{
    if (!st)
        return;
    if (st->w)
        mvr_pool_stop(st); /* its last completions go to the writer's done list; it
                            * closes its connections before the database is closed */
    mvr_writer_stop(st);
    mvr_pg_close(st);
    sqlite3_close(st->db);
    memset(st->seal_key, 0, sizeof st->seal_key);
    free(st);
}
