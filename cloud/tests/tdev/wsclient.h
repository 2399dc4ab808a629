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
};

/* Connects to wss://host:port/path. cert/key may be NULL (no client certificate).
 * Returns 0, or -1 with a reason printed on stderr. */
int ws_connect(struct ws *w, const char *host, int port, const char *path, const char *ca,
               const char *cert, const char *key, int timeout_s);
/* Sends one binary message. 0 or -1. */
int ws_send(struct ws *w, const void *data, size_t len);
/* Sends raw bytes as a text message (to test the relay's refusal). */
int ws_send_text(struct ws *w, const char *s);
/* Receives the next data message into buf (answers pings on the way). Returns its
 * length, 0 when the peer closed (close_code set), or -1 on error/timeout. */
long ws_recv(struct ws *w, uint8_t *buf, size_t cap);
void ws_close(struct ws *w);

#endif
