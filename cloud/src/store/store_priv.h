/* Private parts of the store shared by its files: the handle and statement helpers. */
#ifndef MVR_STORE_PRIV_H
#define MVR_STORE_PRIV_H

#include <sqlite3.h>
#include <stdatomic.h>

#include "mvr/store.h"

#include "mvr/store_apps.h"

struct mvr_writer;
struct mvr_pg;
struct mvr_pool;

/* One backend's synchronous store calls: the public mvr_store_* functions (store_ops.c)
 * call through the table chosen at open, mvr_sq_ops (SQLite, store_sq_ops.c) or
 * mvr_pg_ops (PostgreSQL, pg/pg_ops.c). Each entry has the public call's contract. */
struct mvr_store_ops {
    int (*device_create)(struct mvr_store *st, const char *id, int64_t now);
    int (*device_get)(struct mvr_store *st, const char *id, struct mvr_device *d);
    int (*device_list)(struct mvr_store *st, const char *after, unsigned limit,
                       mvr_device_cb cb, void *ctx);
    int (*device_seen)(struct mvr_store *st, const char *id, int64_t now, const char *boot_id,
                       const char *remote_addr);
    int (*logs_insert)(struct mvr_store *st, const char *device, const char *boot_id,
                       const struct mvp_log_rec *recs, size_t n, int64_t now,
                       unsigned *inserted);
    int (*log_max_seq)(struct mvr_store *st, const char *device, const char *boot_id,
                       uint32_t *seq);
    int (*log_cursor_id)(struct mvr_store *st, const char *device, const char *boot_id,
                         uint32_t seq, int64_t *id);
    int (*log_last_id)(struct mvr_store *st, const char *device, int64_t *id);
    int (*logs_query)(struct mvr_store *st, const char *device, const struct mvr_log_query *q,
                      mvr_log_cb cb, void *ctx);
    int (*kv_put)(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                  const char *key, const char *value, size_t len, int64_t now);
    int (*kv_get)(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                  const char *key, char **value, size_t *len, int64_t *updated_at);
    int (*kv_delete)(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                     const char *key);
    int (*kv_list)(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                   const char *after, unsigned limit, mvr_kv_cb cb, void *ctx);
    int (*app_add)(struct mvr_store *st, const struct mvr_app *a);
    int (*app_get)(struct mvr_store *st, const char *id, struct mvr_app *a);
    int (*app_list)(struct mvr_store *st, const char *after, unsigned limit, mvr_app_cb cb,
                    void *ctx);
    int (*app_delete)(struct mvr_store *st, const char *id);
    int (*update_target)(struct mvr_store *st, const char *device, const char *app_id,
                         int64_t now);
    int (*update_get)(struct mvr_store *st, const char *device, struct mvr_update *u);
    int (*update_report)(struct mvr_store *st, const char *device, const char *state,
                         const char *app_id, int64_t offset, const char *reason, int64_t now);
    int (*token_add)(struct mvr_store *st, const uint8_t hash[32], const char *name,
                     int64_t now);
    int (*token_check)(struct mvr_store *st, const uint8_t hash[32]);
    int (*token_count)(struct mvr_store *st, int *n);
    /* The fleet (PostgreSQL); SQLite has none: no-ops, 0 and -1. */
    void (*set_name)(struct mvr_store *st, const char *name);
    int (*device_online_elsewhere)(struct mvr_store *st, const char *id);
    int (*events_open)(struct mvr_store *st);
    int (*events_read)(struct mvr_store *st, const struct mvr_store_events *ev);
    void (*events_close)(struct mvr_store *st);
};
extern const struct mvr_store_ops mvr_sq_ops, mvr_pg_ops;

struct mvr_store {
    const struct mvr_store_ops *ops; /* the backend, chosen at open */
    sqlite3 *db;              /* synchronous calls off the reader pool (start, tools, tests) */
    struct mvr_pg *pg;        /* set: the PostgreSQL backend serves every call (pg/) */
    struct mvr_writer *w;     /* writer thread with its own connection (store_writer.c) */
    struct mvr_pool *pool;    /* reader threads for mvr_store_call (store_pool.c) */
    uint8_t seal_key[32];
    atomic_ullong errors;     /* store errors since start, both connections (/healthz) */
    atomic_int failing;       /* the last write failed and none has committed since */
};

/* The SQLite connection of the calling thread: a pool reader's own (set with
 * mvr_sq_use_thread_conn, NULL to clear), else st->db. Every SQLite call goes through it. */
sqlite3 *mvr_sq_rd(struct mvr_store *st);
void mvr_sq_use_thread_conn(sqlite3 *db);
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

/* The SQLite backend's calls (store_devices.c, store_logs.c, store_kv.c, store_apps.c,
 * store_tokens.c), as in struct mvr_store_ops. */
int mvr_sq_device_create(struct mvr_store *st, const char *id, int64_t now);
int mvr_sq_device_get(struct mvr_store *st, const char *id, struct mvr_device *d);
int mvr_sq_device_list(struct mvr_store *st, const char *after, unsigned limit,
                       mvr_device_cb cb, void *ctx);
int mvr_sq_device_seen(struct mvr_store *st, const char *id, int64_t now, const char *boot_id,
                       const char *remote_addr);
int mvr_sq_logs_insert(struct mvr_store *st, const char *device, const char *boot_id,
                       const struct mvp_log_rec *recs, size_t n, int64_t now,
                       unsigned *inserted);
int mvr_sq_log_max_seq(struct mvr_store *st, const char *device, const char *boot_id,
                       uint32_t *seq);
int mvr_sq_log_cursor_id(struct mvr_store *st, const char *device, const char *boot_id,
                         uint32_t seq, int64_t *id);
