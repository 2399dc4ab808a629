/* mbedTLS 2.28 configuration for the mps2-an505 firmware (MBEDTLS_CONFIG_FILE): a TLS
 * 1.2 client with exactly one suite, ECDHE-ECDSA-AES-128-GCM-SHA256 on P-256, X.509
 * and PEM parsing for the provisioned identity, CTR_DRBG seeded by the kernel, SHA-1 +
 * base64 for the WebSocket handshake. No heap: the kernel hands mbedTLS a static arena
 * through mbedtls_platform_set_calloc_free (MBEDTLS_PLATFORM_MEMORY). */
#ifndef MVK_MBEDTLS_CONFIG_H
#define MVK_MBEDTLS_CONFIG_H

/* System: bare metal, picolibc, no OS, no clock, no entropy source of its own. */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_DEPRECATED_REMOVED

/* Symmetric crypto and hashes. */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES /* tables in flash, not RAM */
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA1_C /* WebSocket Sec-WebSocket-Accept only */
#define MBEDTLS_CTR_DRBG_C

/* Public key: ECDHE + ECDSA on P-256. */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_WINDOW_SIZE 2          /* RAM over speed */
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_BASE64_C

/* Certificates (the device's own, the relay's CA). No MBEDTLS_HAVE_TIME_DATE: the
 * board has no clock at boot, so validity dates are not checked (documented). */
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C

/* TLS 1.2 client, one suite, small records out (the relay may still send 16 KiB
 * records if it ignores max_fragment_length, so input stays at the maximum). */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_SSL_CIPHERSUITES MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096

#include "mbedtls/check_config.h"

#endif
