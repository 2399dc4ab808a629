/* Frees what OpenSSL keeps of a device's client certificate that the relay no longer
 * needs once the session is set up (peer_cert.c). */
#ifndef MVR_PEER_CERT_H
#define MVR_PEER_CERT_H

#include <openssl/ssl.h>

/* Once the certificate was checked and the device id read from it: replaces its public
 * key and names with shared placeholders and deletes its extensions. The connection's
 * peer certificate must not be read after this. 0, or -1 (not all done). */
int mvr_peer_cert_slim(SSL *ssl);
/* Frees the placeholders (at shutdown, after the last connection). */
void mvr_peer_cert_cleanup(void);

#endif
