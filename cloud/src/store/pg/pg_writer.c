/* PostgreSQL backend: the writer thread's group transaction (store_writer.c runs the
 * thread, the queue and the completions for both backends). */
#include <stdio.h>
#include <string.h>

#include "store/pg/pg_priv.h"

#define SEEN_SQL                                                                           \
    "UPDATE devices SET last_seen = $1, boot_id = COALESCE($2, boot_id), "                \
    "remote_addr = COALESCE($3, remote_addr) WHERE id = $4"

/* Delivered by PostgreSQL to every listening relay when the group commits. */
static int notify(struct mvr_store *st, PGconn **c, const char *channel, const char *payload)
{
    struct mvr_pgp p = {0};
    mvr_pgp_text(&p, channel);
    mvr_pgp_text(&p, payload);
    return mvr_pg_run(st, c, "notify", "SELECT pg_notify($1, $2)", &p, NULL);
}

/* The fleet's sessions table: sql with $1 device, $2 this relay, $3 the session's start;
 * *rows (if given) the number of rows it returned. */
static int session_row(struct mvr_store *st, PGconn **c, struct mvr_store_job *j,
                       const char *sql, int *rows)
{
    struct mvr_pgp p = {0};
    PGresult *r = NULL;
    mvr_pgp_text(&p, j->device_id);
    mvr_pgp_text(&p, st->pg->instance);
    mvr_pgp_int(&p, j->session_us);
    int rc = mvr_pg_run(st, c, "session", sql, &p, rows ? &r : NULL);
    if (rows)
        *rows = r ? PQntuples(r) : 0;
    PQclear(r);
    return rc;
}

/* A session row is replaced only by a younger session: two relays' commits can land in
 * either order (a device gave up on relay B and reached A, whose group committed first),
 * and the older session must not take the device back. */
#define SESSION_START_SQL                                                                  \
    "INSERT INTO sessions VALUES($1, $2, $3) ON CONFLICT (device_id) DO UPDATE SET "      \
    "relay = EXCLUDED.relay, since = EXCLUDED.since WHERE sessions.since <= EXCLUDED.since " \
    "RETURNING 1"
/* Only this session's own row: a younger one (here or elsewhere) stays. */
#define SESSION_END_SQL "DELETE FROM sessions WHERE device_id = $1 AND relay = $2 AND since = $3"

static int write_heartbeat(struct mvr_store *st, PGconn **c)
{
    struct mvr_pgp p = {0};
    mvr_pgp_text(&p, st->pg->instance);
    mvr_pgp_text(&p, st->pg->name[0] ? st->pg->name : "relay");
    return mvr_pg_run(st, c, "heartbeat",
                      "INSERT INTO relays VALUES($1, $2, (EXTRACT(EPOCH FROM clock_timestamp())"
                      " * 1000000)::BIGINT) ON CONFLICT (id) DO UPDATE SET "
                      "heartbeat = EXCLUDED.heartbeat", &p, NULL);
}

/* A job with a boot id is a session start (HELLO): the other relays learn that this one
 * holds the device now and close their own session for it, if any. */
static int write_seen(struct mvr_store *st, PGconn **c, struct mvr_store_job *j)
{
    struct mvr_pgp p = {0};
    mvr_pgp_int(&p, j->now);
    mvr_pgp_text(&p, j->boot_id[0] ? j->boot_id : NULL);
    mvr_pgp_text(&p, j->remote_addr[0] ? j->remote_addr : NULL);
    mvr_pgp_text(&p, j->device_id);
    if (mvr_pg_run(st, c, "device_seen", SEEN_SQL, &p, NULL) != MVR_OK)
        return MVR_ST_ERROR;
    if (!j->boot_id[0])
        return session_row(st, c, j, SESSION_END_SQL, NULL);
    int rows = 0;
    if (session_row(st, c, j, SESSION_START_SQL, &rows) != MVR_OK)
        return MVR_ST_ERROR;
    if (rows == 0) /* a younger session holds the device: this one is the stale one */
        return MVR_OK;
    char payload[96];
    snprintf(payload, sizeof payload, "%s %s %lld", j->device_id, st->pg->instance,
             (long long)j->session_us);
    return notify(st, c, MVR_PG_SESSION_CHANNEL, payload);
}

static int write_logs(struct mvr_store *st, PGconn **c, struct mvr_store_job *j)
{
    for (struct mvr_log_batch *b = j->batches; b; b = b->next)
        if (mvr_pg_logs_put(st, c, j->device_id, b->boot_id, b->recs, b->n, j->now,
                            &j->inserted) != MVR_OK)
            return MVR_ST_ERROR;
    /* Live streams on every relay, this one's included (they read from their cursor, so a
     * second wake-up costs one empty query). */
    return j->inserted ? notify(st, c, MVR_PG_LOGS_CHANNEL, j->device_id) : MVR_OK;
}

int mvr_pg_write_group(struct mvr_store *st, PGconn **c, struct mvr_store_job *g)
{
    int ok = mvr_pg_run(st, c, "begin", "BEGIN", NULL, NULL) == MVR_OK;
    for (struct mvr_store_job *j = g; ok && j; j = j->next)
        ok = (j->kind == MVR_JOB_LOGS   ? write_logs(st, c, j)
              : j->kind == MVR_JOB_SEEN ? write_seen(st, c, j)
                                        : write_heartbeat(st, c)) == MVR_OK;
    /* COMMIT returns only once the transaction is durable (synchronous_commit on, the
     * server's default): the LOG_ACKs sent from the jobs' done follow it. */
    if (ok)
        ok = mvr_pg_run(st, c, "commit", "COMMIT", NULL, NULL) == MVR_OK;
    if (!ok && *c && PQstatus(*c) == CONNECTION_OK)
        PQclear(PQexec(*c, "ROLLBACK"));
    return ok ? 0 : -1;
}
