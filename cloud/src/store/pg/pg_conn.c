/* PostgreSQL backend: connections, parameters, error handling, migrations. A lost
 * connection (server restarted, network cut) is re-established: a read or BEGIN that
 * finds it dead is sent again once on a new connection; any other statement fails
 * (logged, counted for /healthz) and the next call reconnects. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/log.h"
#include "mvr/util.h"
#include "mvr/schema.h"
#include "store/pg/pg_priv.h"

void mvr_pgp_text(struct mvr_pgp *p, const char *s)
{
    p->v[p->n] = s;
    p->len[p->n] = 0;
    p->fmt[p->n++] = 0;
}

void mvr_pgp_int(struct mvr_pgp *p, int64_t v)
{
    snprintf(p->num[p->n], sizeof p->num[0], "%" PRId64, v);
    mvr_pgp_text(p, p->num[p->n]);
}

void mvr_pgp_bin(struct mvr_pgp *p, const void *data, size_t len)
{
    p->v[p->n] = len ? data : "";
    p->len[p->n] = (int)len;
    p->fmt[p->n++] = 1;
}

static _Thread_local PGconn *tl_conn;
static _Thread_local int tl_own;

PGconn **mvr_pg_rd(struct mvr_store *st)
{
    return tl_own ? &tl_conn : &st->pg->rd;
}

void mvr_pg_use_thread_conn(void)
{
    tl_own = 1;
}

void mvr_pg_close_thread_conn(void)
{
    PQfinish(tl_conn);
    tl_conn = NULL;
}

int64_t mvr_pg_int(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

/* Notices (e.g. "relation already exists, skipping") are not errors: keep them off
 * stderr, which the relay uses for its structured log. */
static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

int mvr_pg_connect(const char *url, PGconn **c, char *err, size_t errlen)
{
    /* A server that does not answer must not hold the caller for ever (libpq's default):
     * 5 s unless the URL says otherwise (its value comes later and wins). */
    static const char *const keys[] = {"connect_timeout", "dbname", NULL};
    const char *const vals[] = {"5", url, NULL};
    *c = PQconnectdbParams(keys, vals, 1);
    if (!*c || PQstatus(*c) != CONNECTION_OK) {
        const char *m = *c ? PQerrorMessage(*c) : "out of memory";
        size_t n = strcspn(m, "\n");
        snprintf(err, errlen, "cannot connect to PostgreSQL: %.*s", (int)n, m);
        PQfinish(*c);
        *c = NULL;
        return -1;
    }
    PQsetNoticeProcessor(*c, quiet, NULL);
    /* LOG_ACK promises durability: COMMIT must wait for the WAL flush whatever the
     * server's default is. */
    PGresult *r = PQexec(*c, "SET synchronous_commit = on");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        snprintf(err, errlen, "cannot configure the PostgreSQL session: %.*s",
                 (int)strcspn(PQerrorMessage(*c), "\n"), PQerrorMessage(*c));
        PQfinish(*c);
        *c = NULL;
        return -1;
    }
    return 0;
}

static int fail(struct mvr_store *st, const char *what, const char *msg)
{
    size_t n = strcspn(msg, "\n");
    atomic_fetch_add(&st->errors, 1);
    atomic_store(&st->failing, 1);
    mvr_log(MVR_ERROR, "store error", "op=%s err=\"%.*s\"", what, (int)n, msg);
    return MVR_ST_ERROR;
}

/* A connection found broken is dropped; the next call connects again. */
static int ensure(struct mvr_store *st, PGconn **c, const char *what)
{
    char err[256];
    if (*c && PQstatus(*c) == CONNECTION_OK)
        return 0;
    PQfinish(*c);
    *c = NULL;
    if (mvr_pg_connect(st->pg->url, c, err, sizeof err) < 0)
        return fail(st, what, err);
    return 0;
}

int mvr_pg_run(struct mvr_store *st, PGconn **c, const char *what, const char *sql,
               const struct mvr_pgp *p, PGresult **out)
{
    return mvr_pg_exec(st, c, what, sql, p ? p->n : 0, p ? p->v : NULL, p ? p->len : NULL,
                       p ? p->fmt : NULL, out);
}

/* A server restart (or failover) leaves every connection dead, found only by the next
 * statement. A read, or the BEGIN of a transaction, is sent again once on a new
 * connection: the server never ran it (its backend was gone), and running it twice would
 * be harmless anyway. Other statements fail: one of them may have run before the
 * connection broke. */
