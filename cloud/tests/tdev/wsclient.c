/* The test client's WebSocket layer. Deliberately small and blocking: each test step
 * waits for one answer with a socket timeout, so tests are bounded in time. */
#include "wsclient.h"

#include <fcntl.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

static int sockbuf;

void ws_set_sockbuf(int bytes) { sockbuf = bytes; }

static struct in_addr source; /* 0: not bound */

void ws_set_source(const char *ipv4)
{
    source.s_addr = 0;
    if (ipv4 && inet_pton(AF_INET, ipv4, &source) != 1)
        source.s_addr = 0;
}

static int tcp_connect(const char *host, int port, int timeout_s)
{
    char ps[8];
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    snprintf(ps, sizeof ps, "%d", port);
    if (getaddrinfo(host, ps, &hints, &ai) != 0)
        return -1;
    int fd = socket(ai->ai_family, ai->ai_socktype, 0);
    struct timeval tv = {.tv_sec = timeout_s};
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        /* before connect: the receive buffer fixes the advertised window scale */
        if (sockbuf > 0 && (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sockbuf, sizeof sockbuf) ||
                            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sockbuf, sizeof sockbuf)))
            perror("ws: socket buffer size");
        struct sockaddr_in src = {.sin_family = AF_INET, .sin_addr = source};
        if ((source.s_addr && bind(fd, (struct sockaddr *)&src, sizeof src) < 0) ||
            connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    return fd;
}

static int write_all(struct ws *w, const void *p, size_t n)
{
    return SSL_write(w->ssl, p, (int)n) == (int)n ? 0 : -1;
}

