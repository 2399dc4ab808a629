/* Counters of the MQTT bridge, rendered into /metrics by metrics.c. */
#ifndef MVR_MQTT_METRICS_H
#define MVR_MQTT_METRICS_H

#include <stdint.h>
#include <stdio.h>

struct mvr_mqtt_metrics {
    uint64_t connects_ok, connects_failed, connects_refused; /* refused: allow list */
    uint64_t disconnects;          /* broker connections that ended, any cause */
    uint64_t publishes_out;        /* device -> broker, accepted by libmosquitto */
    uint64_t messages_in;          /* broker -> device, delivered to the device */
    uint64_t messages_lost;        /* MQTT_LOST sent: too large for the device */
    uint64_t messages_redelivered; /* held messages delivered on a resumed session */
    uint64_t held_dropped;         /* held messages dropped (store bounds) */
    int64_t sessions;              /* gauge: channels with a broker connection */
    int64_t backlog;               /* gauge: messages queued for or awaiting devices */
    int64_t held;                  /* gauge: messages kept for resumed sessions */
};

extern struct mvr_mqtt_metrics mvr_mqtt_metrics;

void mvr_mqtt_metrics_render(FILE *f);

#endif