static int retryable(PGconn *c, const char *sql)
{
    return PQstatus(c) == CONNECTION_BAD &&
           (!strncmp(sql, "SELECT", 6) || !strcmp(sql, "BEGIN"));
}

int mvr_pg_exec(struct mvr_store *st, PGconn **c, const char *what, const char *sql, int n,
                const char *const *v, const int *len, const int *fmt, PGresult **out)
{
    if (ensure(st, c, what) < 0)
        return MVR_ST_ERROR;
    PGresult *r = PQexecParams(*c, sql, n, NULL, v, len, fmt, 0);
    if (PQresultStatus(r) == PGRES_FATAL_ERROR && retryable(*c, sql)) {
        PQclear(r);
        if (ensure(st, c, what) < 0)
            return MVR_ST_ERROR;
        r = PQexecParams(*c, sql, n, NULL, v, len, fmt, 0);
    }
    ExecStatusType s = PQresultStatus(r);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        if (out)
            *out = r;
        else
            PQclear(r);
        return MVR_OK;
    }
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    int rc = state && !strcmp(state, "23505") ? MVR_ST_EXISTS
                                               : fail(st, what, PQerrorMessage(*c));
    PQclear(r);
    return rc;
}

static int exec_simple(PGconn *c, const char *sql, char *err, size_t errlen)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        snprintf(err, errlen, "%s", PQerrorMessage(c));
    PQclear(r);
    return ok ? 0 : -1;
}

/* Several relays may start at once on a new database: an advisory lock makes the first
 * one migrate and the others wait and then find the schema current. Each migration and
 * its version row commit together. */
#define MIGRATE_LOCK "SELECT pg_advisory_lock(7247001)"
static int migrate(PGconn *c, char *err, size_t errlen)
{
    char e[512] = "";
    int rc = -1;
    if (exec_simple(c, MIGRATE_LOCK, e, sizeof e) < 0 ||
        exec_simple(c, "CREATE TABLE IF NOT EXISTS mvr_schema (version BIGINT NOT NULL)", e,
                    sizeof e) < 0)
        goto out;
    PGresult *r = PQexec(c, "SELECT COALESCE(MAX(version), 0) FROM mvr_schema");
    long v = PQresultStatus(r) == PGRES_TUPLES_OK ? (long)mvr_pg_int(r, 0, 0) : -1;
    PQclear(r);
    if (v < 0 || (unsigned long)v > mvr_schema_count) {
        snprintf(e, sizeof e, "database schema version %ld is newer than this relay (%u)", v,
                 mvr_schema_count);
        goto out;
    }
    for (unsigned i = (unsigned)v; i < mvr_schema_count; i++) {
        char bump[64];
        snprintf(bump, sizeof bump, "INSERT INTO mvr_schema VALUES (%u)", i + 1);
        if (exec_simple(c, "BEGIN", e, sizeof e) < 0 ||
            exec_simple(c, mvr_schema_pg_migrations[i], e, sizeof e) < 0 ||
            exec_simple(c, bump, e, sizeof e) < 0 || exec_simple(c, "COMMIT", e, sizeof e) < 0) {
            char m[64];
            exec_simple(c, "ROLLBACK", m, sizeof m);
            snprintf(err, errlen, "migration %u failed: %.*s", i + 1, (int)strcspn(e, "\n"), e);
            e[0] = '\0';
            goto out;
        }
    }
    rc = 0;
out:
    if (rc < 0 && e[0])
        snprintf(err, errlen, "%.*s", (int)strcspn(e, "\n"), e);
    exec_simple(c, "SELECT pg_advisory_unlock_all()", e, sizeof e);
    return rc;
}

int mvr_pg_open(struct mvr_store *st, const char *url, char *err, size_t errlen)
{
    st->pg = calloc(1, sizeof *st->pg);
    if (!st->pg || !(st->pg->url = strdup(url))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    uint8_t raw[8];
    if (mvr_random(raw, sizeof raw) < 0) {
        snprintf(err, errlen, "no random bytes");
        return -1;
    }
    mvr_hex(raw, sizeof raw, st->pg->instance);
    if (mvr_pg_connect(url, &st->pg->rd, err, errlen) < 0 ||
        migrate(st->pg->rd, err, errlen) < 0)
        return -1;
    return 0;
}

void mvr_pg_close(struct mvr_store *st)
{
    if (!st->pg)
        return;
    PQfinish(st->pg->rd);
    PQfinish(st->pg->ev);
    free(st->pg->url);
    free(st->pg);
    st->pg = NULL;
}
