/* Minimal blocking WebSocket-over-TLS client for the relay's integration tests:
 * OpenSSL with optional client certificate, RFC 6455 handshake, masked binary frames. */
#ifndef MVT_WSCLIENT_H
#define MVT_WSCLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

struct ws {
    SSL_CTX *ctx;
    SSL *ssl;
    int fd;
    int close_code; /* set when a close frame arrived */
    int timeout_s;  /* socket timeouts given to ws_connect */
    uint8_t *pend;  /* masked message whose SSL_write would block (ws_send_start) */
    size_t pend_len;
    char why[160];  /* after a failed ws_connect: "tls: <reason>", "http: <status>", ... */
};

/* Socket buffer size (SO_SNDBUF/SO_RCVBUF) for later connections; 0 keeps the kernel's
 * autotuning. Small fixed buffers make a flood stall after a predictable amount. */
void ws_set_sockbuf(int bytes);
/* Connect from this local IPv4 address (NULL: the kernel's choice), so that a benchmark
 * driving many devices on loopback can give each its own address, as in the field. */
void ws_set_source(const char *ipv4);

/* Connects to wss://host:port/path. cert/key may be NULL (no client certificate).
 * Returns 0, or -1 with a reason printed on stderr. */
int ws_connect(struct ws *w, const char *host, int port, const char *path, const char *ca,
               const char *cert, const char *key, int timeout_s);
/* Sends one binary message. 0 or -1. */
int ws_send(struct ws *w, const void *data, size_t len);
/* Time-bounded sending for floods: ws_send_start queues one binary message (none may be
 * pending), ws_flush writes it waiting at most timeout_ms. 0 sent, 1 still pending
 * (the peer stopped reading; call ws_flush again later), -1 error. */
int ws_send_start(struct ws *w, const void *data, size_t len);
int ws_flush(struct ws *w, int timeout_ms);
/* 1 when received bytes are waiting (ws_recv will not block long), else 0. */
int ws_readable(struct ws *w, int timeout_ms);
/* Sends raw bytes as a text message (to test the relay's refusal). */
int ws_send_text(struct ws *w, const char *s);
/* Receives the next data message into buf (answers pings on the way). Returns its
 * length, 0 when the peer closed (close_code set), or -1 on error/timeout. */
long ws_recv(struct ws *w, uint8_t *buf, size_t cap);
void ws_close(struct ws *w);

#endif
