/* Turns a checked device request into a curl easy handle: method and body, the
 * device's headers, TLS verification against the system CAs (+ http_ca_file), http
 * and https only, no proxy from the environment, no redirects followed, the SSRF guard
 * on every socket and the response collected within the device's receive credit. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "mvr/log.h"
#include "svc/http/http_metrics.h"
#include "svc/http/http_priv.h"
#include "svc/ssrf.h"

#define USER_AGENT "mvrelay/1"

static curl_socket_t open_sock(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct http_xfer *x = clientp;
    const char *why = "not-ip";
    if (purpose != CURLSOCKTYPE_IPCXN ||
        !mvr_ssrf_allowed(x->h->cfg, &a->addr, x->t.host, x->t.port, &why)) {
        x->denied = why;
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct http_xfer *x = ud;
    (void)size; /* always 1 */
    return mvr_hresp_header(&x->resp, p, n) < 0 ? 0 : n;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct http_xfer *x = ud;
    (void)size;
    /* Returning less than n stops the transfer: nothing beyond the limit is kept. */
    return mvr_hresp_body(&x->resp, (const uint8_t *)p, n) < 0 ? 0 : n;
}

/* "Name:" with an empty value would tell curl to drop its own header of that name;
 * "Name;" is curl's spelling of "send it empty". */
static int add_header(struct http_xfer *x, const uint8_t *p, size_t n)
{
    char line[MVP_MAX_HTTP_HEADER + 2];
    memcpy(line, p, n);
    line[n] = '\0';
    char *colon = strchr(line, ':');
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    if (!*v)
        *colon = ';';
    struct curl_slist *l = curl_slist_append(x->hdrs, line);
    if (!l)
        return -1;
    x->hdrs = l;
    return 0;
}

static int has_header(const struct mvp_http_request *m, const char *name)
{
    size_t k = strlen(name);
    for (size_t i = 0; i < m->num_headers; i++)
        if (m->headers[i].len > k && m->headers[i].data[k] == ':' &&
            !strncasecmp((const char *)m->headers[i].data, name, k))
            return 1;
    return 0;
}

static int set_headers(struct http_xfer *x, const struct mvp_http_request *m)
{
    for (size_t i = 0; i < m->num_headers; i++)
        if (mvr_http_header_check(m->headers[i].data, m->headers[i].len, &x->t) == MVR_HDR_SEND &&
            add_header(x, m->headers[i].data, m->headers[i].len) < 0)
            return -1;
    /* Only what the device sent: no form Content-Type curl would add to a body, and
     * no "Expect: 100-continue" round trip. */
    static const char *const drop[] = {"Content-Type:", "Expect:"};
    for (size_t i = 0; i < 2; i++)
        if (!(i == 0 && has_header(m, "Content-Type"))) {
            struct curl_slist *l = curl_slist_append(x->hdrs, drop[i]);
            if (!l)
                return -1;
            x->hdrs = l;
        }
    return 0;
}

static void set_method(CURL *e, struct http_xfer *x)
{
    const char *mt = x->t.method;
    int body = x->body_len || !strcmp(mt, "POST") || !strcmp(mt, "PUT") || !strcmp(mt, "PATCH");
    if (!strcmp(mt, "HEAD")) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        return;
    }
    if (body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)x->body_len);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body_len ? (char *)x->body : "");
    }
    if (strcmp(mt, "POST") && (body || strcmp(mt, "GET")))
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, mt);
}

static void set_tls(CURL *e, const struct mvr_http_config *cfg)
{
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (cfg->ca_file[0]) {
        /* OpenSSL loads both: the system directory and the operator's extra bundle. */
        curl_easy_setopt(e, CURLOPT_CAPATH, "/etc/ssl/certs");
        curl_easy_setopt(e, CURLOPT_CAINFO, cfg->ca_file);
    }
}

CURL *mvr_http_easy_new(struct http_xfer *x, const struct mvp_http_request *m)
{
    CURL *e = curl_easy_init();
    if (!e || set_headers(x, m) < 0) {
        curl_easy_cleanup(e);
        return NULL;
    }
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_URL, x->t.url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_PROXY, ""); /* never from http_proxy & co. */
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    /* A transfer cancelled while its name is being resolved must not wait for the
     * resolver thread (curl would join it on the loop thread otherwise). */
    curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)m->timeout_ms);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_sock);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
    if (!has_header(m, "User-Agent"))
        curl_easy_setopt(e, CURLOPT_USERAGENT, USER_AGENT);
    if (x->h->resolve)
        curl_easy_setopt(e, CURLOPT_RESOLVE, x->h->resolve);
    set_tls(e, x->h->cfg);
    set_method(e, x);
    mvr_curlm_share(x->h->cm, e);
    return e;
}
