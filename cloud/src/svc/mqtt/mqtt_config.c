/* MQTT bridge settings from the relay config: `mqtt_broker = HOST:PORT` (the local
 * broker, allowed implicitly) and repeatable `mqtt_allow = HOST:PORT|HOST:*` entries
 * (flags --mqtt-broker, --mqtt-allow). */
#include <stdio.h>
#include <string.h>

#include "mvr/config.h"
#include "mvr/mqtt_config.h"

int mvr_config_mqtt_set(struct mvr_config *c, const char *k, const char *v, char *err,
                        size_t errlen)
{
    struct mvr_mqtt_config *m = &c->mqtt;
    struct mvr_mqtt_allow a;
    if (!strcmp(k, "mqtt_broker")) {
        if (mvr_mqtt_allow_parse(v, &a) < 0 || a.port == 0 || strlen(v) >= sizeof m->broker) {
            snprintf(err, errlen, "mqtt_broker: expected HOST:PORT, got %s", v);
            return -1;
        }
        strcpy(m->broker, v);
        return 0;
    }
    if (strcmp(k, "mqtt_allow"))
        return 1;
    if (mvr_mqtt_allow_parse(v, &a) < 0) {
        snprintf(err, errlen, "mqtt_allow: expected HOST:PORT or HOST:*, got %s", v);
        return -1;
    }
    if (m->n_allow >= MVR_MQTT_MAX_ALLOW) {
        snprintf(err, errlen, "mqtt_allow: at most %d entries", MVR_MQTT_MAX_ALLOW);
        return -1;
    }
    m->allow[m->n_allow++] = a;
    return 0;
}
