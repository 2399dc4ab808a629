/* PostgreSQL backend: apps (bundle metadata) and device_updates, as store_apps.c. */
#include <stdio.h>
#include <string.h>

#include "store/pg/pg_priv.h"

int mvr_pg_app_add(struct mvr_store *st, const struct mvr_app *a)
{
    struct mvr_pgp p = {0};
    mvr_pgp_text(&p, a->id);
    mvr_pgp_text(&p, a->name);
    mvr_pgp_text(&p, a->version);
    mvr_pgp_text(&p, a->port);
    mvr_pgp_int(&p, a->size);
    mvr_pgp_int(&p, a->image_size);
    mvr_pgp_text(&p, a->sha256);
    mvr_pgp_int(&p, a->created_at);
    return mvr_pg_run(st, mvr_pg_rd(st), "app_add",
                      "INSERT INTO apps(id, name, version, port, size, image_size, sha256, "
                      "created_at) VALUES($1, $2, $3, $4, $5, $6, $7, $8)", &p, NULL);
}

static void col(const PGresult *r, int i, int c, char *out, size_t cap)
{
    snprintf(out, cap, "%s", PQgetvalue(r, i, c));
}

static void row_to_app(const PGresult *r, int i, struct mvr_app *a)
{
    memset(a, 0, sizeof *a);
    col(r, i, 0, a->id, sizeof a->id);
    col(r, i, 1, a->name, sizeof a->name);
    col(r, i, 2, a->version, sizeof a->version);
    col(r, i, 3, a->port, sizeof a->port);
    a->size = mvr_pg_int(r, i, 4);
    a->image_size = mvr_pg_int(r, i, 5);
    col(r, i, 6, a->sha256, sizeof a->sha256);
    a->created_at = mvr_pg_int(r, i, 7);
}

#define APP_COLS "SELECT id, name, version, port, size, image_size, sha256, created_at FROM apps "

int mvr_pg_app_get(struct mvr_store *st, const char *id, struct mvr_app *a)
{
    struct mvr_pgp p = {0};
    PGresult *r;
    mvr_pgp_text(&p, id);
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "app_get", APP_COLS "WHERE id = $1", &p, &r);
    if (rc != MVR_OK)
        return rc;
    if (PQntuples(r) == 1)
        row_to_app(r, 0, a);
    else
        rc = MVR_ST_NOTFOUND;
    PQclear(r);
    return rc;
}

int mvr_pg_app_list(struct mvr_store *st, const char *after, unsigned limit, mvr_app_cb cb,
                    void *ctx)
{
    struct mvr_pgp p = {0};
    PGresult *r;
    mvr_pgp_text(&p, after ? after : "");
    mvr_pgp_int(&p, limit);
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "app_list",
                        APP_COLS "WHERE id > $1 COLLATE \"C\" ORDER BY id COLLATE \"C\" LIMIT $2",
                        &p, &r);
    if (rc != MVR_OK)
        return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        struct mvr_app a;
        row_to_app(r, i, &a);
        if (cb(ctx, &a))
            break;
    }
    PQclear(r);
    return MVR_OK;
}

/* An app some device is targeted at stays (MVR_ST_EXISTS), as with SQLite. */
int mvr_pg_app_delete(struct mvr_store *st, const char *id)
{
    struct mvr_pgp p = {0};
    PGresult *r;
    mvr_pgp_text(&p, id);
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "app_delete",
                        "DELETE FROM apps WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM "
                        "device_updates WHERE target_app = $1) RETURNING 1", &p, &r);
    if (rc != MVR_OK)
        return rc;
    int deleted = PQntuples(r);
    PQclear(r);
    if (deleted)
        return MVR_OK;
    struct mvr_app a;
    rc = mvr_pg_app_get(st, id, &a);
    return rc == MVR_OK ? MVR_ST_EXISTS : rc;
}

int mvr_pg_update_target(struct mvr_store *st, const char *device, const char *app_id,
                         int64_t now)
{
    struct mvr_pgp p = {0};
    mvr_pgp_text(&p, device);
    mvr_pgp_text(&p, app_id);
    mvr_pgp_int(&p, now);
    return mvr_pg_run(st, mvr_pg_rd(st), "update_target",
                      "INSERT INTO device_updates(device_id, target_app, state, app_id, "
                      "dl_offset, reason, updated_at) VALUES($1, $2, 'pending', $2, 0, NULL, $3) "
                      "ON CONFLICT(device_id) DO UPDATE SET target_app = $2, state = 'pending', "
                      "app_id = $2, dl_offset = 0, reason = NULL, updated_at = $3", &p, NULL);
}

int mvr_pg_update_get(struct mvr_store *st, const char *device, struct mvr_update *u)
{
    struct mvr_pgp p = {0};
    PGresult *r;
    mvr_pgp_text(&p, device);
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "update_get",
                        "SELECT target_app, state, app_id, dl_offset, reason, updated_at FROM "
                        "device_updates WHERE device_id = $1", &p, &r);
    if (rc != MVR_OK)
        return rc;
    if (PQntuples(r) == 1) {
        memset(u, 0, sizeof *u);
        col(r, 0, 0, u->target_app, sizeof u->target_app);
        col(r, 0, 1, u->state, sizeof u->state);
        col(r, 0, 2, u->app_id, sizeof u->app_id);
        u->offset = mvr_pg_int(r, 0, 3);
        col(r, 0, 4, u->reason, sizeof u->reason);
        u->updated_at = mvr_pg_int(r, 0, 5);
    } else {
        rc = MVR_ST_NOTFOUND;
    }
    PQclear(r);
    return rc;
}

int mvr_pg_update_report(struct mvr_store *st, const char *device, const char *state,
                         const char *app_id, int64_t offset, const char *reason, int64_t now)
{
    struct mvr_pgp p = {0};
    mvr_pgp_text(&p, device);
    mvr_pgp_text(&p, state);
    mvr_pgp_text(&p, app_id && *app_id ? app_id : NULL);
    mvr_pgp_int(&p, offset);
    mvr_pgp_text(&p, reason && *reason ? reason : NULL);
    mvr_pgp_int(&p, now);
    return mvr_pg_run(st, mvr_pg_rd(st), "update_report",
                      "INSERT INTO device_updates(device_id, target_app, state, app_id, "
                      "dl_offset, reason, updated_at) VALUES($1, NULL, $2, $3, $4, $5, $6) "
                      "ON CONFLICT(device_id) DO UPDATE SET state = $2, app_id = $3, "
                      "dl_offset = $4, reason = $5, updated_at = $6", &p, NULL);
}
