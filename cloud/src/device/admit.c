/* Admission: is the device named by a verified client certificate provisioned? lws
 * asks in callbacks that must answer at once, and with PostgreSQL the answer is a
 * database round trip, so the connection is accepted first and the lookup runs as a
 * mvr_store_call job; the session holds what the device sends (its HELLO) with reading
 * paused until the completion admits it, refuses it (unknown or deleted device: ERROR
 * and close 1008) or sends it away for a while (store failing: GOAWAY). */
#include <stdlib.h>
#include <string.h>

#include "mvr/log.h"
#include "mvr/metrics.h"
#include "server_priv.h"

/* How long a device waits before retrying when the store cannot answer (as for a LOG
 * batch the store failed, session_log.c). */
#define ADMIT_RETRY_MS 2000

struct admit {
    struct dev_conn *dc; /* NULL once the connection closed */
    char id[35];
    int rc;
};

/* On a reader thread (inline with SQLite): the lookup only, no loop state. */
static void admit_run(struct mvr_store *st, struct mvr_store_job *j)
{
    struct admit *a = j->owner;
    struct mvr_device d;
    a->rc = mvr_store_device_get(st, a->id, &d);
}

static void admit_done(struct mvr_store_job *j)
{
    struct admit *a = j->owner;
    struct dev_conn *dc = a->dc;
    int rc = j->status == MVR_OK ? a->rc : MVR_ST_ERROR; /* not run: the store closes */
    mvr_store_job_free(j);
    free(a);
    if (!dc)
        return;
    dc->s.admit_job = NULL;
    if (rc == MVR_ST_NOTFOUND) {
        mvr_metrics.errors[MVR_ERRK_CERT_REJECTED]++;
        mvr_log(MVR_WARN, "device connection refused", "reason=\"certificate\" device=%s",
                dc->s.device_id);
        mvr_session_refuse(&dc->s, "device not provisioned");
    } else if (rc != MVR_OK) {
        mvr_metrics.errors[MVR_ERRK_STORE]++;
        mvr_session_goaway(&dc->s, ADMIT_RETRY_MS, "relay store unavailable");
    }
    mvr_session_release_held(&dc->s);
    mvr_dev_on_output(NULL, &dc->s);
}

int mvr_admit_start(struct mvr_server *srv, struct dev_conn *dc)
{
    struct admit *a = calloc(1, sizeof *a);
    struct mvr_store_job *j = mvr_store_job_new(MVR_JOB_CALL, "", 0);
    if (!a || !j) {
        free(a);
        mvr_store_job_free(j);
        return -1;
    }
    a->dc = dc;
    memcpy(a->id, dc->s.device_id, sizeof a->id);
    j->owner = a;
    j->run = admit_run;
    j->done = admit_done;
    dc->s.admit_job = j;
    mvr_store_call(srv->dd.store, j);
    return 0;
}

void mvr_admit_cancel(struct dev_conn *dc)
{
    if (!dc->s.admit_job)
        return;
    ((struct admit *)dc->s.admit_job->owner)->dc = NULL;
    dc->s.admit_job = NULL;
}
