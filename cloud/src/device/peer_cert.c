/* What a device connection keeps of its client certificate once the session is set up.
 *
 * OpenSSL holds the peer certificate for the connection's whole life (in its SSL_SESSION
 * and its verified chain), parsed: the public key decoded (for P-256 an EVP_PKEY with its
 * own copy of the curve's EC_GROUP, ~2 KB), subject and issuer names with their cached
 * encodings, five extensions (~1.2 KB together). That was the largest item a connection
 * held after the TLS cipher contexts. The relay reads the certificate only up to the
 * upgrade (chain verified, device id from the CN: dev.c) and OpenSSL uses the key only in
 * the handshake (CertificateVerify); TLS 1.3 session tickets, which carry the
 * certificate, are written before the handshake completes. OpenSSL 3.0 has no call that
 * drops the peer certificate from a live connection, but the certificate is an ordinary
 * reference-counted X509: replacing its key with one shared placeholder, its names with
 * an empty one and deleting its extensions frees those parts, and nothing reads them
 * afterwards. The device vhost keeps no server-side session cache (dev.c), so no later
 * connection can resume with this SSL_SESSION and meet the emptied certificate. */
#include "device/peer_cert.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

static EVP_PKEY *stub_key; /* Ed25519: the smallest key encoding, no curve parameters */
static X509_NAME *stub_name;

int mvr_peer_cert_slim(SSL *ssl)
{
    if (!ssl)
        return -1;
    if (!stub_key && !(stub_key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")))
        return -1;
    if (!stub_name && !(stub_name = X509_NAME_new()))
        return -1;
    X509 *x = SSL_get1_peer_certificate(ssl);
    if (!x)
        return -1;
    int ok = X509_set_pubkey(x, stub_key) == 1 && X509_set_subject_name(x, stub_name) == 1 &&
             X509_set_issuer_name(x, stub_name) == 1;
    while (X509_get_ext_count(x) > 0)
        X509_EXTENSION_free(X509_delete_ext(x, 0));
    X509_free(x);
    return ok ? 0 : -1;
}

void mvr_peer_cert_cleanup(void)
{
    EVP_PKEY_free(stub_key);
    X509_NAME_free(stub_name);
    stub_key = NULL;
    stub_name = NULL;
}
