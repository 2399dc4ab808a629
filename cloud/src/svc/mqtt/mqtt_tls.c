/* TLS contexts for bridged MQTT connections. libmosquitto only takes certificate files,
 * and checks the host name against the address it was given (numeric, after our own
 * non-blocking resolution), so the bridge hands it a ready SSL_CTX (MOSQ_OPT_SSL_CTX):
 * certificates from memory, OpenSSL's own host check on the broker's name, SNI set at
 * handshake start, and a verify callback that remembers why a chain failed. */
#include "svc/mqtt/mqtt_tls.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"

static int state_idx = -1; /* SSL_CTX ex_data slot for struct mvr_mqtt_tls_state */

static void state_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
    (void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
    free(ptr);
}

static struct mvr_mqtt_tls_state *state_of(SSL *ssl)
{
    return SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), state_idx);
}

static int verify_cb(int ok, X509_STORE_CTX *x)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
    struct mvr_mqtt_tls_state *st = ssl ? state_of(ssl) : NULL;
    if (!ok && st && !st->verify_error)
        st->verify_error = X509_STORE_CTX_get_error(x);
    return ok;
}

static int is_ip(const char *h)
{
    unsigned char b[16];
    return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

/* libmosquitto sets SNI to the numeric address it connects to; replace it with the
 * broker's name before the ClientHello is built (SNI must not carry an IP literal). */
static void info_cb(const SSL *ssl, int where, int ret)
{
    (void)ret;
    struct mvr_mqtt_tls_state *st = state_of((SSL *)ssl);
    if ((where & SSL_CB_HANDSHAKE_START) && st && !is_ip(st->host))
        SSL_set_tlsext_host_name((SSL *)ssl, st->host);
}

/* Every certificate in one blob: PEM (one or more) or a single DER. 0 or -1. */
static int each_cert(const uint8_t *p, size_t n, int (*use)(SSL_CTX *, X509 *, int), SSL_CTX *ctx,
                     int *count)
{
    if (n >= 10 && !memcmp(p, "-----BEGIN", 10)) {
        BIO *b = BIO_new_mem_buf(p, (int)n);
        X509 *x;
        int found = 0;
        while (b && (x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
            found = 1;
            if (use(ctx, x, (*count)++) < 0) {
                BIO_free(b);
                return -1;
            }
        }
        BIO_free(b);
        ERR_clear_error(); /* the read that ended the loop left "no start line" */
        return found ? 0 : -1;
    }
    const unsigned char *q = p;
    X509 *x = d2i_X509(NULL, &q, (long)n);
    if (!x || q != p + n) {
        X509_free(x);
        return -1;
    }
    return use(ctx, x, (*count)++);
}

static int use_ca(SSL_CTX *ctx, X509 *x, int i)
{
    (void)i;
    int rc = X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), x);
    X509_free(x);
    return rc == 1 ? 0 : -1;
}

/* The first client certificate is the leaf, the rest its chain. */
static int use_client(SSL_CTX *ctx, X509 *x, int i)
{
    int rc = i == 0 ? SSL_CTX_use_certificate(ctx, x) : SSL_CTX_add1_chain_cert(ctx, x);
    X509_free(x);
    return rc == 1 ? 0 : -1;
}

static int use_key(SSL_CTX *ctx, const uint8_t *p, size_t n)
{
    EVP_PKEY *k = NULL;
    if (n >= 10 && !memcmp(p, "-----BEGIN", 10)) {
        BIO *b = BIO_new_mem_buf(p, (int)n);
        k = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
        BIO_free(b);
    } else {
        const unsigned char *q = p;
        k = d2i_AutoPrivateKey(NULL, &q, (long)n);
    }
    int rc = k && SSL_CTX_use_PrivateKey(ctx, k) == 1 && SSL_CTX_check_private_key(ctx) == 1;
    EVP_PKEY_free(k);
    return rc ? 0 : -1;
}

static const char *load(SSL_CTX *ctx, const struct mvp_mqtt_tls *t)
{
    int count = 0;
    for (size_t i = 0; i < t->num_ca_certs; i++)
        if (each_cert(t->ca_certs[i].data, t->ca_certs[i].len, use_ca, ctx, &count) < 0)
            return "CA certificate does not parse";
    count = 0;
    for (size_t i = 0; i < t->num_client_certs; i++)
        if (each_cert(t->client_certs[i].data, t->client_certs[i].len, use_client, ctx, &count) < 0)
            return "client certificate does not parse";
    if (t->num_client_certs && use_key(ctx, t->key, t->key_len) < 0)
        return "client key does not parse or does not match the certificate";
    return NULL;
}

static int set_name(SSL_CTX *ctx, const char *host)
{
    X509_VERIFY_PARAM *vp = SSL_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_hostflags(vp, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (is_ip(host))
        return X509_VERIFY_PARAM_set1_ip_asc(vp, host) == 1 ? 0 : -1;
    return X509_VERIFY_PARAM_set1_host(vp, host, 0) == 1 ? 0 : -1;
}

SSL_CTX *mvr_mqtt_tls_ctx(const struct mvp_mqtt_tls *t, const char *host, char *err, size_t errlen)
{
    if (state_idx < 0)
        state_idx = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, state_free);
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    struct mvr_mqtt_tls_state *st = calloc(1, sizeof *st);
    const char *why = ctx && st ? NULL : "out of memory";
    if (!why) {
        snprintf(st->host, sizeof st->host, "%s", host);
        SSL_CTX_set_ex_data(ctx, state_idx, st); /* the context owns it from here */
        st = NULL;
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb);
        SSL_CTX_set_info_callback(ctx, info_cb);
        why = load(ctx, t);
        if (!why && set_name(ctx, host) < 0)
            why = "broker name not usable for verification";
    }
    free(st);
    if (why) {
        snprintf(err, errlen, "%s", why);
        SSL_CTX_free(ctx);
        ERR_clear_error();
        return NULL;
    }
    return ctx;
}

uint32_t mvr_mqtt_tls_state_of(SSL_CTX *ctx)
{
    const struct mvr_mqtt_tls_state *st = SSL_CTX_get_ex_data(ctx, state_idx);
    switch (st ? st->verify_error : 0) {
    case 0: return MV_MQTTREQUESTSTATE_SOCKETERROR;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID: return MV_MQTTREQUESTSTATE_CERTIFICATEEXPIRED;
    default: return MV_MQTTREQUESTSTATE_UNKNOWNCA;
    }
}
