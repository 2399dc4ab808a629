/* libcurl easy-interface wrapper: common options (TLS trust, auth header,
 * protocols limited to http/https, timeouts), buffered requests for the REST
 * calls and a streaming GET for Server-Sent Events. */
#include "http.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "mvc/exit.h"

#define RESP_MAX (64L * 1024 * 1024) /* refuse absurd responses rather than OOM */
#define STREAM_SILENCE_S 45L         /* 3 keepalive intervals of the relay (15 s) */

struct stream_ctx {
    struct mvc_http *h;
    mvc_http_chunk_cb on_chunk;
    mvc_http_abort_cb should_abort;
    void *ctx;
};

int mvc_http_init(struct mvc_http *h, const struct mvc_config *cfg)
{
    memset(h, 0, sizeof(*h));
    h->cfg = cfg;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    h->curl = curl_easy_init();
    return h->curl ? 0 : -1;
}

void mvc_http_cleanup(struct mvc_http *h)
{
    if (h->curl)
        curl_easy_cleanup(h->curl);
    h->curl = NULL;
    curl_global_cleanup();
}

void mvc_resp_free(struct mvc_resp *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
}

static size_t collect(char *ptr, size_t size, size_t n, void *userdata)
{
    struct mvc_resp *r = userdata;
    size_t len = size * n;
    if ((long)(r->len + len) > RESP_MAX)
        return 0;
    char *p = realloc(r->body, r->len + len + 1);
    if (!p)
        return 0;
    memcpy(p + r->len, ptr, len);
    r->body = p;
    r->len += len;
    r->body[r->len] = '\0';
    return len;
}

/* Set when a server asked for a client certificate: the API never does, the relay's
 * device listener always does, so a failed request to such a server was sent to the
 * wrong port. mvcli is single-threaded. */
static bool cert_requested;

static int on_cert_request(SSL *ssl, X509 **x509, EVP_PKEY **pkey)
{
    (void)ssl, (void)x509, (void)pkey;
    cert_requested = true;
    return 0; /* no certificate to offer */
}

static CURLcode on_ssl_ctx(CURL *c, void *ssl_ctx, void *arg)
{
    (void)c, (void)arg;
    SSL_CTX_set_client_cert_cb(ssl_ctx, on_cert_request);
    return CURLE_OK;
}

/* Common options; returns the header list the caller must free. */
static struct curl_slist *setup(struct mvc_http *h, const char *path, const char *accept)
{
    char url[MVC_CONFIG_VALUE_MAX + 2048];
    char auth[MVC_CONFIG_VALUE_MAX + 32];
    char acc[64];
    CURL *c = h->curl;
    struct curl_slist *hdr = NULL, *tmp;

    curl_easy_reset(c);
    snprintf(url, sizeof(url), "%s%s", h->cfg->url, path);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", h->cfg->token);
    snprintf(acc, sizeof(acc), "Accept: %s", accept);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "mvcli/1");
    curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
    cert_requested = false;
    if (h->cfg->cacert[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, h->cfg->cacert);
    h->errbuf[0] = '\0';
    tmp = curl_slist_append(hdr, acc);
    if (tmp)
        hdr = tmp;
    if (h->cfg->token[0] && (tmp = curl_slist_append(hdr, auth)) != NULL)
        hdr = tmp;
    return hdr;
}

/* The relay's certificate chains to no CA in --cacert: that CA file, and most likely
 * the token with it, came from another relay (another data directory, a re-created
 * volume). The verify result tells this apart from a name mismatch or a bad file. */
static bool issued_by_other_ca(struct mvc_http *h, CURLcode rc)
{
    long vr = 0;
    if (rc != CURLE_PEER_FAILED_VERIFICATION || !h->cfg->cacert[0] ||
        curl_easy_getinfo(h->curl, CURLINFO_SSL_VERIFYRESULT, &vr) != CURLE_OK)
        return false;
    return vr == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
           vr == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
           vr == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
           vr == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
           vr == X509_V_ERR_CERT_SIGNATURE_FAILURE;
}

