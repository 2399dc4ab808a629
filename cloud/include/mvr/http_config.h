/* Settings of the HTTP proxy service (config keys http_*, flags --http-*): the SSRF
 * allow rules, hosts that may be reached over plain http://, the extra CA bundle for
 * targets, test-only name pinning, and the limits. Parsed by svc/http/http_config.c. */
#ifndef MVR_HTTP_CONFIG_H
#define MVR_HTTP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define MVR_HTTP_MAX_RULES 32
#define MVR_HTTP_HOST_MAX 256

/* One allow rule: an address block (CIDR), or a host name / IP literal with an
 * optional port (0 = any port) compared with the request URL's host. */
struct mvr_http_rule {
    int is_cidr;
    int family;        /* AF_INET or AF_INET6 for a CIDR rule */
    uint8_t addr[16];  /* network address (4 or 16 bytes) */
    unsigned prefix;   /* prefix length */
    char host[MVR_HTTP_HOST_MAX]; /* lowercase, no brackets */
    int port;
};

struct mvr_http_config {
    struct mvr_http_rule allow[MVR_HTTP_MAX_RULES];       /* http_allow */
    size_t n_allow;
    struct mvr_http_rule allow_plain[MVR_HTTP_MAX_RULES]; /* http_allow_plain (host rules) */
    size_t n_allow_plain;
    char ca_file[4096];                                   /* http_ca_file */
    char resolve[MVR_HTTP_MAX_RULES][MVR_HTTP_HOST_MAX + 64]; /* http_resolve (tests) */
    size_t n_resolve;
    uint32_t max_transfers;   /* http_max_transfers: relay-wide concurrent requests */
    uint32_t rate_per_min;    /* http_rate_per_device: requests per minute per device */
    uint32_t rate_burst;      /* http_rate_burst: requests a device may make at once */
};

struct mvr_config;

void mvr_http_config_defaults(struct mvr_http_config *h);
/* Parses "CIDR", "HOST", "HOST:PORT" or "[V6]:PORT" into r; 0 or -1. */
int mvr_http_rule_parse(const char *s, struct mvr_http_rule *r);
/* Applies one http_* key: 1 when the key is not an HTTP setting, 0 ok, -1 with err. */
int mvr_config_http_set(struct mvr_config *c, const char *k, const char *v, char *err,
                        size_t errlen);

#endif
