/* PostgreSQL backend: the devices table. */
#include <stdio.h>
#include <string.h>

#include "store/pg/pg_priv.h"

#define DEV_COLS "SELECT id, created_at, last_seen, boot_id, remote_addr FROM devices "

int mvr_pg_device_create(struct mvr_store *st, const char *id, int64_t now)
{
    struct mvr_pgp p = {0};
    mvr_pgp_text(&p, id);
    mvr_pgp_int(&p, now);
    return mvr_pg_run(st, mvr_pg_rd(st), "device_create",
                      "INSERT INTO devices(id, created_at) VALUES($1, $2)", &p, NULL);
}

static void row_to_device(const PGresult *r, int i, struct mvr_device *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->id, sizeof d->id, "%s", PQgetvalue(r, i, 0));
    d->created_at = mvr_pg_int(r, i, 1);
    d->last_seen = mvr_pg_int(r, i, 2);
    snprintf(d->boot_id, sizeof d->boot_id, "%s", PQgetvalue(r, i, 3));
    snprintf(d->remote_addr, sizeof d->remote_addr, "%s", PQgetvalue(r, i, 4));
}

int mvr_pg_device_get(struct mvr_store *st, const char *id, struct mvr_device *d)
{
    struct mvr_pgp p = {0};
    PGresult *r;
    mvr_pgp_text(&p, id);
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "device_get", DEV_COLS "WHERE id = $1", &p, &r);
    if (rc != MVR_OK)
        return rc;
    if (PQntuples(r) == 1)
        row_to_device(r, 0, d);
    else
        rc = MVR_ST_NOTFOUND;
    PQclear(r);
    return rc;
}

int mvr_pg_device_list(struct mvr_store *st, const char *after, unsigned limit,
                       mvr_device_cb cb, void *ctx)
{
    struct mvr_pgp p = {0};
    PGresult *r;
    mvr_pgp_text(&p, after ? after : "");
    mvr_pgp_int(&p, limit);
    /* COLLATE "C": the same byte order as SQLite, so paging cursors agree. */
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "device_list",
                        DEV_COLS "WHERE id > $1 COLLATE \"C\" ORDER BY id COLLATE \"C\" "
                                 "LIMIT $2", &p, &r);
    if (rc != MVR_OK)
        return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        struct mvr_device d;
        row_to_device(r, i, &d);
        if (cb(ctx, &d) != 0)
            break;
    }
    PQclear(r);
    return MVR_OK;
}

#define SEEN_SQL                                                                           \
    "UPDATE devices SET last_seen = $1, boot_id = COALESCE($2, boot_id), "                \
    "remote_addr = COALESCE($3, remote_addr) WHERE id = $4"

int mvr_pg_device_seen(struct mvr_store *st, const char *id, int64_t now,
                       const char *boot_id, const char *remote_addr)
{
    struct mvr_pgp p = {0};
    PGresult *r;
    mvr_pgp_int(&p, now);
    mvr_pgp_text(&p, boot_id);
    mvr_pgp_text(&p, remote_addr);
    mvr_pgp_text(&p, id);
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "device_seen", SEEN_SQL, &p, &r);
    if (rc != MVR_OK)
        return rc;
    rc = strcmp(PQcmdTuples(r), "0") ? MVR_OK : MVR_ST_NOTFOUND;
    PQclear(r);
    return rc;
}

/* Heartbeats are the database's clock, so relays on hosts with skewed clocks agree. */
#define PG_NOW_US "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT"
#define HEARTBEAT_STALE_US "15000000"

int mvr_pg_device_online_elsewhere(struct mvr_store *st, const char *id)
{
    struct mvr_pgp p = {0};
    PGresult *r;
    mvr_pgp_text(&p, id);
    mvr_pgp_text(&p, st->pg->instance);
    if (mvr_pg_run(st, mvr_pg_rd(st), "device_online",
                   "SELECT 1 FROM sessions s JOIN relays r ON r.id = s.relay WHERE "
                   "s.device_id = $1 AND s.relay <> $2 AND r.heartbeat >= " PG_NOW_US
                   " - " HEARTBEAT_STALE_US, &p, &r) != MVR_OK)
        return MVR_ST_ERROR;
    int n = PQntuples(r);
    PQclear(r);
    return n > 0;
}

void mvr_pg_set_name(struct mvr_store *st, const char *name)
{
    snprintf(st->pg->name, sizeof st->pg->name, "%s", name);
}
