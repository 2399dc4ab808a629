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

int mvr_store_logs_insert(struct mvr_store *st, const char *device, const char *boot_id,
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
        *inserted += (unsigned)sqlite3_changes(st->db);
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

int mvr_store_log_max_seq(struct mvr_store *st, const char *device, const char *boot_id,
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

int mvr_store_log_cursor_id(struct mvr_store *st, const char *device, const char *boot_id,
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

int mvr_store_logs_query(struct mvr_store *st, const char *device,
                         const struct mvr_log_query *q, mvr_log_cb cb, void *ctx)
{
    sqlite3_stmt *s = mvr_st_prepare(st, q->newest_first
        ? "SELECT id, boot_id, seq, kind, message, dropped, device_us, received_at FROM logs "
          "WHERE device_id = ? AND id > ? AND received_at >= ? "
          "AND (?5 IS NULL OR boot_id = ?5) ORDER BY id DESC LIMIT ?"
        : "SELECT id, boot_id, seq, kind, message, dropped, device_us, received_at FROM logs "
          "WHERE device_id = ? AND id > ? AND received_at >= ? "
          "AND (?5 IS NULL OR boot_id = ?5) ORDER BY id LIMIT ?");
    int rc = MVR_OK, r;
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, device);
    sqlite3_bind_int64(s, 2, q->after_id);
    sqlite3_bind_int64(s, 3, q->since_us);
    mvr_st_text(s, 5, q->boot_id);
    sqlite3_bind_int64(s, 6, q->limit);
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
            break;
    }
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = mvr_st_fail(st, "logs_query");
    sqlite3_finalize(s);
    return rc;
}

int mvr_store_log_last_id(struct mvr_store *st, const char *device, int64_t *id)
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
