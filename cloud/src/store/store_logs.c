/* Store: device log records. Insertion is idempotent (UNIQUE device, boot, seq with
 * INSERT OR IGNORE) so resent batches are harmless. The relay inserts through the writer
 * thread (store_writer.c); mvr_store_logs_insert is the synchronous form for tools and
 * tests. Queries are served by indexes (see the plans checked in test_store.c). */
#include "store/store_priv.h"

int mvr_st_log_insert_one(sqlite3_stmt *s, const char *device, const char *boot_id,
                          const struct mvp_log_rec *r, int64_t now)
{
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    mvr_st_text(s, 1, device);
    mvr_st_text(s, 2, boot_id);
    sqlite3_bind_int64(s, 3, r->seq);
    sqlite3_bind_int(s, 4, r->kind);
    if (r->kind == MVP_LOG_KIND_MSG) {
        /* zeroblob-safe: a zero-length message is stored as an empty blob, not NULL. */
        sqlite3_bind_blob(s, 5, r->msg_len ? (const void *)r->msg : "", r->msg_len,
                          SQLITE_TRANSIENT);
        sqlite3_bind_null(s, 6);
    } else {
        sqlite3_bind_null(s, 5);
        sqlite3_bind_int64(s, 6, r->dropped);
    }
    sqlite3_bind_int64(s, 7, (sqlite3_int64)r->device_us);
    sqlite3_bind_int64(s, 8, now);
    return sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
}

int mvr_sq_logs_insert(struct mvr_store *st, const char *device, const char *boot_id,
                       const struct mvp_log_rec *recs, size_t n, int64_t now,
                       unsigned *inserted)
{
    sqlite3_stmt *s = NULL;
    int rc = MVR_ST_ERROR;
    *inserted = 0;
    if (mvr_st_exec(st, "BEGIN IMMEDIATE") != MVR_OK)
        return rc;
    s = mvr_st_prepare(st, MVR_ST_LOG_INSERT_SQL);
    if (!s)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (mvr_st_log_insert_one(s, device, boot_id, &recs[i], now) < 0) {
            mvr_st_fail(st, "log_insert");
            goto out;
        }
        *inserted += (unsigned)sqlite3_changes(mvr_sq_rd(st));
    }
    sqlite3_finalize(s);
    s = NULL;
    if (mvr_st_exec(st, "COMMIT") != MVR_OK)
        goto out;
    return MVR_OK;
out:
    sqlite3_finalize(s);
    mvr_st_exec(st, "ROLLBACK");
    *inserted = 0;
    return rc;
}

int mvr_sq_log_max_seq(struct mvr_store *st, const char *device, const char *boot_id,
                       uint32_t *seq)
{
    sqlite3_stmt *s = mvr_st_prepare(st, "SELECT MAX(seq) FROM logs WHERE device_id = ? "
                                         "AND boot_id = ?");
    int rc = MVR_ST_ERROR;
    if (!s)
        return rc;
    mvr_st_text(s, 1, device);
    mvr_st_text(s, 2, boot_id);
    if (sqlite3_step(s) != SQLITE_ROW) {
        rc = mvr_st_fail(st, "log_max_seq");
    } else if (sqlite3_column_type(s, 0) == SQLITE_NULL) {
        rc = MVR_ST_NOTFOUND;
    } else {
        *seq = (uint32_t)sqlite3_column_int64(s, 0);
        rc = MVR_OK;
    }
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_log_cursor_id(struct mvr_store *st, const char *device, const char *boot_id,
                         uint32_t seq, int64_t *id)
{
    sqlite3_stmt *s = mvr_st_prepare(st, "SELECT id FROM logs WHERE device_id = ? "
                                         "AND boot_id = ? AND seq = ?");
    int rc = MVR_ST_ERROR, r;
    if (!s)
        return rc;
    mvr_st_text(s, 1, device);
    mvr_st_text(s, 2, boot_id);
    sqlite3_bind_int64(s, 3, seq);
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        rc = MVR_OK;
    } else if (r == SQLITE_DONE) {
        rc = MVR_ST_NOTFOUND;
    } else {
        rc = mvr_st_fail(st, "log_cursor");
    }
    sqlite3_finalize(s);
    return rc;
}

/* The first record of a device received at or after since_us, by the time index: with
 * received_at non-decreasing in insertion order (the relay stamps records with its clock
 * when it receives them), every later record qualifies too, so the page query can start
 * at that id. 0 ok (*id = its id - 1), MVR_ST_NOTFOUND when none, or an error. */
static int time_start(struct mvr_store *st, const char *device, int64_t since_us, int64_t *id)
{
    sqlite3_stmt *s = mvr_st_prepare(st, MVR_ST_LOGS_TIME_SQL);
    int rc = MVR_ST_ERROR, r;
    if (!s)
        return rc;
    mvr_st_text(s, 1, device);
    sqlite3_bind_int64(s, 2, since_us);
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0) - 1;
        rc = MVR_OK;
    } else if (r == SQLITE_DONE) {
        rc = MVR_ST_NOTFOUND;
    } else {
        rc = mvr_st_fail(st, "logs_since_time");
    }
    sqlite3_finalize(s);
    return rc;
}

static int each_row(struct mvr_store *st, sqlite3_stmt *s, mvr_log_cb cb, void *ctx)
{
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct mvr_log_row row = {
            .id = sqlite3_column_int64(s, 0),
            .boot_id = (const char *)sqlite3_column_text(s, 1),
            .seq = (uint32_t)sqlite3_column_int64(s, 2),
            .kind = sqlite3_column_int(s, 3),
            .msg = sqlite3_column_blob(s, 4),
            .msg_len = (size_t)sqlite3_column_bytes(s, 4),
            .dropped = (uint32_t)sqlite3_column_int64(s, 5),
            .device_us = sqlite3_column_int64(s, 6),
            .received_at = sqlite3_column_int64(s, 7),
        };
        if (cb(ctx, &row) != 0)
            return MVR_OK;
    }
    return r == SQLITE_DONE ? MVR_OK : mvr_st_fail(st, "logs_query");
}

/* Every form is an index range read of O(log n + page) rows (plans checked in
 * test_store.c): by (device_id, id) forwards from a cursor or a time's first record,
 * backwards for a tail. */
int mvr_sq_logs_query(struct mvr_store *st, const char *device,
                      const struct mvr_log_query *q, mvr_log_cb cb, void *ctx)
{
    int64_t after = q->after_id;
    if (q->since_us > 0 && !q->newest_first) {
        int64_t first = 0;
        int rc = time_start(st, device, q->since_us, &first);
        if (rc == MVR_ST_NOTFOUND)
            return MVR_OK; /* nothing received since then */
        if (rc != MVR_OK)
            return rc;
        if (first > after)
            after = first;
    }
    sqlite3_stmt *s = mvr_st_prepare(st, q->newest_first ? MVR_ST_LOGS_TAIL_SQL
                                                         : MVR_ST_LOGS_PAGE_SQL);
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, device);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int64(s, 3, q->since_us);
    sqlite3_bind_int64(s, 4, q->limit);
    mvr_st_text(s, 5, q->boot_id);
    int rc = each_row(st, s, cb, ctx);
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_log_last_id(struct mvr_store *st, const char *device, int64_t *id)
{
    sqlite3_stmt *s = mvr_st_prepare(st, "SELECT MAX(id) FROM logs WHERE device_id = ?");
    int rc = MVR_OK;
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, device);
    if (sqlite3_step(s) == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    else
        rc = mvr_st_fail(st, "log_last_id");
    sqlite3_finalize(s);
    return rc;
}
