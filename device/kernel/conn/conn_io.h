/* The byte transport under the WebSocket client: TLS over the port link in the
 * kernel, a plaintext fake in tests. Swappable so the connection state machine can be
 * tested against a scripted relay without certificates. */
#ifndef MVK_CONN_IO_H
#define MVK_CONN_IO_H

#include <stddef.h>
#include <stdint.h>

struct mvk_conn_io {
    /* Start a new connection (link + secure channel); 0 started, -1 failed now. */
    int (*open)(void);
    /* Drive the link connect and TLS handshake: 0 done, 1 in progress, -1 failed
     * (last_error() 0 if the link failed, else the TLS error). */
    int (*handshake)(void);
    /* Bytes moved (> 0), MVK_LINK_AGAIN, or MVK_LINK_CLOSED (port.h). */
    long (*send)(const uint8_t *p, size_t n);
    long (*recv)(uint8_t *p, size_t n);
    /* Close (best-effort close_notify) and drop the link. Safe when not open. */
    void (*close)(void);
    /* Detail of the last failure (an mbedTLS error code, 0 if none). */
    int32_t (*last_error)(void);
};

/* mbedTLS client over mvk_port_link_* (tls.c); the default transport. */
extern const struct mvk_conn_io mvk_tls_io;

/* Replace the transport (tests). Must be called while the connection is IDLE. */
void mvk_conn_set_io(const struct mvk_conn_io *io);

#endif
