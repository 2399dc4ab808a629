/* Links the mbedTLS calls the kernel's connection code makes (device/kernel/conn/),
 * so that `make an505-mbedtls` proves the cross-built library is complete for it and
 * reports the TLS client's flash/RAM footprint. Never run. */
#include <stddef.h>
#include <stdint.h>

#include "mbedtls/base64.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/pk.h"
#include "mbedtls/platform.h"
#include "mbedtls/sha1.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"

int main(void);

static unsigned char arena[32 * 1024];
static size_t arena_used;

/* A bump allocator standing in for the kernel's arena (tls_arena.c). */
static void *probe_calloc(size_t n, size_t size)
{
    size_t want = (n * size + 7u) & ~(size_t)7u;
    void *p;

    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    if (want > sizeof arena - arena_used)
        return NULL;
    p = &arena[arena_used];
    arena_used += want;
    return p;
}

static void probe_free(void *p)
{
    (void)p;
}

static int probe_entropy(void *ctx, unsigned char *buf, size_t len)
{
    (void)ctx;
    (void)buf;
    (void)len;
    return -1;
}

int main(void)
{
    static mbedtls_ssl_context ssl;
    static mbedtls_ssl_config conf;
    static mbedtls_ctr_drbg_context drbg;
    static mbedtls_x509_crt ca, own;
    static mbedtls_pk_context key;
    static const int suites[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0};
    unsigned char out[64], digest[20];
    size_t olen;
    int rc = 0;

    mbedtls_platform_set_calloc_free(probe_calloc, probe_free);
    mbedtls_ctr_drbg_init(&drbg);
    rc |= mbedtls_ctr_drbg_seed(&drbg, probe_entropy, NULL, NULL, 0);
    mbedtls_x509_crt_init(&ca);
    mbedtls_x509_crt_init(&own);
    mbedtls_pk_init(&key);
    rc |= mbedtls_x509_crt_parse(&ca, out, sizeof out);
    rc |= mbedtls_pk_parse_key(&key, out, sizeof out, NULL, 0);
    mbedtls_ssl_config_init(&conf);
    rc |= mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT);
    mbedtls_ssl_conf_ciphersuites(&conf, suites);
    mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
    mbedtls_ssl_conf_ca_chain(&conf, &ca, NULL);
    rc |= mbedtls_ssl_conf_own_cert(&conf, &own, &key);
    rc |= mbedtls_ssl_conf_max_frag_len(&conf, MBEDTLS_SSL_MAX_FRAG_LEN_4096);
    mbedtls_ssl_init(&ssl);
    rc |= mbedtls_ssl_setup(&ssl, &conf);
    rc |= mbedtls_ssl_set_hostname(&ssl, "relay");
    rc |= mbedtls_ssl_handshake(&ssl);
    rc |= mbedtls_ssl_write(&ssl, out, sizeof out);
    rc |= mbedtls_ssl_read(&ssl, out, sizeof out);
    rc |= mbedtls_ssl_close_notify(&ssl);
    rc |= mbedtls_sha1_ret(out, sizeof out, digest);
    rc |= mbedtls_base64_encode(out, sizeof out, &olen, digest, sizeof digest);
    mbedtls_ssl_free(&ssl);
    mbedtls_ssl_config_free(&conf);
    return rc;
}
