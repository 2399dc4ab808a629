/* Request checks for the HTTP proxy. Headers that frame the message or the connection
 * (Content-Length, Transfer-Encoding, Connection, ...) are refused: connections to an
 * origin are shared between devices, so a device must not be able to desynchronise
 * one. A Host header naming another host is refused for the same reason the SSRF guard
 * exists; one that repeats the URL's host is dropped (curl sends it from the URL). */
#include "svc/http/http_req.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "mv_syscalls.h"
#include "svc/ssrf.h"

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
                                      "OPTIONS"};

static const char *const framing[] = {
    "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer",
    "keep-alive",     "expect",            "proxy-connection", "proxy-authorization",
};

static int method_ok(const struct mvp_http_request *m, char *out)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strlen(methods[i]) == m->method_len && !memcmp(methods[i], m->method, m->method_len)) {
            strcpy(out, methods[i]);
            return 1;
        }
    return 0;
}

static int has_prefix(const uint8_t *p, size_t n, const char *pre)
{
    size_t k = strlen(pre);
    return n >= k && !strncasecmp((const char *)p, pre, k);
}

/* Host and port of an absolute URL, with curl's parser (the same one the transfer
 * uses, so what the guard sees is what curl connects to). */
static int parse_url(struct mvr_http_target *t)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL;
    int rc = -1;
    if (!u || curl_url_set(u, CURLUPART_URL, t->url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
        goto out;
    size_t n = strlen(host);
    const char *h = host;
    if (n >= 2 && host[0] == '[') { /* IPv6 literal (a zone id is refused below) */
        h++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof t->host || memchr(h, '%', n))
        goto out;
    for (size_t i = 0; i < n; i++)
        t->host[i] = (char)tolower((unsigned char)h[i]);
    t->host[n] = '\0';
    t->port = atoi(port);
    rc = t->port > 0 && t->port < 65536 ? 0 : -1;
out:
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return rc;
}

static int url_chars_ok(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] <= 0x20 || p[i] >= 0x7f)
            return 0;
    return 1;
}

static int is_tchar(int c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* "Host: value" names the URL's host (optionally with its port). */
static int same_host(const char *v, size_t n, const struct mvr_http_target *t)
{
    char want[MVR_HTTP_HOST_MAX + 16], want_port[MVR_HTTP_HOST_MAX + 24];
    int v6 = strchr(t->host, ':') != NULL;
    snprintf(want, sizeof want, v6 ? "[%s]" : "%s", t->host);
    snprintf(want_port, sizeof want_port, "%s:%d", want, t->port);
    return (strlen(want) == n && !strncasecmp(v, want, n)) ||
           (strlen(want_port) == n && !strncasecmp(v, want_port, n));
}

enum mvr_hdr_verdict mvr_http_header_check(const uint8_t *p, size_t n,
                                           const struct mvr_http_target *t)
{
    size_t i = 0;
    while (i < n && is_tchar(p[i]))
        i++;
    if (i == 0 || i == n || p[i] != ':')
        return MVR_HDR_INVALID;
    for (size_t k = i + 1; k < n; k++)
        if ((p[k] < 0x20 && p[k] != '\t') || p[k] == 0x7f)
            return MVR_HDR_INVALID;
    for (size_t k = 0; k < sizeof framing / sizeof framing[0]; k++)
        if (strlen(framing[k]) == i && !strncasecmp((const char *)p, framing[k], i))
            return MVR_HDR_INVALID;
    if (i == 4 && !strncasecmp((const char *)p, "host", 4)) {
        size_t v = i + 1, e = n;
        while (v < e && (p[v] == ' ' || p[v] == '\t'))
            v++;
        while (e > v && (p[e - 1] == ' ' || p[e - 1] == '\t'))
            e--;
        return same_host((const char *)p + v, e - v, t) ? MVR_HDR_SKIP : MVR_HDR_INVALID;
    }
    return MVR_HDR_SEND;
}

uint8_t mvr_http_req_check(const struct mvr_http_config *h, const struct mvp_http_request *m,
                           struct mvr_http_target *t, const char **why)
{
    memset(t, 0, sizeof *t);
    int https = has_prefix(m->url, m->url_len, "https://");
    int http = has_prefix(m->url, m->url_len, "http://");
    *why = "scheme is not https";
    if (!https && !http)
        return MV_HTTPRESULT_UNSUPPORTEDURISCHEME;
    *why = "malformed URL";
    if (m->url_len > MVP_MAX_HTTP_URL || !url_chars_ok(m->url, m->url_len))
        return MV_HTTPRESULT_REQUESTFAILED;
    memcpy(t->url, m->url, m->url_len);
    if (parse_url(t) < 0)
        return MV_HTTPRESULT_REQUESTFAILED;
    *why = "plain http to a host not in http_allow_plain";
    if (http && !mvr_http_host_listed(h->allow_plain, h->n_allow_plain, t->host, t->port))
        return MV_HTTPRESULT_UNSUPPORTEDURISCHEME;
    t->plain = http;
    *why = "method not supported";
    if (!method_ok(m, t->method))
        return MV_HTTPRESULT_UNSUPPORTEDMETHOD;
    *why = "invalid header";
    if (m->num_headers > MVP_MAX_HTTP_HEADERS)
        return MV_HTTPRESULT_INVALIDHEADERS;
    for (size_t i = 0; i < m->num_headers; i++)
        if (mvr_http_header_check(m->headers[i].data, m->headers[i].len, t) == MVR_HDR_INVALID)
            return MV_HTTPRESULT_INVALIDHEADERS;
    *why = "timeout outside 5000..10000 ms";
    if (m->timeout_ms < MVR_HTTP_TIMEOUT_MIN || m->timeout_ms > MVR_HTTP_TIMEOUT_MAX)
        return MV_HTTPRESULT_INVALIDTIMEOUT;
    *why = "";
    return MV_HTTPRESULT_OK;
}
