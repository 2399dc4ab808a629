/* Prometheus text for the MQTT bridge's counters (appended by mvr_metrics_render). */
#include "svc/mqtt/mqtt_metrics.h"

#include <inttypes.h>

struct mvr_mqtt_metrics mvr_mqtt_metrics;

void mvr_mqtt_metrics_render(FILE *f)
{
    const struct mvr_mqtt_metrics *m = &mvr_mqtt_metrics;
    fprintf(f,
            "# TYPE mvrelay_mqtt_connects_total counter\n"
            "mvrelay_mqtt_connects_total{result=\"ok\"} %" PRIu64 "\n"
            "mvrelay_mqtt_connects_total{result=\"failed\"} %" PRIu64 "\n"
            "mvrelay_mqtt_connects_total{result=\"not_allowed\"} %" PRIu64 "\n"
            "# TYPE mvrelay_mqtt_disconnects_total counter\n"
            "mvrelay_mqtt_disconnects_total %" PRIu64 "\n"
            "# TYPE mvrelay_mqtt_publishes_total counter\n"
            "mvrelay_mqtt_publishes_total{direction=\"out\"} %" PRIu64 "\n"
            "mvrelay_mqtt_publishes_total{direction=\"in\"} %" PRIu64 "\n"
            "# TYPE mvrelay_mqtt_messages_lost_total counter\n"
            "mvrelay_mqtt_messages_lost_total %" PRIu64 "\n"
            "# TYPE mvrelay_mqtt_messages_redelivered_total counter\n"
            "mvrelay_mqtt_messages_redelivered_total %" PRIu64 "\n"
            "# TYPE mvrelay_mqtt_held_dropped_total counter\n"
            "mvrelay_mqtt_held_dropped_total %" PRIu64 "\n"
            "# TYPE mvrelay_mqtt_sessions gauge\n"
            "mvrelay_mqtt_sessions %" PRId64 "\n"
            "# TYPE mvrelay_mqtt_backlog gauge\n"
            "mvrelay_mqtt_backlog %" PRId64 "\n"
            "# TYPE mvrelay_mqtt_held gauge\n"
            "mvrelay_mqtt_held %" PRId64 "\n",
            m->connects_ok, m->connects_failed, m->connects_refused, m->disconnects,
            m->publishes_out, m->messages_in, m->messages_lost, m->messages_redelivered,
            m->held_dropped, m->sessions, m->backlog, m->held);
}
