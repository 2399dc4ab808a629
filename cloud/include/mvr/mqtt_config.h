/* MQTT bridge settings: the local broker and the allow list of brokers devices may
 * reach through the relay (config keys mqtt_broker, mqtt_allow; flags --mqtt-broker,
 * --mqtt-allow). Parsed by svc/mqtt/mqtt_config.c, checked by svc/mqtt/mqtt_allow.c. */
#ifndef MVR_MQTT_CONFIG_H
#define MVR_MQTT_CONFIG_H

#include <stddef.h>

#define MVR_MQTT_MAX_ALLOW 32
#define MVR_MQTT_DEFAULT_BROKER "localhost:1883"

struct mvr_mqtt_allow {
    char host[256]; /* lower case */
    int port;       /* 0 = any port ("HOST:*") */
};

struct mvr_mqtt_config {
    /* The local broker ("" = MVR_MQTT_DEFAULT_BROKER), always allowed. */
    char broker[272];
    struct mvr_mqtt_allow allow[MVR_MQTT_MAX_ALLOW];
    size_t n_allow;
};

struct mvr_config;

/* One `key = value` setting: 0 applied, 1 not an MQTT key, -1 bad value (err set). */
int mvr_config_mqtt_set(struct mvr_config *c, const char *k, const char *v, char *err,
                        size_t errlen);
/* Parses "HOST:PORT" or "HOST:*" into an allow entry; 0 or -1. */
int mvr_mqtt_allow_parse(const char *s, struct mvr_mqtt_allow *a);
/* 1 when host:port (host compared case-insensitively) may be reached, else 0. */
int mvr_mqtt_allowed(const struct mvr_mqtt_config *m, const char *host, int port);

#endif
