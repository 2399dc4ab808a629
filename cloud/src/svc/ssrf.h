/* The HTTP proxy's SSRF guard: which resolved addresses a device's request may connect
 * to. Called from curl's open-socket callback, so it judges every connection attempt
 * (each address tried, after any DNS answer), not the name in the URL. */
#ifndef MVR_SSRF_H
#define MVR_SSRF_H

#include <sys/socket.h>

#include "mvr/http_config.h"

/* Names the special-purpose block sa falls in ("loopback", "private", ...), or NULL
 * for an ordinary public address. IPv4 embedded in IPv6 (mapped, compatible, NAT64,
 * 6to4) is judged as the IPv4 address it carries. */
const char *mvr_ssrf_class(const struct sockaddr *sa);

/* 1 if a request for url_host:url_port may connect to sa, else 0 with *why set: public
 * addresses always, special ones only when an allow rule names the address (CIDR or IP
 * literal) or the URL's host (with its port, if the rule has one). */
int mvr_ssrf_allowed(const struct mvr_http_config *h, const struct sockaddr *sa,
                     const char *url_host, int url_port, const char **why);

/* 1 if a host rule in rules[0..n) names host (and port, when the rule has one). */
int mvr_http_host_listed(const struct mvr_http_rule *rules, size_t n, const char *host,
                         int port);

#endif