static int read_all(struct ws *w, void *p, size_t n)
{
    uint8_t *b = p;
    while (n) {
        int r = SSL_read(w->ssl, b, (int)n);
        if (r <= 0)
            return -1;
        b += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Records why TLS failed: the peer's alert or OpenSSL's reason, else fallback. */
static void tls_why(struct ws *w, const char *fallback)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    snprintf(w->why, sizeof w->why, "tls: %s", r ? r : fallback);
}

/* TLS 1.3: the server judges our certificate after our Finished. Wait briefly for its
 * first record after the handshake (session tickets, or the alert that refuses us) so a
 * refusal is read as that alert instead of surfacing as a broken pipe on our next write. */
static int await_verdict(struct ws *w)
{
    struct pollfd p = {.fd = w->fd, .events = POLLIN};
    char c;
    if (poll(&p, 1, 200) <= 0)
        return 0;
    int fl = fcntl(w->fd, F_GETFL);
    fcntl(w->fd, F_SETFL, fl | O_NONBLOCK);
    int r = SSL_peek(w->ssl, &c, 1);
    int err = r > 0 ? SSL_ERROR_NONE : SSL_get_error(w->ssl, r);
    fcntl(w->fd, F_SETFL, fl);
    if (r > 0 || err == SSL_ERROR_WANT_READ)
        return 0;
    tls_why(w, "closed after the handshake");
    return -1;
}

static int handshake(struct ws *w, const char *host, int port, const char *path)
{
    uint8_t nonce[16], sha[20];
    char key[32], accept_exp[40], req[512], resp[2048], cat[128];
    RAND_bytes(nonce, sizeof nonce);
    EVP_EncodeBlock((unsigned char *)key, nonce, sizeof nonce);
    snprintf(req, sizeof req,
             "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
             "Sec-WebSocket-Protocol: mvisor.v1\r\n\r\n",
             path, host, port, key);
    if (write_all(w, req, strlen(req)) < 0) {
        tls_why(w, "closed before the upgrade request was sent");
        return -1;
    }
    size_t n = 0;
    while (n < sizeof resp - 1 && !(n >= 4 && !memcmp(resp + n - 4, "\r\n\r\n", 4))) {
        if (SSL_read(w->ssl, resp + n, 1) != 1) {
            tls_why(w, "closed before the upgrade answer");
            return -1;
        }
        n++;
    }
    resp[n] = '\0';
    snprintf(cat, sizeof cat, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    SHA1((const unsigned char *)cat, strlen(cat), sha);
    EVP_EncodeBlock((unsigned char *)accept_exp, sha, sizeof sha);
    if (strncmp(resp, "HTTP/1.1 101", 12) || !strstr(resp, accept_exp)) {
        fprintf(stderr, "ws: upgrade refused: %.60s\n", resp);
        snprintf(w->why, sizeof w->why, "http: %.*s", (int)strcspn(resp, "\r\n"), resp);
        return -1;
    }
    return 0;
}

int ws_connect(struct ws *w, const char *host, int port, const char *path, const char *ca,
               const char *cert, const char *key, int timeout_s)
{
    /* The relay may close first (after ERROR, GOAWAY, a kill): echoing its close or any
     * later write must then fail with EPIPE, not kill the client by SIGPIPE before it
     * prints what it saw. */
    signal(SIGPIPE, SIG_IGN);
    memset(w, 0, sizeof *w);
    w->fd = -1;
    w->timeout_s = timeout_s;
    w->ctx = SSL_CTX_new(TLS_client_method());
    if (!w->ctx || SSL_CTX_load_verify_locations(w->ctx, ca, NULL) != 1)
        goto fail;
    SSL_CTX_set_verify(w->ctx, SSL_VERIFY_PEER, NULL);
    if (cert && (SSL_CTX_use_certificate_file(w->ctx, cert, SSL_FILETYPE_PEM) != 1 ||
                 SSL_CTX_use_PrivateKey_file(w->ctx, key, SSL_FILETYPE_PEM) != 1))
        goto fail;
    if ((w->fd = tcp_connect(host, port, timeout_s)) < 0) {
        snprintf(w->why, sizeof w->why, "tcp: cannot connect");
        goto fail;
    }
    w->ssl = SSL_new(w->ctx);
    if (!w->ssl)
        goto fail;
    SSL_set_fd(w->ssl, w->fd);
    SSL_set_tlsext_host_name(w->ssl, host);
    SSL_set1_host(w->ssl, host);
    if (SSL_connect(w->ssl) != 1) {
        tls_why(w, "handshake failed");
        goto fail;
    }
    if (await_verdict(w) < 0 || handshake(w, host, port, path) < 0)
        goto fail;
    return 0;
fail:
    fprintf(stderr, "ws: connect failed: ");
    ERR_print_errors_fp(stderr);
    fprintf(stderr, "\n");
    char why[sizeof w->why];
    memcpy(why, w->why, sizeof why);
    ws_close(w); /* clears *w */
    memcpy(w->why, why, sizeof why);
    return -1;
}

/* One masked WebSocket message (malloc'ed) in *out, its length in *out_len. */
static int build_frame(uint8_t opcode, const void *data, size_t len, uint8_t **out,
                       size_t *out_len)
{
    uint8_t hdr[14], mask[4];
    size_t h = 0;
    hdr[h++] = (uint8_t)(0x80 | opcode);
    if (len < 126) {
        hdr[h++] = (uint8_t)(0x80 | len);
    } else if (len < 65536) {
        hdr[h++] = 0x80 | 126;
        hdr[h++] = (uint8_t)(len >> 8);
        hdr[h++] = (uint8_t)len;
    } else {
        hdr[h++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--)
            hdr[h++] = (uint8_t)((uint64_t)len >> (8 * i));
    }
    RAND_bytes(mask, 4);
    memcpy(hdr + h, mask, 4);
    h += 4;
    uint8_t *buf = malloc(h + len);
    if (!buf)
        return -1;
    memcpy(buf, hdr, h);
    for (size_t i = 0; i < len; i++)
        buf[h + i] = ((const uint8_t *)data)[i] ^ mask[i & 3];
    *out = buf;
    *out_len = h + len;
    return 0;
}

static int send_frame(struct ws *w, uint8_t opcode, const void *data, size_t len)
{
    uint8_t *buf;
    size_t n;
    if (w->pend || build_frame(opcode, data, len, &buf, &n) < 0)
        return -1; /* a pending message must go first, or the stream would interleave */
    int rc = write_all(w, buf, n);
    free(buf);
    return rc;
}

int ws_send_start(struct ws *w, const void *data, size_t len)
{
    if (w->pend)
        return -1;
    return build_frame(2, data, len, &w->pend, &w->pend_len);
}

/* The socket stays blocking; SO_SNDTIMEO bounds each SSL_write, which then fails with
 * WANT_WRITE and must be retried with the same buffer (OpenSSL keeps its progress). */
int ws_flush(struct ws *w, int timeout_ms)
{
    if (!w->pend)
        return 0;
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    if (setsockopt(w->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0)
        return -1;
    int r = SSL_write(w->ssl, w->pend, (int)w->pend_len);
    tv = (struct timeval){.tv_sec = w->timeout_s};
    setsockopt(w->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (r <= 0)
        return SSL_get_error(w->ssl, r) == SSL_ERROR_WANT_WRITE ? 1 : -1;
    free(w->pend);
    w->pend = NULL;
    return 0;
}

int ws_readable(struct ws *w, int timeout_ms)
{
    struct pollfd p = {.fd = w->fd, .events = POLLIN};
    return SSL_pending(w->ssl) > 0 || poll(&p, 1, timeout_ms) > 0;
}

int ws_send(struct ws *w, const void *data, size_t len) { return send_frame(w, 2, data, len); }
int ws_send_text(struct ws *w, const char *s) { return send_frame(w, 1, s, strlen(s)); }

long ws_recv(struct ws *w, uint8_t *buf, size_t cap)
{
    for (;;) {
        uint8_t h[2], ext[8];
        uint64_t len;
        if (read_all(w, h, 2) < 0)
            return -1;
        len = h[1] & 0x7f;
        if (len == 126 || len == 127) {
            size_t n = len == 126 ? 2 : 8;
            if (read_all(w, ext, n) < 0)
                return -1;
            len = 0;
            for (size_t i = 0; i < n; i++)
                len = len << 8 | ext[i];
        }
        if (len > cap)
            return -1;
        if (len && read_all(w, buf, (size_t)len) < 0)
            return -1;
        uint8_t op = h[0] & 0x0f;
        if (op == 0x9) {
            if (send_frame(w, 0xa, buf, (size_t)len) < 0)
                return -1;
            continue;
        }
        if (op == 0x8) {
            w->close_code = len >= 2 ? buf[0] << 8 | buf[1] : 1005;
            send_frame(w, 0x8, buf, len >= 2 ? 2 : 0); /* echo the close, as RFC 6455 asks */
            return 0;
        }
        if (op == 0xa)
            continue;
        return (long)len;
    }
}

void ws_close(struct ws *w)
{
    free(w->pend);
    if (w->ssl)
        SSL_free(w->ssl);
    if (w->fd >= 0)
        close(w->fd);
    SSL_CTX_free(w->ctx);
    memset(w, 0, sizeof *w);
    w->fd = -1;
}
