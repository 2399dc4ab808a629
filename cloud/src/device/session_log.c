/* LOG frames: validate the whole batch, store it in one transaction (duplicates are
 * ignored), and only after the commit acknowledge the batch's last seq. A failed store
 * sends no ack and ends the session, so the device keeps and resends the records. */
#include <stdlib.h>

#include "mvp/log.h"
#include "mvr/log.h"
#include "mvr/metrics.h"
#include "mvr/util.h"
#include "device/session_priv.h"

/* A batch fits one frame payload; each record takes at least 15 bytes. */
#define MAX_BATCH (MVP_MAX_FRAME_PAYLOAD / 15 + 1)
#define STORE_RETRY_MS 2000 /* GOAWAY back-off after a failed store */

int mvr_sess_on_log(struct mvr_session *s, const struct mvp_frame *f, int64_t now)
{
    struct mvp_log_iter it;
    uint64_t boot;
    uint16_t count;
    int rc = mvp_log_iter_init(&it, f->payload, f->hdr.len, &boot, &count);
    if (rc < 0)
        return mvr_sess_fatal(s, (uint32_t)-rc, MVP_LOG, "malformed LOG");
    struct mvp_log_rec *recs = malloc(sizeof *recs * MAX_BATCH);
    size_t n = 0;
    if (!recs)
        return -1;
    while ((rc = mvp_log_iter_next(&it, &recs[n])) == 1)
        if (++n == MAX_BATCH) {
            rc = -MVP_E_TOO_MANY;
            break;
        }
    if (rc < 0 || n != count) {
        free(recs);
        return mvr_sess_fatal(s, rc < 0 ? (uint32_t)-rc : MVP_E_INVALID, MVP_LOG,
                              "malformed LOG");
    }
    char boot_hex[17];
    uint8_t raw[8];
    for (int i = 0; i < 8; i++)
        raw[i] = (uint8_t)(boot >> (56 - 8 * i));
    mvr_hex(raw, 8, boot_hex);
    unsigned inserted = 0;
    rc = mvr_store_logs_insert(s->env->store, s->device_id, boot_hex, recs, n, now, &inserted);
    uint32_t last = recs[n - 1].seq;
    free(recs);
    if (rc != MVR_OK) {
        /* Acks are cumulative: if this session went on, the next stored batch's ack (or,
         * after a reconnect, WELCOME's highest stored seq) would cover these records and
         * the device would drop them unstored. End the session before any later batch is
         * read; the device backs off and resends everything unacknowledged. */
        mvr_metrics.errors[MVR_ERRK_STORE]++;
        mvr_metrics.log_batches_failed++;
        mvr_log(MVR_ERROR, "log batch not stored, ending session", "device=%s boot=%s seq=%u",
                s->device_id, boot_hex, last);
        mvr_session_goaway(s, STORE_RETRY_MS, "relay store unavailable");
        return -1;
    }
    mvr_metrics.log_records_stored += inserted;
    mvr_metrics.log_records_duplicate += n - inserted;
    uint8_t buf[16];
    int len = mvp_log_ack_encode(boot, last, buf, sizeof buf);
    if (len < 0 || mvr_session_send(s, MVP_LOG_ACK, MVP_CTRL_CHANNEL, buf, (uint32_t)len) < 0)
        return -1;
    if (inserted && s->env->on_logs)
        s->env->on_logs(s->env->ctx, s->device_id);
    return 0;
}
