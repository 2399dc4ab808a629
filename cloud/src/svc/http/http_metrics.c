/* HTTP proxy counters: results by MvHttpResult, refusals by cause, bytes, in-flight
 * transfers and a request latency histogram (device request in, response queued). */
#include "svc/http/http_metrics.h"

#include <inttypes.h>

struct mvr_http_metrics mvr_http_metrics;

static const double bounds_ms[MVR_HTTP_NBUCKETS - 1] = {2,   5,    10,   25,   50,   100,
                                                        250, 500, 1000, 2500, 10000};
static const char *const result_names[MVR_HTTP_NRESULTS] = {
    "ok", "unsupported_uri_scheme", "unsupported_method", "invalid_headers",
    "invalid_timeout", "request_failed", "response_too_large"};
static const char *const refusal_names[MVR_HTTP_NREF] = {"ssrf", "rate_limited", "busy"};

void mvr_http_metrics_done(uint8_t result, double ms)
{
    struct mvr_http_metrics *m = &mvr_http_metrics;
    if (result < MVR_HTTP_NRESULTS)
        m->results[result]++;
    size_t i = 0;
    while (i < MVR_HTTP_NBUCKETS - 1 && ms > bounds_ms[i])
        i++;
    m->latency_buckets[i]++;
    m->latency_count++;
    m->latency_sum_s += ms / 1000.0;
}

void mvr_http_metrics_render(FILE *f)
{
    const struct mvr_http_metrics *m = &mvr_http_metrics;
    fprintf(f, "# TYPE mvrelay_http_requests_total counter\n");
    for (int i = 0; i < MVR_HTTP_NRESULTS; i++)
        fprintf(f, "mvrelay_http_requests_total{result=\"%s\"} %" PRIu64 "\n", result_names[i],
                m->results[i]);
    fprintf(f, "# TYPE mvrelay_http_refused_total counter\n");
    for (int i = 0; i < MVR_HTTP_NREF; i++)
        fprintf(f, "mvrelay_http_refused_total{reason=\"%s\"} %" PRIu64 "\n", refusal_names[i],
                m->refused[i]);
    fprintf(f,
            "# TYPE mvrelay_http_in_flight gauge\nmvrelay_http_in_flight %" PRId64 "\n"
            "# TYPE mvrelay_http_request_bytes_total counter\n"
            "mvrelay_http_request_bytes_total %" PRIu64 "\n"
            "# TYPE mvrelay_http_response_bytes_total counter\n"
            "mvrelay_http_response_bytes_total %" PRIu64 "\n"
            "# TYPE mvrelay_http_request_duration_seconds histogram\n",
            m->in_flight, m->bytes_sent, m->bytes_received);
    uint64_t cum = 0;
    for (int i = 0; i < MVR_HTTP_NBUCKETS; i++) {
        cum += m->latency_buckets[i];
        if (i < MVR_HTTP_NBUCKETS - 1)
            fprintf(f, "mvrelay_http_request_duration_seconds_bucket{le=\"%g\"} %" PRIu64 "\n",
                    bounds_ms[i] / 1000.0, cum);
        else
            fprintf(f, "mvrelay_http_request_duration_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n",
                    cum);
    }
    fprintf(f,
            "mvrelay_http_request_duration_seconds_sum %g\n"
            "mvrelay_http_request_duration_seconds_count %" PRIu64 "\n",
            m->latency_sum_s, m->latency_count);
}
