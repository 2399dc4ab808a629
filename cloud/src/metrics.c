/* The relay's counters and their Prometheus text rendering (/metrics). */
#include "mvr/metrics.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "svc/http/http_metrics.h"
#include "svc/mqtt/mqtt_metrics.h"

struct mvr_metrics mvr_metrics;

static const char *const err_names[MVR_ERRK_COUNT] = {
    "malformed_frame", "unknown_type", "unknown_channel", "flow_control",
    "cert_rejected",   "store",        "http_4xx",        "http_5xx",
};

char *mvr_metrics_render(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    const struct mvr_metrics *m = &mvr_metrics;
    /* Which relay of a fleet answered: scrape each relay directly (not through the
     * balancer) and join on this series. */
    fprintf(f, "# TYPE mvrelay_info gauge\nmvrelay_info{relay=\"%s\",store=\"%s\"} 1\n",
            m->relay, m->store ? m->store : "sqlite");
    fprintf(f, "# TYPE mvrelay_device_connections_total counter\n"
               "mvrelay_device_connections_total %" PRIu64 "\n"
               "# TYPE mvrelay_device_connections gauge\n"
               "mvrelay_device_connections %" PRId64 "\n"
               "# TYPE mvrelay_api_requests_total counter\n"
               "mvrelay_api_requests_total %" PRIu64 "\n"
               "# TYPE mvrelay_log_streams gauge\n"
               "mvrelay_log_streams %" PRId64 "\n"
               "# TYPE mvrelay_frames_total counter\n"
               "mvrelay_frames_total{direction=\"in\"} %" PRIu64 "\n"
               "mvrelay_frames_total{direction=\"out\"} %" PRIu64 "\n"
               "# TYPE mvrelay_log_records_stored_total counter\n"
               "mvrelay_log_records_stored_total %" PRIu64 "\n"
               "# TYPE mvrelay_log_records_duplicate_total counter\n"
               "mvrelay_log_records_duplicate_total %" PRIu64 "\n"
               "# TYPE mvrelay_log_batches_failed_total counter\n"
               "mvrelay_log_batches_failed_total %" PRIu64 "\n"
               "# TYPE mvrelay_log_batches_stored_total counter\n"
               "mvrelay_log_batches_stored_total %" PRIu64 "\n"
               "# TYPE mvrelay_log_commits_total counter\n"
               "mvrelay_log_commits_total %" PRIu64 "\n"
               "# TYPE mvrelay_preauth_refused_total counter\n"
               "mvrelay_preauth_refused_total %" PRIu64 "\n"
               "# TYPE mvrelay_config_fetches_total counter\n"
               "mvrelay_config_fetches_total %" PRIu64 "\n"
               "# TYPE mvrelay_sessions_shed_total counter\n"
               "mvrelay_sessions_shed_total %" PRIu64 "\n"
               "# TYPE mvrelay_accepts_deferred_total counter\n"
               "mvrelay_accepts_deferred_total %" PRIu64 "\n"
               "# TYPE mvrelay_handshakes_in_progress gauge\n"
               "mvrelay_handshakes_in_progress %" PRId64 "\n"
               "# TYPE mvrelay_handshakes_in_progress_peak gauge\n"
               "mvrelay_handshakes_in_progress_peak %" PRId64 "\n"
               "# TYPE mvrelay_handshakes_parked gauge\n"
               "mvrelay_handshakes_parked %" PRId64 "\n"
               "# TYPE mvrelay_device_rx_paused_total counter\n"
               "mvrelay_device_rx_paused_total %" PRIu64 "\n"
               "# TYPE mvrelay_device_rx_paused gauge\n"
               "mvrelay_device_rx_paused %" PRId64 "\n"
               "# TYPE mvrelay_errors_total counter\n",
            m->device_connections_total, m->device_connections_current,
            m->api_requests_total, m->sse_streams_current, m->frames_in, m->frames_out,
            m->log_records_stored, m->log_records_duplicate, m->log_batches_failed,
            m->log_batches_stored, m->log_commits,
            m->preauth_refused,
            m->config_fetches, m->sessions_shed, m->accepts_deferred,
            m->handshakes_current, m->handshakes_peak, m->handshakes_parked,
            m->device_rx_paused_total, m->device_rx_paused_current);
    for (int i = 0; i < MVR_ERRK_COUNT; i++)
        fprintf(f, "mvrelay_errors_total{kind=\"%s\"} %" PRIu64 "\n", err_names[i],
                m->errors[i]);
    mvr_http_metrics_render(f);
    mvr_mqtt_metrics_render(f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
