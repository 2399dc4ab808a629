/* TLS 1.2 client (mbedTLS 2.28) over the port link: mutual authentication with the
 * device identity, the relay verified against the identity's CA and host name.
 * Non-blocking: MVK_LINK_AGAIN maps to WANT_READ/WANT_WRITE and back.
 * Memory: Debian's libmbedtls is built without MBEDTLS_PLATFORM_MEMORY, so on the host
 * mbedTLS allocates its record buffers (~2 x 16.7 KiB) and handshake state with libc
 * calloc; firmware builds enable PLATFORM_MEMORY and point it at tls_arena.c. */
#include <string.h>

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/net_sockets.h"
#include "mbedtls/pk.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"

#include "conn_diag.h"
#include "conn_io.h"
#include "port.h"
#include "rand.h"
#include "tls_arena.h"
#include "tls_san.h"

static mbedtls_ssl_context ssl;
static mbedtls_ssl_config conf;
static mbedtls_x509_crt ca, own;
static mbedtls_pk_context key;
static int configured;
static int link_up;
static int32_t last_err;
static int rx_failed; /* a read failed after returning data: the next read reports it */
static int ip_mode;       /* the relay was named by an IPv4 literal: check IP SANs */
static uint8_t relay_ip[4];

/* Preference order: the relay's certificates are P-256 ECDSA; the RSA suites are what
 * an OpenSSL relay with an RSA certificate would also accept. All forward secret AEAD. */
static const int suites[] = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    0,
};

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    (void)ctx;
    long n = mvk_port_link_send(buf, len);
    if (n == MVK_LINK_AGAIN)
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    return n < 0 ? MBEDTLS_ERR_NET_CONN_RESET : (int)n;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    (void)ctx;
    long n = mvk_port_link_recv(buf, len);
    if (n == MVK_LINK_AGAIN)
        return MBEDTLS_ERR_SSL_WANT_READ;
    return n < 0 ? MBEDTLS_ERR_NET_CONN_RESET : (int)n;
}

/* Credentials are parsed once: the identity does not change while the kernel runs. */
static int load_credentials(const struct mvk_identity *id)
{
    int rc = mbedtls_x509_crt_parse(&ca, id->ca_pem, id->ca_pem_len);
    if (rc == 0)
        rc = mbedtls_x509_crt_parse(&own, id->cert_pem, id->cert_pem_len);
    if (rc == 0)
        rc = mbedtls_pk_parse_key(&key, id->key_pem, id->key_pem_len, NULL, 0);
    return rc;
}

/* mbedTLS 2.28 matches the host name against DNS names only. For an IP literal the host
 * name is left unset and the leaf certificate must carry that address as an IP SAN. */
static int verify_ip(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    (void)ctx;
    if (depth == 0 && ip_mode &&
        !mvk_tls_san_has_ip(crt->v3_ext.p, crt->v3_ext.len, relay_ip, sizeof relay_ip))
        *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    return 0;
}

static int configure(void)
{
    const struct mvk_identity *id = mvk_port_identity();
    int rc;
    mvk_tls_arena_install();
    mbedtls_ssl_init(&ssl);
    mbedtls_ssl_config_init(&conf);
    mbedtls_x509_crt_init(&ca);
    mbedtls_x509_crt_init(&own);
    mbedtls_pk_init(&key);
    if ((rc = load_credentials(id)) != 0)
        goto out;
    rc = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                     MBEDTLS_SSL_PRESET_DEFAULT);
    if (rc != 0)
        goto out;
    mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&conf, &ca, NULL);
    mbedtls_ssl_conf_verify(&conf, verify_ip, NULL);
    mbedtls_ssl_conf_rng(&conf, mvk_rand_mbedtls, NULL);
    mbedtls_ssl_conf_ciphersuites(&conf, suites);
    mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    if ((rc = mbedtls_ssl_conf_max_frag_len(&conf, MBEDTLS_SSL_MAX_FRAG_LEN_4096)) != 0)
        goto out;
    if ((rc = mbedtls_ssl_conf_own_cert(&conf, &own, &key)) != 0)
        goto out;
    if ((rc = mbedtls_ssl_setup(&ssl, &conf)) != 0)
        goto out;
    mbedtls_ssl_set_bio(&ssl, NULL, bio_send, bio_recv, NULL);
    configured = 1;
out:
    if (rc != 0) {
        mbedtls_ssl_free(&ssl);
        mbedtls_ssl_config_free(&conf);
        mbedtls_x509_crt_free(&ca);
        mbedtls_x509_crt_free(&own);
        mbedtls_pk_free(&key);
    }
    return rc;
}

static int tls_open(void)
{
    int rc;
    last_err = 0;
    rx_failed = 0;
    link_up = 0;
    if (!configured && (rc = configure()) != 0)
        goto fail;
    if ((rc = mbedtls_ssl_session_reset(&ssl)) != 0)
        goto fail;
    const char *host = mvk_port_identity()->relay_host;
    ip_mode = mvk_tls_parse_ipv4(host, relay_ip) == 0;
    if ((rc = mbedtls_ssl_set_hostname(&ssl, ip_mode ? NULL : host)) != 0)
        goto fail;
    return mvk_port_link_open() == 0 ? 0 : -1;
fail:
    last_err = rc;
    return -1;
}

static int tls_handshake(void)
{
    if (!link_up) {
        int st = mvk_port_link_status();
        if (st == 0)
            return 1;
        if (st < 0)
            return -1;
        link_up = 1;
    }
    int rc = mbedtls_ssl_handshake(&ssl);
    if (rc == 0 && !ssl.client_auth) {
        last_err = MVK_TLS_ERR_NO_CLIENT_AUTH;
        return -1;
    }
    if (rc == 0)
        return 0;
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE)
        return 1;
    last_err = rc;
    return -1;
}

static long tls_send(const uint8_t *p, size_t n)
{
    int rc = mbedtls_ssl_write(&ssl, p, n);
    if (rc > 0)
        return rc;
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE)
        return MVK_LINK_AGAIN;
    last_err = rc;
    return MVK_LINK_CLOSED;
}

/* mbedtls_ssl_read returns at most one record (4 KiB with MFL): reading several into
 * the caller's buffer lets a frame that spans records reach the frame reader whole, to be
 * handled in place rather than copied (conn_rx.c). A failure after some data is kept and
 * reported by the next call, so the data before it is still delivered. */
static long tls_recv(uint8_t *p, size_t n)
{
    size_t got = 0;
    int rc = MBEDTLS_ERR_SSL_WANT_READ;
    if (rx_failed)
        return MVK_LINK_CLOSED;
    while (got < n && (rc = mbedtls_ssl_read(&ssl, p + got, n - got)) > 0)
        got += (size_t)rc;
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE || rc > 0)
        return got > 0 ? (long)got : MVK_LINK_AGAIN;
    last_err = rc;
    if (got > 0) {
        rx_failed = 1;
        return (long)got;
    }
    return MVK_LINK_CLOSED;
}

static void tls_close(void)
{
    if (configured && link_up)
        (void)mbedtls_ssl_close_notify(&ssl); /* best effort, the link goes next */
    link_up = 0;
    mvk_port_link_close();
}

static int32_t tls_last_error(void)
{
    return last_err;
}

const struct mvk_conn_io mvk_tls_io = {
    tls_open, tls_handshake, tls_send, tls_recv, tls_close, tls_last_error,
};
