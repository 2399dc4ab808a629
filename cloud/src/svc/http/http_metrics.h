/* Counters of the HTTP proxy and their Prometheus rendering (called by metrics.c). */
#ifndef MVR_HTTP_METRICS_H
#define MVR_HTTP_METRICS_H

#include <stdint.h>
#include <stdio.h>

#define MVR_HTTP_NRESULTS 7 /* MvHttpResult OK..RESPONSETOOLARGE */
#define MVR_HTTP_NBUCKETS 12

enum mvr_http_refusal { MVR_HTTP_REF_SSRF, MVR_HTTP_REF_RATE, MVR_HTTP_REF_BUSY, MVR_HTTP_NREF };

struct mvr_http_metrics {
    uint64_t results[MVR_HTTP_NRESULTS]; /* requests answered, by result */
    uint64_t refused[MVR_HTTP_NREF];     /* of which refused by the relay's own rules */
    int64_t in_flight;
    uint64_t bytes_sent, bytes_received; /* request bodies out, response bodies in */
    uint64_t latency_buckets[MVR_HTTP_NBUCKETS]; /* cumulative counts are rendered */
    uint64_t latency_count;
    double latency_sum_s;
};

extern struct mvr_http_metrics mvr_http_metrics;

/* Counts one answered request that took ms milliseconds. */
void mvr_http_metrics_done(uint8_t result, double ms);
void mvr_http_metrics_render(FILE *f);

#endif
