/* Process-wide counters exported at /metrics in the Prometheus text format. The relay
 * is single-threaded, so plain integers suffice. */
#ifndef MVR_METRICS_H
#define MVR_METRICS_H

#include <stdint.h>

enum mvr_err_kind {
    MVR_ERRK_MALFORMED_FRAME,
    MVR_ERRK_UNKNOWN_TYPE,
    MVR_ERRK_UNKNOWN_CHANNEL,
    MVR_ERRK_FLOW_CONTROL,
    MVR_ERRK_CERT_REJECTED,
    MVR_ERRK_STORE,
    MVR_ERRK_HTTP_4XX,
    MVR_ERRK_HTTP_5XX,
    MVR_ERRK_COUNT
};

struct mvr_metrics {
    uint64_t device_connections_total;
    int64_t device_connections_current;
    uint64_t api_requests_total;
    int64_t sse_streams_current;
    uint64_t frames_in, frames_out;
    uint64_t log_records_stored, log_records_duplicate;
    uint64_t log_batches_failed; /* LOG batches whose transaction failed (session ended) */
    uint64_t log_batches_stored; /* LOG batches acknowledged after their commit */
    uint64_t log_commits;        /* writer transactions that carried LOG batches */
    uint64_t preauth_refused;    /* connections refused: unauthenticated ones over the cap */
    uint64_t config_fetches;
    uint64_t sessions_shed;     /* authenticated devices sent GOAWAY over --max-sessions */
    uint64_t accepts_deferred;  /* TLS handshakes held back by --accept-rate/--max-handshakes */
    int64_t handshakes_current; /* device TLS handshakes in progress */
    int64_t handshakes_peak;    /* the most ever in progress at once */
    int64_t handshakes_parked;  /* device connections waiting, unread, for their turn */
    uint64_t device_rx_paused_total; /* times a device's input was paused (queue full) */
    int64_t device_rx_paused_current;
    uint64_t errors[MVR_ERRK_COUNT];
    char relay[64];     /* this relay's name (several share a database: the fleet) */
    const char *store;  /* "sqlite" or "postgres" */
};

extern struct mvr_metrics mvr_metrics;

/* Prometheus exposition text (malloc'ed) or NULL. */
char *mvr_metrics_render(void);

#endif
