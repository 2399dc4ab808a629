/* PostgreSQL backend: configs and secrets (sealed exactly as in the SQLite backend, so a
 * secret's row identity is its AAD whatever the database). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/seal.h"
#include "store/pg/pg_priv.h"

static const char *table(enum mvr_kv_kind k) { return k == MVR_KV_SECRET ? "secrets" : "configs"; }
static const char *scope(const char *device) { return device ? device : ""; }

/* Only the fixed table name is formatted in; values are always parameters. */
static void sql_for(char *sql, size_t cap, const char *fmt, enum mvr_kv_kind kind)
{
    snprintf(sql, cap, fmt, table(kind));
}

int mvr_pg_kv_put(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                  const char *key, const char *value, size_t len, int64_t now)
{
    struct mvr_pgp p = {0};
    char sql[256], *text = NULL;
    uint8_t *sealed = NULL;
    int rc = MVR_ST_ERROR;
    device = scope(device);
    mvr_pgp_text(&p, device);
    mvr_pgp_text(&p, key);
    if (kind == MVR_KV_SECRET) {
        if (!(sealed = mvr_st_seal(st, device, key, value, len)))
            return rc;
        mvr_pgp_bin(&p, sealed, len + MVR_SEAL_OVERHEAD);
    } else {
        if (!(text = strndup(value, len))) /* the API passes text: no NUL inside */
            return rc;
        mvr_pgp_text(&p, text);
    }
    mvr_pgp_int(&p, now);
    sql_for(sql, sizeof sql,
            "INSERT INTO %s VALUES($1, $2, $3, $4) ON CONFLICT (device_id, key) DO UPDATE "
            "SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at", kind);
    rc = mvr_pg_run(st, mvr_pg_rd(st), "kv_put", sql, &p, NULL);
    free(sealed);
    free(text);
    return rc;
}

/* The value column of row i: text for configs, bytea (hex text) for secrets. */
static int get_value(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                     const char *key, const PGresult *r, char **value, size_t *len)
{
    const char *v = PQgetvalue(r, 0, 0);
    if (kind == MVR_KV_SECRET) {
        size_t n = 0;
        unsigned char *raw = PQunescapeBytea((const unsigned char *)v, &n);
        int rc = raw ? mvr_st_unseal(st, device, key, raw, n, value, len) : MVR_ST_ERROR;
        PQfreemem(raw);
        return rc;
    }
    *len = (size_t)PQgetlength(r, 0, 0);
    *value = strndup(v, *len);
    return *value ? MVR_OK : MVR_ST_ERROR;
}

int mvr_pg_kv_get(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                  const char *key, char **value, size_t *len, int64_t *updated_at)
{
    struct mvr_pgp p = {0};
    char sql[256];
    PGresult *r;
    device = scope(device);
    mvr_pgp_text(&p, device);
    mvr_pgp_text(&p, key);
    sql_for(sql, sizeof sql,
            "SELECT value, updated_at FROM %s WHERE device_id = $1 AND key = $2", kind);
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "kv_get", sql, &p, &r);
    if (rc != MVR_OK)
        return rc;
    if (PQntuples(r) != 1) {
        rc = MVR_ST_NOTFOUND;
    } else {
        if (updated_at)
            *updated_at = mvr_pg_int(r, 0, 1);
        rc = get_value(st, kind, device, key, r, value, len);
    }
    PQclear(r);
    return rc;
}

int mvr_pg_kv_delete(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                     const char *key)
{
    struct mvr_pgp p = {0};
    char sql[256];
    PGresult *r;
    mvr_pgp_text(&p, scope(device));
    mvr_pgp_text(&p, key);
    sql_for(sql, sizeof sql, "DELETE FROM %s WHERE device_id = $1 AND key = $2", kind);
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "kv_delete", sql, &p, &r);
    if (rc != MVR_OK)
        return rc;
    rc = strcmp(PQcmdTuples(r), "0") ? MVR_OK : MVR_ST_NOTFOUND;
    PQclear(r);
    return rc;
}

int mvr_pg_kv_list(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                   const char *after, unsigned limit, mvr_kv_cb cb, void *ctx)
{
    struct mvr_pgp p = {0};
    char sql[256];
    PGresult *r;
    mvr_pgp_text(&p, scope(device));
    mvr_pgp_text(&p, after ? after : "");
    mvr_pgp_int(&p, limit);
    sql_for(sql, sizeof sql,
            "SELECT device_id, key, value, updated_at FROM %s WHERE device_id = $1 AND "
            "key > $2 COLLATE \"C\" ORDER BY key COLLATE \"C\" LIMIT $3", kind);
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "kv_list", sql, &p, &r);
    if (rc != MVR_OK)
        return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        struct mvr_kv_row row = {
            .device_id = PQgetvalue(r, i, 0),
            .key = PQgetvalue(r, i, 1),
            .updated_at = mvr_pg_int(r, i, 3),
        };
        if (kind == MVR_KV_CONFIG) {
            row.value = PQgetvalue(r, i, 2);
            row.value_len = (size_t)PQgetlength(r, i, 2);
        }
        if (cb(ctx, &row) != 0)
            break;
    }
    PQclear(r);
    return MVR_OK;
}
