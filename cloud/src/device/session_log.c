/* LOG frames: validate the whole batch, hand it to the store's writer thread, and only
 * when the transaction that carried it has committed acknowledge the batch's last seq.
 * One job per session is in the writer at a time; batches arriving meanwhile wait in the
 * next job. A failed store sends no ack and ends the session, so the device keeps and
 * resends the records, and no later batch of the session can be stored after the gap. */
#include <stdlib.h>

#include "mvp/log.h"
#include "mvr/log.h"
#include "mvr/metrics.h"
#include "mvr/util.h"
#include "device/session_priv.h"

/* A batch fits one frame payload; each record takes at least 15 bytes. */
#define MAX_BATCH (MVP_MAX_FRAME_PAYLOAD / 15 + 1)
#define STORE_RETRY_MS 2000 /* GOAWAY back-off after a failed store */

static void log_done(struct mvr_store_job *j);

static void submit_next(struct mvr_session *s)
{
    if (s->log_job || !s->log_next)
        return;
    s->log_job = s->log_next;
    s->log_next = NULL;
    s->log_waiting = 0;
    s->log_job->done = log_done;
    s->log_job->owner = s;
    mvr_store_submit(s->env->store, s->log_job);
}

static void log_failed(struct mvr_session *s, struct mvr_store_job *j)
{
    /* Acks are cumulative: if this session went on, the next stored batch's ack (or,
     * after a reconnect, WELCOME's highest stored seq) would cover these records and
     * the device would drop them unstored. End the session; batches that were waiting
     * are dropped unacknowledged; the device backs off and resends. */
    mvr_metrics.errors[MVR_ERRK_STORE]++;
    for (struct mvr_log_batch *b = j->batches; b; b = b->next) {
        mvr_metrics.log_batches_failed++;
        mvr_log(MVR_ERROR, "log batch not stored, ending session", "device=%s boot=%s seq=%u",
                s->device_id, b->boot_id, b->recs[b->n - 1].seq);
    }
    mvr_store_job_free(s->log_next);
    s->log_next = NULL;
    s->log_waiting = 0;
    mvr_session_goaway(s, STORE_RETRY_MS, "relay store unavailable");
}

static void acknowledge(struct mvr_session *s, struct mvr_store_job *j)
{
    size_t n = 0;
    for (struct mvr_log_batch *b = j->batches; b; b = b->next) {
        uint8_t buf[16];
        int len = mvp_log_ack_encode(b->boot, b->recs[b->n - 1].seq, buf, sizeof buf);
        if (len >= 0)
            mvr_session_send(s, MVP_LOG_ACK, MVP_CTRL_CHANNEL, buf, (uint32_t)len);
        n += b->n;
        mvr_metrics.log_batches_stored++;
    }
    /* Jobs complete in commit order (mvr_store_poll), so a txn id not seen just before
     * is a new transaction: batches per commit = batches / commits (bench/relay_ingest). */
    static uint64_t last_txn;
    if (j->txn != last_txn)
        mvr_metrics.log_commits++;
    last_txn = j->txn;
    mvr_metrics.log_records_stored += j->inserted;
    mvr_metrics.log_records_duplicate += n - j->inserted;
    if (j->inserted && s->env->on_logs)
        s->env->on_logs(s->env->ctx, s->device_id);
}

/* Runs on the loop (mvr_store_poll) after the job's transaction committed or failed. */
static void log_done(struct mvr_store_job *j)
{
    struct mvr_session *s = j->owner;
    if (!s) { /* the session ended meanwhile: stored (or not) without an ack */
        mvr_store_job_free(j);
        return;
    }
    s->log_job = NULL;
    if (j->status == MVR_OK) {
        acknowledge(s, j);
        submit_next(s);
    } else {
        log_failed(s, j);
    }
    mvr_store_job_free(j);
    mvr_session_kick(s);
}

/* Called from mvr_session_free: a job in the writer outlives the session. */
void mvr_sess_log_free(struct mvr_session *s)
{
    if (s->log_job)
        s->log_job->owner = NULL;
    s->log_job = NULL;
    mvr_store_job_free(s->log_next);
    s->log_next = NULL;
}

int mvr_session_store_wait(const struct mvr_session *s)
{
    return s->log_waiting >= MVR_LOG_WAIT_MAX || s->hello_job || /* or WELCOME waits */
           s->admit_job; /* or the device lookup at connect */
}

static int queue_batch(struct mvr_session *s, uint64_t boot, const struct mvp_frame *f,
                       const struct mvp_log_rec *recs, size_t n, int64_t now)
{
    if (!s->log_next && !(s->log_next = mvr_store_job_new(MVR_JOB_LOGS, s->device_id, now)))
        return -1;
    if (mvr_store_job_add_batch(s->log_next, boot, f->payload, f->hdr.len, recs, n) < 0)
        return -1;
    s->log_next->now = now;
    s->log_waiting++;
    submit_next(s);
    return 0;
}

int mvr_sess_on_log(struct mvr_session *s, const struct mvp_frame *f, int64_t now)
{
    struct mvp_log_iter it;
    uint64_t boot;
    uint16_t count;
    int rc = mvp_log_iter_init(&it, f->payload, f->hdr.len, &boot, &count);
    if (rc < 0)
        return mvr_sess_fatal(s, (uint32_t)-rc, MVP_LOG, "malformed LOG");
    if (count > MAX_BATCH) /* (init refuses count 0) */
        return mvr_sess_fatal(s, MVP_E_TOO_MANY, MVP_LOG, "malformed LOG");
    /* Sized by the header's count (bounded above), not MAX_BATCH: a single-record LOG,
     * the common case at scale, costs a small allocation rather than 44 KiB. One slot
     * more than count: the iterator is called once more to see the batch's end. */
    struct mvp_log_rec *recs = malloc(sizeof *recs * ((size_t)count + 1));
    size_t n = 0;
    if (!recs)
        return -1;
    while ((rc = mvp_log_iter_next(&it, &recs[n])) == 1)
        if (++n > count) {
            rc = -MVP_E_TOO_MANY;
            break;
        }
    if (rc < 0 || n != count || n == 0) {
        free(recs);
        return mvr_sess_fatal(s, rc < 0 ? (uint32_t)-rc : MVP_E_INVALID, MVP_LOG,
                              "malformed LOG");
    }
    rc = queue_batch(s, boot, f, recs, n, now);
    free(recs);
    return rc;
}