int mvr_sq_log_last_id(struct mvr_store *st, const char *device, int64_t *id);
int mvr_sq_logs_query(struct mvr_store *st, const char *device, const struct mvr_log_query *q,
                      mvr_log_cb cb, void *ctx);
int mvr_sq_kv_put(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                  const char *key, const char *value, size_t len, int64_t now);
int mvr_sq_kv_get(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                  const char *key, char **value, size_t *len, int64_t *updated_at);
int mvr_sq_kv_delete(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                     const char *key);
int mvr_sq_kv_list(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                   const char *after, unsigned limit, mvr_kv_cb cb, void *ctx);
int mvr_sq_app_add(struct mvr_store *st, const struct mvr_app *a);
int mvr_sq_app_get(struct mvr_store *st, const char *id, struct mvr_app *a);
int mvr_sq_app_list(struct mvr_store *st, const char *after, unsigned limit, mvr_app_cb cb,
                    void *ctx);
int mvr_sq_app_delete(struct mvr_store *st, const char *id);
int mvr_sq_update_target(struct mvr_store *st, const char *device, const char *app_id,
                         int64_t now);
int mvr_sq_update_get(struct mvr_store *st, const char *device, struct mvr_update *u);
int mvr_sq_update_report(struct mvr_store *st, const char *device, const char *state,
                         const char *app_id, int64_t offset, const char *reason, int64_t now);
int mvr_sq_token_add(struct mvr_store *st, const uint8_t hash[32], const char *name,
                     int64_t now);
int mvr_sq_token_check(struct mvr_store *st, const uint8_t hash[32]);
int mvr_sq_token_count(struct mvr_store *st, int *n);

#define MVR_ST_LOG_INSERT_SQL                                                               \
    "INSERT OR IGNORE INTO logs(device_id, boot_id, seq, kind, message, dropped, "         \
    "device_us, received_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"
/* Log queries: ?1 device, ?2 after id, ?3 received at or after, ?4 limit, ?5 boot or
 * NULL. The unary + keeps a filter column from steering SQLite to another index: the
 * page must be a range of logs_device (device_id, id), never a scan and a sort. */
#define MVR_ST_LOG_COLS                                                                    \
    "SELECT id, boot_id, seq, kind, message, dropped, device_us, received_at FROM logs "
#define MVR_ST_LOG_FILTER                                                                  \
    "WHERE device_id = ?1 AND id > ?2 AND +received_at >= ?3 "                            \
    "AND (?5 IS NULL OR +boot_id = ?5) "
#define MVR_ST_LOGS_PAGE_SQL MVR_ST_LOG_COLS MVR_ST_LOG_FILTER "ORDER BY id LIMIT ?4"
#define MVR_ST_LOGS_TAIL_SQL MVR_ST_LOG_COLS MVR_ST_LOG_FILTER "ORDER BY id DESC LIMIT ?4"
#define MVR_ST_LOGS_TIME_SQL                                                               \
    "SELECT id FROM logs WHERE device_id = ?1 AND received_at >= ?2 "                      \
    "ORDER BY received_at, id LIMIT 1"

/* Binds and steps MVR_ST_LOG_INSERT_SQL for one record; 0 or -1. */
int mvr_st_log_insert_one(sqlite3_stmt *s, const char *device, const char *boot_id,
                          const struct mvp_log_rec *r, int64_t now);

/* Seals a secret for its row (device, key): malloc'ed, len + MVR_SEAL_OVERHEAD bytes, or
 * NULL. unseal: MVR_OK with *value malloc'ed and NUL-terminated, or MVR_ST_ERROR. */
uint8_t *mvr_st_seal(struct mvr_store *st, const char *device, const char *key,
                     const char *value, size_t len);
int mvr_st_unseal(struct mvr_store *st, const char *device, const char *key,
                  const uint8_t *in, size_t len, char **value, size_t *vlen);

/* The writer thread: starts on its own connection to path; 0 or -1 with err. */
int mvr_writer_start(struct mvr_store *st, const char *path, int flags, char *err,
                     size_t errlen);
/* Commits what is queued, stops the thread, runs the remaining done callbacks. */
void mvr_writer_stop(struct mvr_store *st);
/* Hands a completed job to the loop: the done list, one less pending, notify. */
void mvr_writer_complete(struct mvr_store *st, struct mvr_store_job *j);
/* The reader pool: start n threads, each with its own connection (SQLite: to path, opened
 * with flags; PostgreSQL: its own libpq connection), 0 or -1 with err; stop finishes the
 * calls taken, fails the queued ones (their done still runs), joins, closes the
 * connections. */
int mvr_pool_start(struct mvr_store *st, unsigned n, const char *path, int flags, char *err,
                   size_t errlen);
void mvr_pool_stop(struct mvr_store *st);
/* On the loop, from mvr_store_poll: runs the loop hops reader threads wait for. */
void mvr_pool_run_hops(struct mvr_store *st);
/* WAL checkpoints on their own thread and connection (store_ckpt.c): start replaces
 * writer_db's automatic checkpoint by a hook waking that thread; stop (after the writer's
 * last commit) gives writer_db its automatic checkpoint back. 0 or -1 with err. */
struct mvr_ckpt;
int mvr_ckpt_start(struct mvr_ckpt **out, sqlite3 *writer_db, const char *path, int flags,
                   char *err, size_t errlen);
void mvr_ckpt_stop(struct mvr_ckpt *c, sqlite3 *writer_db);
/* Counts a call in the writer's pending total (mvr_store_sync waits for it). */
void mvr_writer_add_pending(struct mvr_store *st);

#endif
