/* Address classification and allow-rule matching for the HTTP proxy's SSRF guard.
 * Denied unless allowed: loopback, this-network, RFC 1918, shared (100.64/10),
 * link-local (cloud metadata), benchmarking, multicast, reserved and broadcast, and the
 * IPv6 equivalents, including IPv4 carried inside IPv6 addresses. */
#include "svc/ssrf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

struct v4_block {
    uint32_t net, mask;
    const char *name;
};

#define V4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define MASK(bits) ((uint32_t)(0xffffffffu << (32 - (bits))))

static const struct v4_block v4_denied[] = {
    {V4(0, 0, 0, 0), MASK(8), "this-network"},
    {V4(10, 0, 0, 0), MASK(8), "private"},
    {V4(100, 64, 0, 0), MASK(10), "shared"},
    {V4(127, 0, 0, 0), MASK(8), "loopback"},
    {V4(169, 254, 0, 0), MASK(16), "link-local"},
    {V4(172, 16, 0, 0), MASK(12), "private"},
    {V4(192, 0, 0, 0), MASK(24), "ietf-protocol"},
    {V4(192, 168, 0, 0), MASK(16), "private"},
    {V4(198, 18, 0, 0), MASK(15), "benchmarking"},
    {V4(224, 0, 0, 0), MASK(4), "multicast"},
    {V4(240, 0, 0, 0), MASK(4), "reserved"}, /* includes 255.255.255.255 broadcast */
};

static const char *v4_class(uint32_t a)
{
    for (size_t i = 0; i < sizeof v4_denied / sizeof v4_denied[0]; i++)
        if ((a & v4_denied[i].mask) == v4_denied[i].net)
            return v4_denied[i].name;
    return NULL;
}

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int zeros(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* The IPv4 address an IPv6 address carries (mapped ::ffff:0:0/96, compatible ::/96,
 * NAT64 64:ff9b::/96, 6to4 2002::/16): 1 and *v4, or 0. */
static int embedded_v4(const uint8_t *a, uint32_t *v4)
{
    static const uint8_t nat64[12] = {0, 0x64, 0xff, 0x9b};
    if (zeros(a, 10) && a[10] == 0xff && a[11] == 0xff) {
        *v4 = be32(a + 12);
        return 1;
    }
    if (zeros(a, 12) && !zeros(a + 12, 2)) { /* compatible, but not :: or ::1 */
        *v4 = be32(a + 12);
        return 1;
    }
    if (!memcmp(a, nat64, sizeof nat64)) {
        *v4 = be32(a + 12);
        return 1;
    }
    if (a[0] == 0x20 && a[1] == 0x02) {
        *v4 = be32(a + 2);
        return 1;
    }
    return 0;
}

static const char *v6_class(const uint8_t *a)
{
    uint32_t v4;
    if (zeros(a, 16))
        return "unspecified";
    if (zeros(a, 15) && a[15] == 1)
        return "loopback";
    if (embedded_v4(a, &v4)) {
        const char *c = v4_class(v4);
        return c ? c : NULL;
    }
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
        return "link-local";
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
        return "site-local";
    if ((a[0] & 0xfe) == 0xfc)
        return "unique-local";
    if (a[0] == 0xff)
        return "multicast";
    return NULL;
}

const char *mvr_ssrf_class(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return v4_class(ntohl(in->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        return v6_class(in6->sin6_addr.s6_addr);
    }
    return "not-ip";
}

static int prefix_match(const uint8_t *a, const uint8_t *net, unsigned bits)
{
    unsigned full = bits / 8, rest = bits % 8;
    if (memcmp(a, net, full))
        return 0;
    if (!rest)
        return 1;
    uint8_t m = (uint8_t)(0xff << (8 - rest));
    return (a[full] & m) == (net[full] & m);
}

/* The address as (family, bytes); an IPv4-mapped IPv6 address also counts as IPv4. */
static int addr_bytes(const struct sockaddr *sa, int family, uint8_t out[16])
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        if (family != AF_INET)
            return 0;
        memcpy(out, &in->sin_addr, 4);
        return 1;
    }
    if (sa->sa_family != AF_INET6)
        return 0;
    const uint8_t *a = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
    uint32_t v4;
    if (family == AF_INET6) {
        memcpy(out, a, 16);
        return 1;
    }
    if (!embedded_v4(a, &v4))
        return 0;
    v4 = htonl(v4);
    memcpy(out, &v4, 4);
    return 1;
}

static int sock_port(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port);
    return ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
}

/* An IP-literal host rule names the connected address itself. */
static int literal_match(const struct mvr_http_rule *r, const struct sockaddr *sa)
{
    struct mvr_http_rule lit;
    uint8_t a[16];
    memset(&lit, 0, sizeof lit);
    if (inet_pton(AF_INET, r->host, lit.addr) == 1)
        lit.family = AF_INET;
    else if (inet_pton(AF_INET6, r->host, lit.addr) == 1)
        lit.family = AF_INET6;
    else
        return 0;
    size_t n = lit.family == AF_INET ? 4 : 16;
    return addr_bytes(sa, lit.family, a) && !memcmp(a, lit.addr, n) &&
           (!r->port || r->port == sock_port(sa));
}

int mvr_http_host_listed(const struct mvr_http_rule *rules, size_t n, const char *host,
                         int port)
{
    for (size_t i = 0; i < n; i++)
        if (!rules[i].is_cidr && !strcasecmp(rules[i].host, host) &&
            (!rules[i].port || rules[i].port == port))
            return 1;
    return 0;
}

int mvr_ssrf_allowed(const struct mvr_http_config *h, const struct sockaddr *sa,
                     const char *url_host, int url_port, const char **why)
{
    const char *cls = mvr_ssrf_class(sa);
    uint8_t a[16];
    *why = cls;
    if (!cls)
        return 1;
    if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
        return 0;
    for (size_t i = 0; i < h->n_allow; i++) {
        const struct mvr_http_rule *r = &h->allow[i];
        if (r->is_cidr && addr_bytes(sa, r->family, a) && prefix_match(a, r->addr, r->prefix))
            return 1;
        if (!r->is_cidr && literal_match(r, sa))
            return 1;
    }
    return mvr_http_host_listed(h->allow, h->n_allow, url_host, url_port);
}
