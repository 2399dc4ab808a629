/* Relay configuration: defaults, an optional `key = value` file, then flags. */
#ifndef MVR_CONFIG_H
#define MVR_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "mvr/http_config.h"
#include "mvr/mqtt_config.h"

#define MVR_MAX_NAMES 16

struct mvr_config {
    char data_dir[4096];
    char store[1024];     /* "" (relay.db in data_dir) or a postgres:// URL */
    char relay_name[64];  /* names this relay in metrics and log lines (default: host name) */
    char listen_addr[64];
    int listen_port;
    char api_addr[64];
    int api_port;
    char names[MVR_MAX_NAMES][256];
    size_t n_names;
    uint32_t ping_interval_s;
    uint32_t update_rate; /* update download bytes/s per device, 0 = unlimited (docs/ota.md) */
    /* Reconnect-storm shedding (docs/relay.md): device sessions held at most (0 = no
     * limit; one more is sent GOAWAY OVERLOADED), the retry-after it is given (the relay
     * adds up to as much again of jitter), and new device TLS handshakes started per
     * second (0 = no limit; the rest wait, unread, in order). */
    uint32_t max_sessions, overload_retry_ms, accept_rate;
    uint32_t max_handshakes; /* device TLS handshakes in progress at most, 0 = no limit */
    /* Unauthenticated device connections from one address at most: behind a load
     * balancer every device comes from the balancer's address, so raise it there (or 0:
     * no cap per address; the listener's cap of 1,024 stays). */
    uint32_t max_pending_per_address;
    struct mvr_http_config http; /* HTTP proxy (svc/http/http_config.c) */
    struct mvr_mqtt_config mqtt; /* svc/mqtt/mqtt_config.c */
};

void mvr_config_defaults(struct mvr_config *c);
/* Parses "ADDR:PORT" (IPv4 or a host name, port 1..65535); 0 or -1. */
int mvr_parse_hostport(const char *s, char *addr, size_t cap, int *port);
/* Applies a config file (keys: data_dir, store, relay_name, listen, api_listen,
 * server_name, ping_interval_s; '#' comments). 0, or -1 with a message in err. */
int mvr_config_file(struct mvr_config *c, const char *path, char *err, size_t errlen);
/* Applies command-line flags; 0, 1 when --help was printed, or -1 (message in err). */
int mvr_config_args(struct mvr_config *c, int argc, char **argv, char *err, size_t errlen);

#endif
