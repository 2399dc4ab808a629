/* Store: the devices table (provisioned devices and their last connection facts). */
#include <stdio.h>
#include <string.h>

#include "store/store_priv.h"

int mvr_sq_device_create(struct mvr_store *st, const char *id, int64_t now)
{
    sqlite3_stmt *s = mvr_st_prepare(st, "INSERT INTO devices(id, created_at) VALUES(?, ?)");
    int rc = MVR_ST_ERROR;
    if (!s)
        return rc;
    mvr_st_text(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    int r = sqlite3_step(s);
    if (r == SQLITE_DONE)
        rc = MVR_OK;
    else if (sqlite3_extended_errcode(mvr_sq_rd(st)) == SQLITE_CONSTRAINT_PRIMARYKEY)
        rc = MVR_ST_EXISTS;
    else
        rc = mvr_st_fail(st, "device_create");
    sqlite3_finalize(s);
    return rc;
}

static void copy_col(sqlite3_stmt *s, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
}

static void row_to_device(sqlite3_stmt *s, struct mvr_device *d)
{
    memset(d, 0, sizeof *d);
    copy_col(s, 0, d->id, sizeof d->id);
    d->created_at = sqlite3_column_int64(s, 1);
    d->last_seen = sqlite3_column_int64(s, 2);
    copy_col(s, 3, d->boot_id, sizeof d->boot_id);
    copy_col(s, 4, d->remote_addr, sizeof d->remote_addr);
}

int mvr_sq_device_get(struct mvr_store *st, const char *id, struct mvr_device *d)
{
    sqlite3_stmt *s = mvr_st_prepare(st, "SELECT id, created_at, last_seen, boot_id, "
                                         "remote_addr FROM devices WHERE id = ?");
    int rc = MVR_ST_ERROR;
    if (!s)
        return rc;
    mvr_st_text(s, 1, id);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        row_to_device(s, d);
        rc = MVR_OK;
    } else if (r == SQLITE_DONE) {
        rc = MVR_ST_NOTFOUND;
    } else {
        rc = mvr_st_fail(st, "device_get");
    }
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_device_list(struct mvr_store *st, const char *after, unsigned limit,
                       mvr_device_cb cb, void *ctx)
{
    sqlite3_stmt *s = mvr_st_prepare(st, "SELECT id, created_at, last_seen, boot_id, "
                                         "remote_addr FROM devices WHERE id > ? "
                                         "ORDER BY id LIMIT ?");
    int rc = MVR_OK, r;
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, after ? after : "");
    sqlite3_bind_int64(s, 2, limit);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct mvr_device d;
        row_to_device(s, &d);
        if (cb(ctx, &d) != 0)
            break;
    }
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = mvr_st_fail(st, "device_list");
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_device_seen(struct mvr_store *st, const char *id, int64_t now,
                       const char *boot_id, const char *remote_addr)
{
    sqlite3_stmt *s = mvr_st_prepare(st, "UPDATE devices SET last_seen = ?, "
                                         "boot_id = COALESCE(?, boot_id), "
                                         "remote_addr = COALESCE(?, remote_addr) WHERE id = ?");
    int rc;
    if (!s)
        return MVR_ST_ERROR;
    sqlite3_bind_int64(s, 1, now);
    mvr_st_text(s, 2, boot_id);
    mvr_st_text(s, 3, remote_addr);
    mvr_st_text(s, 4, id);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = mvr_st_fail(st, "device_seen");
    else
        rc = sqlite3_changes(mvr_sq_rd(st)) ? MVR_OK : MVR_ST_NOTFOUND;
    sqlite3_finalize(s);
    return rc;
}
