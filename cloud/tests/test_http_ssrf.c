/* Unit tests for the HTTP proxy's SSRF guard (svc/ssrf.c): every special-purpose
 * address block in every spelling a URL or a DNS answer can take (decimal, octal and
 * hex IPv4, IPv4 inside IPv6) is denied unless an allow rule names it; public
 * addresses pass. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <string.h>

#include "mvr/http_config.h"
#include "svc/ssrf.h"

/* Builds a socket address the way a resolver answer would arrive: IPv4 text in any
 * inet_aton form (as getaddrinfo accepts), or IPv6. */
static struct sockaddr_storage addr(const char *s, int port)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *in = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    if (inet_aton(s, &in->sin_addr)) {
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)port);
    } else {
        cr_assert_eq(inet_pton(AF_INET6, s, &in6->sin6_addr), 1, "bad test address %s", s);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
    }
    return ss;
}

static const struct {
    const char *addr;
    const char *cls; /* NULL: public */
} table[] = {
    {"127.0.0.1", "loopback"},
    {"2130706433", "loopback"},      /* decimal */
    {"0177.0.0.1", "loopback"},      /* octal */
    {"0x7f.0.0.1", "loopback"},      /* hex */
    {"0x7f000001", "loopback"},      /* one hex number */
    {"127.1", "loopback"},           /* short form */
    {"127.255.255.254", "loopback"},
    {"0.0.0.0", "this-network"},
    {"0", "this-network"},
    {"10.0.0.1", "private"},
    {"012.0.0.1", "private"},        /* octal 10 */
    {"167772161", "private"},        /* 10.0.0.1 */
    {"172.16.0.1", "private"},
    {"172.31.255.255", "private"},
    {"172.15.255.255", NULL},
    {"172.32.0.0", NULL},
    {"192.168.1.1", "private"},
    {"0xc0.0xa8.1.1", "private"},
    {"100.64.0.1", "shared"},
    {"100.127.255.255", "shared"},
    {"100.128.0.1", NULL},
    {"169.254.169.254", "link-local"}, /* cloud metadata */
    {"0xa9fea9fe", "link-local"},
    {"2852039166", "link-local"},
    {"192.0.0.8", "ietf-protocol"},
    {"198.18.0.1", "benchmarking"},
    {"224.0.0.1", "multicast"},
    {"239.255.255.250", "multicast"},
    {"255.255.255.255", "reserved"},
    {"240.0.0.1", "reserved"},
    {"8.8.8.8", NULL},
    {"1.1.1.1", NULL},
    {"::1", "loopback"},
    {"::", "unspecified"},
    {"::ffff:127.0.0.1", "loopback"}, /* IPv4-mapped */
    {"::ffff:7f00:1", "loopback"},
    {"::ffff:169.254.169.254", "link-local"},
    {"::ffff:10.1.2.3", "private"},
    {"::ffff:8.8.8.8", NULL},
    {"::127.0.0.1", "loopback"},      /* IPv4-compatible */
    {"::10.0.0.1", "private"},
    {"64:ff9b::a9fe:a9fe", "link-local"}, /* NAT64 of 169.254.169.254 */
    {"64:ff9b::808:808", NULL},
    {"2002:7f00:1::", "loopback"},     /* 6to4 of 127.0.0.1 */
    {"2002:c0a8:101::1", "private"},
    {"fe80::1", "link-local"},
    {"febf::1", "link-local"},
    {"fec0::1", "site-local"},
    {"fc00::1", "unique-local"},
    {"fd12:3456::1", "unique-local"},
    {"ff02::1", "multicast"},
    {"2001:4860:4860::8888", NULL},
    {"2606:4700::1111", NULL},
};

Test(http_ssrf, every_address_form_is_classified)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        struct sockaddr_storage ss = addr(table[i].addr, 443);
        const char *cls = mvr_ssrf_class((struct sockaddr *)&ss);
        if (table[i].cls)
            cr_expect(cls && !strcmp(cls, table[i].cls), "%s: got %s want %s", table[i].addr,
                      cls ? cls : "public", table[i].cls);
        else
            cr_expect_null(cls, "%s: got %s, want public", table[i].addr, cls);
    }
}

