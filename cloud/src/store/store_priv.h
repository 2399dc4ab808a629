/* Private parts of the store shared by its files: the handle and statement helpers. */
#ifndef MVR_STORE_PRIV_H
#define MVR_STORE_PRIV_H

#include <sqlite3.h>
#include <stdatomic.h>

#include "mvr/store.h"

struct mvr_writer;

struct mvr_store {
    sqlite3 *db;              /* reader connection: synchronous calls, caller's thread */
    struct mvr_writer *w;     /* writer thread with its own connection (store_writer.c) */
    uint8_t seal_key[32];
    atomic_ullong errors;     /* store errors since start, both connections (/healthz) */
    atomic_int failing;       /* the last write failed and none has committed since */
};

/* Prepares sql; logs and returns NULL on failure. */
sqlite3_stmt *mvr_st_prepare(struct mvr_store *st, const char *sql);
/* Logs the current SQLite error with context and returns MVR_ST_ERROR. */
int mvr_st_fail(struct mvr_store *st, const char *what);
/* Binds text, NULL when s is NULL. */
int mvr_st_text(sqlite3_stmt *s, int i, const char *v);
/* Runs a statement that returns no rows (BEGIN/COMMIT). */
int mvr_st_exec(struct mvr_store *st, const char *sql);
/* Opens a connection to path with the relay's settings (WAL, synchronous=FULL,
 * foreign keys, busy timeout busy_ms). 0, or -1 with a reason in err. */
int mvr_st_connect(const char *path, int flags, int busy_ms, sqlite3 **db, char *err,
                   size_t errlen);

#define MVR_ST_LOG_INSERT_SQL                                                               \
    "INSERT OR IGNORE INTO logs(device_id, boot_id, seq, kind, message, dropped, "         \
    "device_us, received_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"
/* Binds and steps MVR_ST_LOG_INSERT_SQL for one record; 0 or -1. */
int mvr_st_log_insert_one(sqlite3_stmt *s, const char *device, const char *boot_id,
                          const struct mvp_log_rec *r, int64_t now);

/* The writer thread: starts on its own connection to path; 0 or -1 with err. */
int mvr_writer_start(struct mvr_store *st, const char *path, int flags, char *err,
                     size_t errlen);
/* Commits what is queued, stops the thread, runs the remaining done callbacks. */
void mvr_writer_stop(struct mvr_store *st);

#endif
