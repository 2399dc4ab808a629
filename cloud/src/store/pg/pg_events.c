/* PostgreSQL backend: fleet events. The writer NOTIFYs inside its group transaction, so
 * PostgreSQL delivers the notifications exactly when the group commits (never for a group
 * that rolled back); every relay LISTENs on its own connection, polled by its loop, and
 * reads them without blocking (PQconsumeInput, PQnotifies). A lost connection loses
 * nothing that matters: the reopening relay re-reads every stream from its cursor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/log.h"
#include "store/pg/pg_priv.h"

int mvr_pg_events_open(struct mvr_store *st)
{
    char err[256];
    if (!st->pg)
        return -1;
    if (!st->pg->ev) {
        if (mvr_pg_connect(st->pg->url, &st->pg->ev, err, sizeof err) < 0) {
            mvr_log(MVR_WARN, "fleet events unavailable", "err=\"%s\"", err);
            return -1;
        }
        PGresult *r = PQexec(st->pg->ev, "LISTEN " MVR_PG_LOGS_CHANNEL "; LISTEN "
                                         MVR_PG_SESSION_CHANNEL);
        int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!ok || PQsetnonblocking(st->pg->ev, 1) != 0) {
            mvr_pg_events_close(st);
            return -1;
        }
    }
    return PQsocket(st->pg->ev);
}

/* "DEVICE INSTANCE SINCE": another store's session for DEVICE, started at SINCE (ours
 * are ignored). */
static void on_session(struct mvr_store *st, const struct mvr_store_events *ev, char *payload)
{
    char *inst = strchr(payload, ' '), *since = inst ? strchr(inst + 1, ' ') : NULL, *end;
    if (!since)
        return;
    *inst++ = '\0';
    *since++ = '\0';
    long long us = strtoll(since, &end, 10);
    if (end == since || *end || !strcmp(inst, st->pg->instance))
        return;
    if (ev->session)
        ev->session(ev->ctx, payload, (int64_t)us);
}

int mvr_pg_events_read(struct mvr_store *st, const struct mvr_store_events *ev)
{
    if (!st->pg || !st->pg->ev)
        return -1;
    if (!PQconsumeInput(st->pg->ev) || PQstatus(st->pg->ev) != CONNECTION_OK)
        return -1;
    PGnotify *n;
    while ((n = PQnotifies(st->pg->ev))) {
        if (!strcmp(n->relname, MVR_PG_LOGS_CHANNEL) && ev->logs)
            ev->logs(ev->ctx, n->extra);
        else if (!strcmp(n->relname, MVR_PG_SESSION_CHANNEL))
            on_session(st, ev, n->extra);
        PQfreemem(n);
    }
    return 0;
}

void mvr_pg_events_close(struct mvr_store *st)
{
    if (!st->pg)
        return;
    PQfinish(st->pg->ev);
    st->pg->ev = NULL;
}
