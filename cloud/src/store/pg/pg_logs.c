/* PostgreSQL backend: log records. Insertion is idempotent (UNIQUE device, boot, seq with
 * ON CONFLICT DO NOTHING), so a batch resent to any relay of a fleet is stored once. A LOG
 * frame's records go in multi-row INSERTs of up to CHUNK rows: one round trip per frame
 * for the usual frame sizes, instead of one per record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/pg_priv.h"

#define CHUNK 64
#define NCOL 8 /* device_id, boot_id, seq, kind, message, dropped, device_us, received_at */

struct chunk {
    char sql[256 + CHUNK * 48];
    const char *v[CHUNK * NCOL];
    int len[CHUNK * NCOL], fmt[CHUNK * NCOL];
    char num[CHUNK][4][24];
    char when[24];
};

/* Parameters of record i: message binary (bytes), everything else text. */
static void bind_rec(struct chunk *k, size_t i, const char *device, const char *boot_id,
                     const struct mvp_log_rec *r)
{
    int msg = r->kind == MVP_LOG_KIND_MSG;
    snprintf(k->num[i][0], 24, "%u", (unsigned)r->seq);
    snprintf(k->num[i][1], 24, "%u", (unsigned)r->dropped);
    snprintf(k->num[i][2], 24, "%lld", (long long)r->device_us);
    snprintf(k->num[i][3], 24, "%d", (int)r->kind);
    const char *vals[NCOL] = {device, boot_id, k->num[i][0], k->num[i][3],
                              msg ? (r->msg_len ? (const char *)r->msg : "") : NULL,
                              msg ? NULL : k->num[i][1], k->num[i][2], k->when};
    for (int c = 0; c < NCOL; c++) {
        k->v[i * NCOL + (size_t)c] = vals[c];
        k->len[i * NCOL + (size_t)c] = c == 4 ? (int)r->msg_len : 0;
        k->fmt[i * NCOL + (size_t)c] = c == 4;
    }
}

