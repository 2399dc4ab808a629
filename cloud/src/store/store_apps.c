/* Store: the apps table (bundle metadata; the bytes are files in the data dir) and
 * device_updates (target app and the state each device reported). */
#include <stdio.h>
#include <string.h>

#include "mvr/store_apps.h"
#include "store/store_priv.h"

static void col(sqlite3_stmt *s, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
}

/* Steps a statement that returns no rows and finalizes it. */
static int run(struct mvr_store *st, sqlite3_stmt *s, const char *what)
{
    int r = sqlite3_step(s), rc = MVR_OK;
    if (r != SQLITE_DONE)
        rc = sqlite3_extended_errcode(mvr_sq_rd(st)) == SQLITE_CONSTRAINT_PRIMARYKEY
                 ? MVR_ST_EXISTS
                 : mvr_st_fail(st, what);
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_app_add(struct mvr_store *st, const struct mvr_app *a)
{
    sqlite3_stmt *s = mvr_st_prepare(st, "INSERT INTO apps(id, name, version, port, size, "
                                         "image_size, sha256, created_at) "
                                         "VALUES(?,?,?,?,?,?,?,?)");
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, a->id);
    mvr_st_text(s, 2, a->name);
    mvr_st_text(s, 3, a->version);
    mvr_st_text(s, 4, a->port);
    sqlite3_bind_int64(s, 5, a->size);
    sqlite3_bind_int64(s, 6, a->image_size);
    mvr_st_text(s, 7, a->sha256);
    sqlite3_bind_int64(s, 8, a->created_at);
    return run(st, s, "app_add");
}

static void row_to_app(sqlite3_stmt *s, struct mvr_app *a)
{
    memset(a, 0, sizeof *a);
    col(s, 0, a->id, sizeof a->id);
    col(s, 1, a->name, sizeof a->name);
    col(s, 2, a->version, sizeof a->version);
    col(s, 3, a->port, sizeof a->port);
    a->size = sqlite3_column_int64(s, 4);
    a->image_size = sqlite3_column_int64(s, 5);
    col(s, 6, a->sha256, sizeof a->sha256);
    a->created_at = sqlite3_column_int64(s, 7);
}

#define APP_COLS "SELECT id, name, version, port, size, image_size, sha256, created_at FROM apps "

int mvr_sq_app_get(struct mvr_store *st, const char *id, struct mvr_app *a)
{
    sqlite3_stmt *s = mvr_st_prepare(st, APP_COLS "WHERE id = ?");
    int rc;
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, id);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        row_to_app(s, a);
        rc = MVR_OK;
    } else {
        rc = r == SQLITE_DONE ? MVR_ST_NOTFOUND : mvr_st_fail(st, "app_get");
    }
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_app_list(struct mvr_store *st, const char *after, unsigned limit, mvr_app_cb cb,
                    void *ctx)
{
    sqlite3_stmt *s = mvr_st_prepare(st, APP_COLS "WHERE id > ? ORDER BY id LIMIT ?");
    struct mvr_app a;
    int r;
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, after ? after : "");
    sqlite3_bind_int64(s, 2, limit);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        row_to_app(s, &a);
        if (cb(ctx, &a))
            break;
    }
    int rc = (r == SQLITE_ROW || r == SQLITE_DONE) ? MVR_OK : mvr_st_fail(st, "app_list");
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_app_delete(struct mvr_store *st, const char *id)
{
    sqlite3_stmt *s = mvr_st_prepare(st, "SELECT 1 FROM device_updates WHERE target_app = ?");
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, id);
    int r = sqlite3_step(s);
    sqlite3_finalize(s);
    if (r == SQLITE_ROW)
        return MVR_ST_EXISTS;
    if (r != SQLITE_DONE)
        return mvr_st_fail(st, "app_delete");
    s = mvr_st_prepare(st, "DELETE FROM apps WHERE id = ?");
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, id);
    int rc = run(st, s, "app_delete");
    return rc == MVR_OK && sqlite3_changes(mvr_sq_rd(st)) == 0 ? MVR_ST_NOTFOUND : rc;
}

int mvr_sq_update_target(struct mvr_store *st, const char *device, const char *app_id,
                         int64_t now)
{
    sqlite3_stmt *s = mvr_st_prepare(
        st, "INSERT INTO device_updates(device_id, target_app, state, app_id, dl_offset, "
            "reason, updated_at) VALUES(?1, ?2, 'pending', ?2, 0, NULL, ?3) "
            "ON CONFLICT(device_id) DO UPDATE SET target_app = ?2, state = 'pending', "
            "app_id = ?2, dl_offset = 0, reason = NULL, updated_at = ?3");
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, device);
    mvr_st_text(s, 2, app_id);
    sqlite3_bind_int64(s, 3, now);
    return run(st, s, "update_target");
}

int mvr_sq_update_get(struct mvr_store *st, const char *device, struct mvr_update *u)
{
    sqlite3_stmt *s = mvr_st_prepare(st, "SELECT target_app, state, app_id, dl_offset, reason, "
                                         "updated_at FROM device_updates WHERE device_id = ?");
    int rc;
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, device);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        memset(u, 0, sizeof *u);
        col(s, 0, u->target_app, sizeof u->target_app);
        col(s, 1, u->state, sizeof u->state);
        col(s, 2, u->app_id, sizeof u->app_id);
        u->offset = sqlite3_column_int64(s, 3);
        col(s, 4, u->reason, sizeof u->reason);
        u->updated_at = sqlite3_column_int64(s, 5);
        rc = MVR_OK;
    } else {
        rc = r == SQLITE_DONE ? MVR_ST_NOTFOUND : mvr_st_fail(st, "update_get");
    }
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_update_report(struct mvr_store *st, const char *device, const char *state,
                         const char *app_id, int64_t offset, const char *reason, int64_t now)
{
    sqlite3_stmt *s = mvr_st_prepare(
        st, "INSERT INTO device_updates(device_id, target_app, state, app_id, dl_offset, "
            "reason, updated_at) VALUES(?1, NULL, ?2, ?3, ?4, ?5, ?6) "
            "ON CONFLICT(device_id) DO UPDATE SET state = ?2, app_id = ?3, dl_offset = ?4, "
            "reason = ?5, updated_at = ?6");
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, device);
    mvr_st_text(s, 2, state);
    mvr_st_text(s, 3, app_id && *app_id ? app_id : NULL);
    sqlite3_bind_int64(s, 4, offset);
    mvr_st_text(s, 5, reason && *reason ? reason : NULL);
    sqlite3_bind_int64(s, 6, now);
    return run(st, s, "update_report");
}
