/* Parsing of the HTTP proxy's settings (http_* keys, --http-* flags): allow rules for
 * the SSRF guard, plain-http hosts, the extra CA file, test-only name pinning and the
 * limits. Everything is checked at start so a typo fails loudly, not at request time. */
#include "mvr/http_config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "mvr/config.h"

void mvr_http_config_defaults(struct mvr_http_config *h)
{
    memset(h, 0, sizeof *h);
    h->max_transfers = 256;
    h->rate_per_min = 120;
    h->rate_burst = 20;
}

static int parse_cidr(const char *s, struct mvr_http_rule *r)
{
    char addr[64];
    const char *slash = strchr(s, '/');
    size_t n = (size_t)(slash - s);
    if (n == 0 || n >= sizeof addr)
        return -1;
    memcpy(addr, s, n);
    addr[n] = '\0';
    char *end;
    long p = strtol(slash + 1, &end, 10);
    if (*end || end == slash + 1)
        return -1;
    if (inet_pton(AF_INET, addr, r->addr) == 1)
        r->family = AF_INET;
    else if (inet_pton(AF_INET6, addr, r->addr) == 1)
        r->family = AF_INET6;
    else
        return -1;
    if (p < 0 || p > (r->family == AF_INET ? 32 : 128))
        return -1;
    r->prefix = (unsigned)p;
    r->is_cidr = 1;
    return 0;
}

static int valid_host(const char *h)
{
    if (!*h)
        return 0;
    for (; *h; h++)
        if (!isalnum((unsigned char)*h) && !strchr(".-_:", *h))
            return 0;
    return 1;
}

/* "HOST", "HOST:PORT", "[V6]" or "[V6]:PORT"; a bare IPv6 literal has no port. */
static int parse_host(const char *s, struct mvr_http_rule *r)
{
    const char *host = s, *port = NULL;
    size_t hlen;
    if (*s == '[') {
        const char *rb = strchr(s, ']');
        if (!rb || (rb[1] && rb[1] != ':'))
            return -1;
        host = s + 1;
        hlen = (size_t)(rb - host);
        port = rb[1] ? rb + 2 : NULL;
    } else {
        const char *colon = strchr(s, ':');
        if (colon && strchr(colon + 1, ':'))
            colon = NULL; /* several colons: an IPv6 literal without a port */
        hlen = colon ? (size_t)(colon - s) : strlen(s);
        port = colon ? colon + 1 : NULL;
    }
    if (hlen == 0 || hlen >= sizeof r->host)
        return -1;
    for (size_t i = 0; i < hlen; i++)
        r->host[i] = (char)tolower((unsigned char)host[i]);
    r->host[hlen] = '\0';
    if (!valid_host(r->host))
        return -1;
    if (port) {
        char *end;
        long p = strtol(port, &end, 10);
        if (*end || end == port || p < 1 || p > 65535)
            return -1;
        r->port = (int)p;
    }
    return 0;
}

int mvr_http_rule_parse(const char *s, struct mvr_http_rule *r)
{
    memset(r, 0, sizeof *r);
    return strchr(s, '/') ? parse_cidr(s, r) : parse_host(s, r);
}

static int add_rule(struct mvr_http_rule *arr, size_t *n, const char *v, int host_only)
{
    if (*n == MVR_HTTP_MAX_RULES || mvr_http_rule_parse(v, &arr[*n]) < 0)
        return -1;
    if (host_only && arr[*n].is_cidr)
        return -1;
    (*n)++;
    return 0;
}

/* HOST:PORT:ADDR as curl's CURLOPT_RESOLVE takes it (checked for shape only). */
static int add_resolve(struct mvr_http_config *h, const char *v)
{
    const char *c1 = strchr(v, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (h->n_resolve == MVR_HTTP_MAX_RULES || !c1 || !c2 || c1 == v || c2 == c1 + 1 ||
        !c2[1] || strlen(v) >= sizeof h->resolve[0])
        return -1;
    strcpy(h->resolve[h->n_resolve++], v);
    return 0;
}

static int parse_u32(const char *v, uint32_t lo, uint32_t hi, uint32_t *out)
{
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*end || end == v || *v == '-' || n < lo || n > hi)
        return -1;
    *out = (uint32_t)n;
    return 0;
}

int mvr_config_http_set(struct mvr_config *c, const char *k, const char *v, char *err,
                        size_t errlen)
{
    struct mvr_http_config *h = &c->http;
    int rc;
    if (strncmp(k, "http_", 5))
        return 1;
    if (!strcmp(k, "http_allow"))
        rc = add_rule(h->allow, &h->n_allow, v, 0);
    else if (!strcmp(k, "http_allow_plain"))
        rc = add_rule(h->allow_plain, &h->n_allow_plain, v, 1);
    else if (!strcmp(k, "http_resolve"))
        rc = add_resolve(h, v);
    else if (!strcmp(k, "http_ca_file"))
        rc = strlen(v) && strlen(v) < sizeof h->ca_file ? (strcpy(h->ca_file, v), 0) : -1;
    else if (!strcmp(k, "http_max_transfers"))
        rc = parse_u32(v, 1, 100000, &h->max_transfers);
    else if (!strcmp(k, "http_rate_per_device"))
        rc = parse_u32(v, 1, 100000000, &h->rate_per_min);
    else if (!strcmp(k, "http_rate_burst"))
        rc = parse_u32(v, 1, 1000000, &h->rate_burst);
    else
        return 1;
    if (rc < 0)
        snprintf(err, errlen, "bad value (or too many) for %s: %s", k, v);
    return rc;
}
