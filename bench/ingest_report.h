/* The per-device result line both ingest drivers print (relay_ingest_drv: one device per
 * process; relay_ingest_many: all devices on one loop); relay_ingest.sh parses it. */
#ifndef BENCH_INGEST_REPORT_H
#define BENCH_INGEST_REPORT_H

#include <stdio.h>
#include <stdlib.h>

static inline int ingest_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts lat_ms (one LOG_ACK latency per batch) in place. */
static inline void ingest_report(unsigned records, unsigned batch, unsigned window, double t0,
                                 double t1, double *lat_ms, size_t nlat, unsigned reconnects)
{
    double sum = 0;
    for (size_t i = 0; i < nlat; i++)
        sum += lat_ms[i];
    qsort(lat_ms, nlat, sizeof *lat_ms, ingest_cmp_double);
    size_t p99 = nlat ? (nlat * 99 + 99) / 100 - 1 : 0;
    printf("records=%u batch=%u window=%u t0=%.6f t1=%.6f rec_s=%.0f lat_mean_ms=%.3f "
           "lat_p99_ms=%.3f acks=%zu reconnects=%u\n",
           records, batch, window, t0, t1, records / (t1 - t0), nlat ? sum / (double)nlat : 0.0,
           nlat ? lat_ms[p99] : 0.0, nlat, reconnects);
}

#endif