static void print_conn_error(struct mvc_http *h, CURLcode rc)
{
    char msg[2048];
    if (issued_by_other_ca(h, rc)) {
        fprintf(stderr, "mvcli: the relay at %s was not issued its certificate by the CA in "
                        "%s: that CA (and likely your token) belongs to another relay, e.g. "
                        "an older data directory or a re-created volume — use this relay's "
                        "DATA_DIR/ca.pem and DATA_DIR/admin.token (--cacert/MVCLI_CACERT, "
                        "--token/MVCLI_TOKEN)\n",
                h->cfg->url, h->cfg->cacert);
        return;
    }
    if (cert_requested) {
        fprintf(stderr, "mvcli: %s is the relay's device listener (it wants a device "
                        "certificate); the API is on mvrelay's --api-listen port (7444 by "
                        "default)\n", h->cfg->url);
        return;
    }
    mvc_http_conn_message(rc, h->cfg->url, h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc), msg,
                          sizeof(msg));
    fprintf(stderr, "mvcli: %s\n", msg);
}

int mvc_http_request(struct mvc_http *h, const char *method, const char *path, const char *body,
                     struct mvc_resp *r)
{
    return mvc_http_request_body(h, method, path, "application/json", body,
                                 body ? strlen(body) : 0, r);
}

int mvc_http_request_body(struct mvc_http *h, const char *method, const char *path,
                          const char *ctype, const void *body, size_t len, struct mvc_resp *r)
{
    int ret = MVC_EXIT_CONN;
    char ct[128];
    struct curl_slist *hdr = setup(h, path, "application/json"), *tmp;
    memset(r, 0, sizeof(*r));
    snprintf(ct, sizeof ct, "Content-Type: %s", ctype);
    if (body && (tmp = curl_slist_append(hdr, ct)) != NULL)
        hdr = tmp;
    /* No "Expect: 100-continue" round trip before a large upload. */
    if (body && (tmp = curl_slist_append(hdr, "Expect:")) != NULL)
        hdr = tmp;
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, r);
    if (body) {
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    CURLcode rc = curl_easy_perform(h->curl);
    if (rc != CURLE_OK) {
        print_conn_error(h, rc);
        mvc_resp_free(r);
        goto out;
    }
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &r->status);
    ret = 0;
out:
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hdr);
    return ret;
}

static size_t stream_write(char *ptr, size_t size, size_t n, void *userdata)
{
    struct stream_ctx *s = userdata;
    long status = 0;
    curl_easy_getinfo(s->h->curl, CURLINFO_RESPONSE_CODE, &status);
    if (s->on_chunk(s->ctx, status, ptr, size * n) != 0)
        return 0;
    return size * n;
}

static int stream_progress(void *userdata, curl_off_t dt, curl_off_t dn, curl_off_t ut,
                           curl_off_t un)
{
    struct stream_ctx *s = userdata;
    (void)dt, (void)dn, (void)ut, (void)un;
    return s->should_abort(s->ctx);
}

CURLcode mvc_http_stream(struct mvc_http *h, const char *path, const char *last_id,
                         mvc_http_chunk_cb on_chunk, mvc_http_abort_cb should_abort, void *ctx,
                         long *status)
{
    struct stream_ctx s = {h, on_chunk, should_abort, ctx};
    char lid[512];
    struct curl_slist *hdr = setup(h, path, "text/event-stream"), *tmp;
    if (last_id && *last_id) {
        snprintf(lid, sizeof(lid), "Last-Event-ID: %s", last_id);
        if ((tmp = curl_slist_append(hdr, lid)) != NULL)
            hdr = tmp;
    }
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, stream_write);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h->curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION, stream_progress);
    curl_easy_setopt(h->curl, CURLOPT_XFERINFODATA, &s);
    /* No total timeout: a stream lives forever; silence means a dead link. */
    curl_easy_setopt(h->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h->curl, CURLOPT_LOW_SPEED_TIME, STREAM_SILENCE_S);
    CURLcode rc = curl_easy_perform(h->curl);
    *status = 0;
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, status);
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hdr);
    return rc;
}

void mvc_http_conn_message(CURLcode rc, const char *url, const char *detail, char *out,
                           size_t outlen)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        snprintf(out, outlen,
                 "cannot connect to %s: %s — is mvrelay running? set --url or MVCLI_URL", url,
                 detail);
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        snprintf(out, outlen, "bad relay URL %s: %s — set --url or MVCLI_URL", url, detail);
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
        snprintf(out, outlen,
                 "TLS error talking to %s: %s — set --cacert or MVCLI_CACERT to the relay's CA "
                 "(DATA_DIR/ca.pem)",
                 url, detail);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        snprintf(out, outlen, "timed out talking to %s: %s — is the relay overloaded?", url,
                 detail);
        break;
    default: snprintf(out, outlen, "request to %s failed: %s", url, detail); break;
    }
}