static int put_chunk(struct mvr_store *st, PGconn **c, struct chunk *k, const char *device,
                     const char *boot_id, const struct mvp_log_rec *recs, size_t n,
                     unsigned *inserted)
{
    size_t o = (size_t)snprintf(k->sql, sizeof k->sql,
                                "INSERT INTO logs(device_id, boot_id, seq, kind, message, "
                                "dropped, device_us, received_at) VALUES ");
    for (size_t i = 0; i < n; i++) {
        int b = (int)(i * NCOL);
        o += (size_t)snprintf(k->sql + o, sizeof k->sql - o,
                              "%s($%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d)", i ? "," : "", b + 1,
                              b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8);
        bind_rec(k, i, device, boot_id, &recs[i]);
    }
    snprintf(k->sql + o, sizeof k->sql - o, " ON CONFLICT DO NOTHING");
    PGresult *r;
    if (mvr_pg_exec(st, c, "log_insert", k->sql, (int)(n * NCOL), k->v, k->len, k->fmt, &r) !=
        MVR_OK)
        return MVR_ST_ERROR;
    *inserted += (unsigned)strtoul(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return MVR_OK;
}

int mvr_pg_logs_put(struct mvr_store *st, PGconn **c, const char *device, const char *boot_id,
                    const struct mvp_log_rec *recs, size_t n, int64_t now, unsigned *inserted)
{
    struct chunk *k = malloc(sizeof *k);
    int rc = MVR_OK;
    if (!k)
        return MVR_ST_ERROR;
    snprintf(k->when, sizeof k->when, "%lld", (long long)now);
    for (size_t i = 0; rc == MVR_OK && i < n; i += CHUNK)
        rc = put_chunk(st, c, k, device, boot_id, recs + i, n - i < CHUNK ? n - i : CHUNK,
                       inserted);
    free(k);
    return rc;
}

int mvr_pg_logs_insert(struct mvr_store *st, const char *device, const char *boot_id,
                       const struct mvp_log_rec *recs, size_t n, int64_t now,
                       unsigned *inserted)
{
    PGconn **c = mvr_pg_rd(st);
    *inserted = 0;
    if (mvr_pg_run(st, c, "begin", "BEGIN", NULL, NULL) != MVR_OK)
        return MVR_ST_ERROR;
    if (mvr_pg_logs_put(st, c, device, boot_id, recs, n, now, inserted) == MVR_OK &&
        mvr_pg_run(st, c, "commit", "COMMIT", NULL, NULL) == MVR_OK) {
        atomic_store(&st->failing, 0);
        return MVR_OK;
    }
    if (*c && PQstatus(*c) == CONNECTION_OK)
        PQclear(PQexec(*c, "ROLLBACK"));
    *inserted = 0;
    return MVR_ST_ERROR;
}

/* One row, one integer column: MVR_OK, MVR_ST_NOTFOUND (no row or NULL) or an error. */
static int one_int(struct mvr_store *st, const char *what, const char *sql,
                   const struct mvr_pgp *p, int64_t *v)
{
    PGresult *r;
    int rc = mvr_pg_run(st, mvr_pg_rd(st), what, sql, p, &r);
    if (rc != MVR_OK)
        return rc;
    if (PQntuples(r) < 1 || PQgetisnull(r, 0, 0))
        rc = MVR_ST_NOTFOUND;
    else
        *v = mvr_pg_int(r, 0, 0);
    PQclear(r);
    return rc;
}

int mvr_pg_log_max_seq(struct mvr_store *st, const char *device, const char *boot_id,
                       uint32_t *seq)
{
    struct mvr_pgp p = {0};
    int64_t v = 0;
    mvr_pgp_text(&p, device);
    mvr_pgp_text(&p, boot_id);
    int rc = one_int(st, "log_max_seq",
                     "SELECT MAX(seq) FROM logs WHERE device_id = $1 AND boot_id = $2", &p, &v);
    if (rc == MVR_OK)
        *seq = (uint32_t)v;
    return rc;
}

int mvr_pg_log_cursor_id(struct mvr_store *st, const char *device, const char *boot_id,
                         uint32_t seq, int64_t *id)
{
    struct mvr_pgp p = {0};
    mvr_pgp_text(&p, device);
    mvr_pgp_text(&p, boot_id);
    mvr_pgp_int(&p, seq);
    return one_int(st, "log_cursor",
                   "SELECT id FROM logs WHERE device_id = $1 AND boot_id = $2 AND seq = $3", &p,
                   id);
}

int mvr_pg_log_last_id(struct mvr_store *st, const char *device, int64_t *id)
{
    struct mvr_pgp p = {0};
    mvr_pgp_text(&p, device);
    *id = 0;
    int rc = one_int(st, "log_last_id", "SELECT MAX(id) FROM logs WHERE device_id = $1", &p, id);
    return rc == MVR_ST_NOTFOUND ? MVR_OK : rc;
}

#define LOG_COLS                                                                           \
    "SELECT id, boot_id, seq, kind, message, dropped, device_us, received_at FROM logs "  \
    "WHERE device_id = $1 AND id > $2 AND received_at >= $3 "                              \
    "AND ($5::text IS NULL OR boot_id = $5) "

static int each_row(const PGresult *r, mvr_log_cb cb, void *ctx)
{
    for (int i = 0; i < PQntuples(r); i++) {
        size_t n = 0;
        unsigned char *msg = NULL;
        if (!PQgetisnull(r, i, 4) &&
            !(msg = PQunescapeBytea((const unsigned char *)PQgetvalue(r, i, 4), &n)))
            return MVR_ST_ERROR;
        struct mvr_log_row row = {
            .id = mvr_pg_int(r, i, 0),
            .boot_id = PQgetvalue(r, i, 1),
            .seq = (uint32_t)mvr_pg_int(r, i, 2),
            .kind = (int)mvr_pg_int(r, i, 3),
            .msg = msg,
            .msg_len = n,
            .dropped = (uint32_t)mvr_pg_int(r, i, 5),
            .device_us = mvr_pg_int(r, i, 6),
            .received_at = mvr_pg_int(r, i, 7),
        };
        int stop = cb(ctx, &row);
        PQfreemem(msg);
        if (stop)
            break;
    }
    return MVR_OK;
}

/* Same forms as the SQLite backend: a since-time page starts at the first record at or
 * after T (by logs_device_time), then reads by (device_id, id). */
int mvr_pg_logs_query(struct mvr_store *st, const char *device,
                      const struct mvr_log_query *q, mvr_log_cb cb, void *ctx)
{
    int64_t after = q->after_id;
    if (q->since_us > 0 && !q->newest_first) {
        struct mvr_pgp t = {0};
        int64_t first = 0;
        mvr_pgp_text(&t, device);
        mvr_pgp_int(&t, q->since_us);
        int rc = one_int(st, "logs_since_time",
                         "SELECT id FROM logs WHERE device_id = $1 AND received_at >= $2 "
                         "ORDER BY received_at, id LIMIT 1", &t, &first);
        if (rc == MVR_ST_NOTFOUND)
            return MVR_OK;
        if (rc != MVR_OK)
            return rc;
        if (first - 1 > after)
            after = first - 1;
    }
    struct mvr_pgp p = {0};
    PGresult *r;
    mvr_pgp_text(&p, device);
    mvr_pgp_int(&p, after);
    mvr_pgp_int(&p, q->since_us);
    mvr_pgp_int(&p, q->limit);
    mvr_pgp_text(&p, q->boot_id);
    int rc = mvr_pg_run(st, mvr_pg_rd(st), "logs_query",
                        q->newest_first ? LOG_COLS "ORDER BY id DESC LIMIT $4"
                                        : LOG_COLS "ORDER BY id LIMIT $4", &p, &r);
    if (rc != MVR_OK)
        return rc;
    rc = each_row(r, cb, ctx);
    PQclear(r);
    return rc;
}
