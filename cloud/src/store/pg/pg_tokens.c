/* PostgreSQL backend: API token hashes. */
#include "store/pg/pg_priv.h"

int mvr_pg_token_add(struct mvr_store *st, const uint8_t hash[32], const char *name,
                     int64_t now)
{
    struct mvr_pgp p = {0};
    mvr_pgp_bin(&p, hash, 32);
    mvr_pgp_text(&p, name);
    mvr_pgp_int(&p, now);
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "token_add",
                        "INSERT INTO tokens(hash, name, created_at) VALUES($1, $2, $3)", &p,
                        NULL);
    return rc == MVR_ST_EXISTS ? MVR_ST_ERROR : rc; /* as SQLite: a duplicate is an error */
}

int mvr_pg_token_check(struct mvr_store *st, const uint8_t hash[32])
{
    struct mvr_pgp p = {0};
    PGresult *r;
    mvr_pgp_bin(&p, hash, 32);
    if (mvr_pg_run(st, mvr_pg_rd(st), "token_check", "SELECT 1 FROM tokens WHERE hash = $1",
                   &p, &r) != MVR_OK)
        return MVR_ST_ERROR;
    int n = PQntuples(r);
    PQclear(r);
    return n > 0;
}

int mvr_pg_token_count(struct mvr_store *st, int *n)
{
    PGresult *r;
    if (mvr_pg_run(st, mvr_pg_rd(st), "token_count", "SELECT COUNT(*) FROM tokens", NULL,
                   &r) != MVR_OK)
        return MVR_ST_ERROR;
    *n = (int)mvr_pg_int(r, 0, 0);
    PQclear(r);
    return MVR_OK;
}
