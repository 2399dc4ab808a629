/* Store: API bearer tokens, kept only as SHA-256 hashes so a stolen database does not
 * give API access. */
#include "store/store_priv.h"

int mvr_sq_token_add(struct mvr_store *st, const uint8_t hash[32], const char *name,
                     int64_t now)
{
    int rc = MVR_OK;
    sqlite3_stmt *s = mvr_st_prepare(st, "INSERT INTO tokens(hash, name, created_at) "
                                         "VALUES(?, ?, ?)");
    if (!s)
        return MVR_ST_ERROR;
    sqlite3_bind_blob(s, 1, hash, 32, SQLITE_TRANSIENT);
    mvr_st_text(s, 2, name);
    sqlite3_bind_int64(s, 3, now);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = mvr_st_fail(st, "token_add");
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_token_check(struct mvr_store *st, const uint8_t hash[32])
{
    int rc;
    sqlite3_stmt *s = mvr_st_prepare(st, "SELECT 1 FROM tokens WHERE hash = ?");
    if (!s)
        return MVR_ST_ERROR;
    sqlite3_bind_blob(s, 1, hash, 32, SQLITE_TRANSIENT);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        rc = 1;
    else if (r == SQLITE_DONE)
        rc = 0;
    else
        rc = mvr_st_fail(st, "token_check");
    sqlite3_finalize(s);
    return rc;
}

int mvr_sq_token_count(struct mvr_store *st, int *n)
{
    int rc = MVR_OK;
    sqlite3_stmt *s = mvr_st_prepare(st, "SELECT COUNT(*) FROM tokens");
    if (!s)
        return MVR_ST_ERROR;
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = sqlite3_column_int(s, 0);
    else
        rc = mvr_st_fail(st, "token_count");
    sqlite3_finalize(s);
    return rc;
}
