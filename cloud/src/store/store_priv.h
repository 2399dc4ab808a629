/* Private parts of the store shared by its files: the handle and statement helpers. */
#ifndef MVR_STORE_PRIV_H
#define MVR_STORE_PRIV_H

#include <sqlite3.h>

#include "mvr/store.h"

struct mvr_store {
    sqlite3 *db;
    uint8_t seal_key[32];
    uint64_t errors;       /* store errors since start (for /healthz) */
    int failing;           /* the last write failed and none has committed since */
};

/* Prepares sql; logs and returns NULL on failure. */
sqlite3_stmt *mvr_st_prepare(struct mvr_store *st, const char *sql);
/* Logs the current SQLite error with context and returns MVR_ST_ERROR. */
int mvr_st_fail(struct mvr_store *st, const char *what);
/* Binds text, NULL when s is NULL. */
int mvr_st_text(sqlite3_stmt *s, int i, const char *v);
/* Runs a statement that returns no rows (BEGIN/COMMIT). */
int mvr_st_exec(struct mvr_store *st, const char *sql);

#endif
