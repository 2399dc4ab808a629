/* ota_rawtls: the second anchor of host_ota.sh. The raw link as the device's own TLS
 * stack can use it: an mbedTLS client configured as the kernel's (device/kernel/conn/
 * tls.c: TLS 1.2, the same ciphersuites, max fragment length 4096, 4 KiB reads) reads
 * BYTES from a TLS server on loopback and prints the throughput from the end of the
 * handshake to the last byte. No WebSocket, no framing, no staging, no verification:
 * what the update channel would move if it cost nothing but the link and its TLS.
 * Certificates are not checked (that costs nothing per byte).
 *   ota_rawtls PORT BYTES    prints "MB/s" */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "mbedtls/net_sockets.h"
#include "mbedtls/ssl.h"

static const int suites[] = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    0};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bio_send(void *ctx, const unsigned char *p, size_t n)
{
    ssize_t r = send(*(int *)ctx, p, n, MSG_NOSIGNAL);
    return r < 0 ? MBEDTLS_ERR_NET_SEND_FAILED : (int)r;
}

static int bio_recv(void *ctx, unsigned char *p, size_t n)
{
    ssize_t r = recv(*(int *)ctx, p, n, 0);
    return r < 0 ? MBEDTLS_ERR_NET_RECV_FAILED : (int)r;
}

static int connect_lo(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("connect");
        exit(1);
    }
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: ota_rawtls PORT BYTES\n");
        return 2;
    }
    long total = atol(argv[2]), got = 0;
    int fd = connect_lo(atoi(argv[1]));
    mbedtls_entropy_context ent;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    mbedtls_entropy_init(&ent);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_ssl_config_init(&conf);
    mbedtls_ssl_init(&ssl);
    if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent, NULL, 0) != 0 ||
        mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0)
        return 1;
    mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_NONE);
    mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
    mbedtls_ssl_conf_ciphersuites(&conf, suites);
    mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    if (mbedtls_ssl_conf_max_frag_len(&conf, MBEDTLS_SSL_MAX_FRAG_LEN_4096) != 0 ||
        mbedtls_ssl_setup(&ssl, &conf) != 0)
        return 1;
    mbedtls_ssl_set_bio(&ssl, &fd, bio_send, bio_recv, NULL);
    int rc;
    while ((rc = mbedtls_ssl_handshake(&ssl)) != 0)
        if (rc != MBEDTLS_ERR_SSL_WANT_READ && rc != MBEDTLS_ERR_SSL_WANT_WRITE) {
            fprintf(stderr, "ota_rawtls: handshake failed: -0x%x\n", (unsigned)-rc);
            return 1;
        }
    static unsigned char buf[4096];
    double t0 = now_s();
    while (got < total) {
        rc = mbedtls_ssl_read(&ssl, buf, sizeof buf);
        if (rc <= 0 && rc != MBEDTLS_ERR_SSL_WANT_READ)
            break;
        if (rc > 0)
            got += rc;
    }
    double dt = now_s() - t0;
    if (got < total) {
        fprintf(stderr, "ota_rawtls: %ld of %ld bytes\n", got, total);
        return 1;
    }
    printf("%.1f\n", (double)total / dt / 1e6);
    mbedtls_ssl_close_notify(&ssl);
    close(fd);
    return 0;
}
