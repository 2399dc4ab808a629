/* Private parts of the PostgreSQL store backend (libpq). The public store calls reach
 * the mvr_pg_* functions here through mvr_pg_ops (pg_ops.c) when the store was opened
 * with a postgres:// URL. Two connections, like the SQLite backend: the reader serves the
 * synchronous calls on the caller's thread, the writer thread owns the other one. */
#ifndef MVR_PG_PRIV_H
#define MVR_PG_PRIV_H

#include <libpq-fe.h>

#include "mvr/store_apps.h"
#include "store/store_priv.h"

struct mvr_pg {
    char *url;
    PGconn *rd;          /* reader connection (caller's thread) */
    PGconn *ev;          /* LISTEN connection (the loop, pg_events.c) */
    char instance[17];   /* this store's random id: tells its own notifications apart */
    char name[64];       /* the relay's name (relays table) */
};

#define MVR_PG_LOGS_CHANNEL "mvr_logs"
#define MVR_PG_SESSION_CHANNEL "mvr_session"

/* Query parameters: text (NULL = SQL NULL), integers as text, blobs in binary. */
#define MVR_PGP_MAX 16
struct mvr_pgp {
    int n;
    const char *v[MVR_PGP_MAX];
    int len[MVR_PGP_MAX], fmt[MVR_PGP_MAX];
    char num[MVR_PGP_MAX][24];
};
void mvr_pgp_text(struct mvr_pgp *p, const char *s);
void mvr_pgp_int(struct mvr_pgp *p, int64_t v);
void mvr_pgp_bin(struct mvr_pgp *p, const void *data, size_t len);

/* The connection for the synchronous calls: a reader thread's own (store_pool.c), else
 * the reader connection of the thread that opened the store. */
PGconn **mvr_pg_rd(struct mvr_store *st);
/* On a reader thread: use a connection of the thread's own (connected on first use);
 * close it when the thread ends. */
void mvr_pg_use_thread_conn(void);
void mvr_pg_close_thread_conn(void);

/* Connects to url (0, or -1 with a reason in err). */
int mvr_pg_connect(const char *url, PGconn **c, char *err, size_t errlen);
/* Runs sql with p on *c, reconnecting first if the connection was lost. MVR_OK with the
 * result in *out (the caller PQclears it; out may be NULL), MVR_ST_EXISTS for a unique
 * violation, or MVR_ST_ERROR (logged with what, counted for /healthz). */
int mvr_pg_run(struct mvr_store *st, PGconn **c, const char *what, const char *sql,
               const struct mvr_pgp *p, PGresult **out);
/* mvr_pg_run with parameter arrays of any length. */
int mvr_pg_exec(struct mvr_store *st, PGconn **c, const char *what, const char *sql, int n,
                const char *const *v, const int *len, const int *fmt, PGresult **out);
/* Inserts one LOG frame's records on *c (inside the caller's transaction, if any); adds
 * the rows that were new to *inserted. MVR_OK or MVR_ST_ERROR. */
int mvr_pg_logs_put(struct mvr_store *st, PGconn **c, const char *device, const char *boot_id,
                    const struct mvp_log_rec *recs, size_t n, int64_t now, unsigned *inserted);
int64_t mvr_pg_int(const PGresult *r, int row, int col);

int mvr_pg_open(struct mvr_store *st, const char *url, char *err, size_t errlen);
void mvr_pg_close(struct mvr_store *st);
/* Writes a writer-thread group in one transaction on *c; 0 or -1 (logged). */
int mvr_pg_write_group(struct mvr_store *st, PGconn **c, struct mvr_store_job *g);

void mvr_pg_set_name(struct mvr_store *st, const char *name);
int mvr_pg_device_online_elsewhere(struct mvr_store *st, const char *id);
int mvr_pg_events_open(struct mvr_store *st);
int mvr_pg_events_read(struct mvr_store *st, const struct mvr_store_events *ev);
void mvr_pg_events_close(struct mvr_store *st);
int mvr_pg_device_create(struct mvr_store *st, const char *id, int64_t now);
int mvr_pg_device_get(struct mvr_store *st, const char *id, struct mvr_device *d);
int mvr_pg_device_list(struct mvr_store *st, const char *after, unsigned limit,
                       mvr_device_cb cb, void *ctx);
int mvr_pg_device_seen(struct mvr_store *st, const char *id, int64_t now,
                       const char *boot_id, const char *remote_addr);
int mvr_pg_logs_insert(struct mvr_store *st, const char *device, const char *boot_id,
                       const struct mvp_log_rec *recs, size_t n, int64_t now,
                       unsigned *inserted);
int mvr_pg_log_max_seq(struct mvr_store *st, const char *device, const char *boot_id,
                       uint32_t *seq);
int mvr_pg_log_cursor_id(struct mvr_store *st, const char *device, const char *boot_id,
                         uint32_t seq, int64_t *id);
int mvr_pg_log_last_id(struct mvr_store *st, const char *device, int64_t *id);
int mvr_pg_logs_query(struct mvr_store *st, const char *device,
                      const struct mvr_log_query *q, mvr_log_cb cb, void *ctx);
int mvr_pg_kv_put(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                  const char *key, const char *value, size_t len, int64_t now);
int mvr_pg_kv_get(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                  const char *key, char **value, size_t *len, int64_t *updated_at);
int mvr_pg_kv_delete(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                     const char *key);
int mvr_pg_kv_list(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                   const char *after, unsigned limit, mvr_kv_cb cb, void *ctx);
int mvr_pg_app_add(struct mvr_store *st, const struct mvr_app *a);
int mvr_pg_app_get(struct mvr_store *st, const char *id, struct mvr_app *a);
int mvr_pg_app_list(struct mvr_store *st, const char *after, unsigned limit, mvr_app_cb cb,
                    void *ctx);
int mvr_pg_app_delete(struct mvr_store *st, const char *id);
int mvr_pg_update_target(struct mvr_store *st, const char *device, const char *app_id,
                         int64_t now);
int mvr_pg_update_get(struct mvr_store *st, const char *device, struct mvr_update *u);
int mvr_pg_update_report(struct mvr_store *st, const char *device, const char *state,
                         const char *app_id, int64_t offset, const char *reason, int64_t now);
int mvr_pg_token_add(struct mvr_store *st, const uint8_t hash[32], const char *name,
                     int64_t now);
int mvr_pg_token_check(struct mvr_store *st, const uint8_t hash[32]);
int mvr_pg_token_count(struct mvr_store *st, int *n);

#endif