static struct mvr_http_config cfg;

static void rules(const char *const *r, size_t n)
{
    mvr_http_config_defaults(&cfg);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(mvr_http_rule_parse(r[i], &cfg.allow[i]), 0, "rule %s", r[i]);
        cfg.n_allow++;
    }
}

static int allowed(const char *a, int port, const char *host, int url_port)
{
    struct sockaddr_storage ss = addr(a, port);
    const char *why;
    return mvr_ssrf_allowed(&cfg, (struct sockaddr *)&ss, host, url_port, &why);
}

Test(http_ssrf, denied_without_rules_public_allowed)
{
    rules(NULL, 0);
    cr_expect_not(allowed("127.0.0.1", 8443, "127.0.0.1", 8443));
    cr_expect_not(allowed("169.254.169.254", 80, "metadata", 80));
    cr_expect_not(allowed("10.1.2.3", 443, "internal.test", 443)); /* name resolving to 10.x */
    cr_expect_not(allowed("::ffff:127.0.0.1", 443, "x", 443));
    cr_expect(allowed("8.8.8.8", 443, "dns.google", 443));
}

Test(http_ssrf, cidr_rules_allow_only_their_block)
{
    static const char *const r[] = {"127.0.0.0/8", "fd00::/8"};
    rules(r, 2);
    cr_expect(allowed("127.0.0.1", 1, "a", 1));
    cr_expect(allowed("::ffff:127.0.0.9", 1, "a", 1)); /* mapped form of an allowed v4 */
    cr_expect(allowed("fd00::5", 1, "a", 1));
    cr_expect_not(allowed("10.0.0.1", 1, "a", 1));
    cr_expect_not(allowed("169.254.169.254", 1, "a", 1));
    cr_expect_not(allowed("fc00::1", 1, "a", 1));
}

Test(http_ssrf, host_port_rules_match_url_host_or_literal_address)
{
    static const char *const r[] = {"localhost:8443", "127.0.0.1:9443", "Internal.Test"};
    rules(r, 3);
    cr_expect(allowed("127.0.0.1", 8443, "localhost", 8443));
    cr_expect(allowed("::1", 8443, "localhost", 8443));
    cr_expect_not(allowed("127.0.0.1", 8444, "localhost", 8444));      /* other port */
    cr_expect(allowed("127.0.0.1", 9443, "anything", 9443));           /* literal */
    cr_expect_not(allowed("127.0.0.1", 9444, "anything", 9444));
    cr_expect(allowed("10.9.9.9", 443, "internal.test", 443));         /* any port */
    cr_expect_not(allowed("10.9.9.9", 443, "other.test", 443));
}

Test(http_ssrf, rule_parsing)
{
    struct mvr_http_rule r;
    cr_expect_eq(mvr_http_rule_parse("10.0.0.0/8", &r), 0);
    cr_expect(r.is_cidr && r.prefix == 8 && r.family == AF_INET);
    cr_expect_eq(mvr_http_rule_parse("[::1]:443", &r), 0);
    cr_expect(!r.is_cidr && !strcmp(r.host, "::1") && r.port == 443);
    cr_expect_eq(mvr_http_rule_parse("fe80::1", &r), 0);
    cr_expect(!strcmp(r.host, "fe80::1") && r.port == 0);
    cr_expect_eq(mvr_http_rule_parse("Host.Example:80", &r), 0);
    cr_expect(!strcmp(r.host, "host.example") && r.port == 80);
    cr_expect_eq(mvr_http_rule_parse("10.0.0.0/33", &r), -1);
    cr_expect_eq(mvr_http_rule_parse("host:0", &r), -1);
    cr_expect_eq(mvr_http_rule_parse("host:99999", &r), -1);
    cr_expect_eq(mvr_http_rule_parse("bad host", &r), -1);
    cr_expect_eq(mvr_http_rule_parse("", &r), -1);
    cr_expect_eq(mvr_http_rule_parse("/8", &r), -1);
}
