/* Store: configs and secrets at account scope (device_id = '') and device scope.
 * Secrets are sealed with AES-256-GCM; the row identity (scope + key) is the AAD. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/seal.h"
#include "store/store_priv.h"

static const char *table(enum mvr_kv_kind k) { return k == MVR_KV_SECRET ? "secrets" : "configs"; }
static const char *scope(const char *device) { return device ? device : ""; }

/* AAD = device_id NUL key: unambiguous because neither contains NUL. */
static size_t make_aad(const char *device, const char *key, uint8_t *aad, size_t cap)
{
    size_t dl = strlen(device), kl = strlen(key);
    if (dl + 1 + kl > cap)
        return 0;
    memcpy(aad, device, dl);
    aad[dl] = 0;
    memcpy(aad + dl + 1, key, kl);
    return dl + 1 + kl;
}

uint8_t *mvr_st_seal(struct mvr_store *st, const char *device, const char *key,
                     const char *value, size_t len)
{
    uint8_t aad[256];
    size_t aad_len = make_aad(device, key, aad, sizeof aad);
    uint8_t *sealed = malloc(len + MVR_SEAL_OVERHEAD);
    if (!aad_len || !sealed ||
        mvr_seal(st->seal_key, aad, aad_len, (const uint8_t *)value, len, sealed) < 0) {
        free(sealed);
        return NULL;
    }
    return sealed;
}

static sqlite3_stmt *prep(struct mvr_store *st, const char *fmt, enum mvr_kv_kind kind)
{
    char sql[256];
    /* Only the fixed table name is formatted in; values are always bound. */
    snprintf(sql, sizeof sql, fmt, table(kind));
    return mvr_st_prepare(st, sql);
}

int mvr_sq_kv_put(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                  const char *key, const char *value, size_t len, int64_t now)
{
    int rc = MVR_ST_ERROR;
    uint8_t *sealed = NULL;
    device = scope(device);
    sqlite3_stmt *s = prep(st, "INSERT OR REPLACE INTO %s VALUES(?, ?, ?, ?)", kind);
    if (!s)
        return rc;
    mvr_st_text(s, 1, device);
    mvr_st_text(s, 2, key);
    if (kind == MVR_KV_SECRET) {
        sealed = mvr_st_seal(st, device, key, value, len);
        if (!sealed)
            goto out;
        sqlite3_bind_blob(s, 3, sealed, (int)(len + MVR_SEAL_OVERHEAD), SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_text(s, 3, value, (int)len, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(s, 4, now);
    if (sqlite3_step(s) != SQLITE_DONE) {
        mvr_st_fail(st, "kv_put");
        goto out;
    }
    rc = MVR_OK;
out:
    free(sealed);
    sqlite3_finalize(s);
    return rc;
}

int mvr_st_unseal(struct mvr_store *st, const char *device, const char *key,
                  const uint8_t *in, size_t len, char **value, size_t *vlen)
{
    uint8_t aad[256];
    size_t aad_len = make_aad(device, key, aad, sizeof aad);
    char *buf = malloc(len + 1);
    if (!aad_len || !buf ||
        mvr_open(st->seal_key, aad, aad_len, in, len, (uint8_t *)buf, vlen) < 0) {
        free(buf);
        return MVR_ST_ERROR;
    }
    buf[*vlen] = '\0';
    *value = buf;
    return MVR_OK;
}

int mvr_sq_kv_get(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                  const char *key, char **value, size_t *len, int64_t *updated_at)
{
    int rc = MVR_ST_ERROR;
    device = scope(device);
    sqlite3_stmt *s = prep(st, "SELECT value, updated_at FROM %s WHERE device_id = ? "
                               "AND key = ?", kind);
    if (!s)
        return rc;
    mvr_st_text(s, 1, device);
    mvr_st_text(s, 2, key);
    int r = sqlite3_step(s);
    if (r == SQLITE_DONE) {
        rc = MVR_ST_NOTFOUND;
        goto out;
    }
    if (r != SQLITE_ROW) {
        rc = mvr_st_fail(st, "kv_get");
        goto out;
    }
    const void *v = sqlite3_column_blob(s, 0);
    size_t n = (size_t)sqlite3_column_bytes(s, 0);
    if (updated_at)
        *updated_at = sqlite3_column_int64(s, 1);
    if (kind == MVR_KV_SECRET) {
        rc = mvr_st_unseal(st, device, key, v, n, value, len);
        goto out;
    }
    *value = malloc(n + 1);
    if (!*value)
        goto out;
    if (n)
        memcpy(*value, v, n);
    (*value)[n] = '\0';
    *len = n;
    rc = MVR_OK;
out:
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_kv_delete(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                     const char *key)
{
    int rc;
    sqlite3_stmt *s = prep(st, "DELETE FROM %s WHERE device_id = ? AND key = ?", kind);
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, scope(device));
    mvr_st_text(s, 2, key);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = mvr_st_fail(st, "kv_delete");
    else
        rc = sqlite3_changes(mvr_sq_rd(st)) ? MVR_OK : MVR_ST_NOTFOUND;
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_kv_list(struct mvr_store *st, enum mvr_kv_kind kind, const char *device,
                   const char *after, unsigned limit, mvr_kv_cb cb, void *ctx)
{
    int rc = MVR_OK, r;
    sqlite3_stmt *s = prep(st, "SELECT device_id, key, value, updated_at FROM %s "
                               "WHERE device_id = ? AND key > ? ORDER BY key LIMIT ?", kind);
    if (!s)
        return MVR_ST_ERROR;
    mvr_st_text(s, 1, scope(device));
    mvr_st_text(s, 2, after ? after : "");
    sqlite3_bind_int64(s, 3, limit);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct mvr_kv_row row = {
            .device_id = (const char *)sqlite3_column_text(s, 0),
            .key = (const char *)sqlite3_column_text(s, 1),
            .updated_at = sqlite3_column_int64(s, 3),
        };
        if (kind == MVR_KV_CONFIG) {
            row.value = (const char *)sqlite3_column_text(s, 2);
            row.value_len = (size_t)sqlite3_column_bytes(s, 2);
        }
        if (cb(ctx, &row) != 0)
            break;
    }
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = mvr_st_fail(st, "kv_list");
    sqlite3_finalize(s);
    return rc;
}
