/* Keys and certificates for the relay (OpenSSL): the ECDSA P-256 CA, the server
 * certificate, device certificates (CN = device id) from a fresh key or from a CSR. */
#ifndef MVR_PKI_H
#define MVR_PKI_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

enum mvr_cert_kind { MVR_CERT_CA, MVR_CERT_SERVER, MVR_CERT_DEVICE };

/* New P-256 key; NULL on failure. Caller frees with EVP_PKEY_free. */
EVP_PKEY *mvr_pki_key_new(void);
/* Issues a certificate for key with subject CN = cn. ca/ca_key NULL = self-signed (CA
 * only). Server certificates get SANs DNS:localhost, IP:127.0.0.1 and DNS:names[i].
 * Caller frees with X509_free; NULL on failure. */
X509 *mvr_pki_issue(EVP_PKEY *key, const char *cn, enum mvr_cert_kind kind, X509 *ca,
                    EVP_PKEY *ca_key, const char *const *names, size_t n_names);
/* PEM text (malloc'ed, NUL-terminated; caller frees) or NULL. */
char *mvr_pki_key_pem(EVP_PKEY *key);
char *mvr_pki_cert_pem(X509 *cert);
/* Parses a PEM CSR and checks its self-signature; returns its public key (caller
 * frees) or NULL with a reason in err. */
EVP_PKEY *mvr_pki_csr_key(const char *pem, size_t len, char *err, size_t errlen);
/* Loads PEM files; NULL on failure. */
EVP_PKEY *mvr_pki_load_key(const char *path);
X509 *mvr_pki_load_cert(const char *path);
/* 1 when a server certificate's SANs are exactly those mvr_pki_issue gives for names
 * (the defaults plus each name, as DNS or IP), 0 when a name is missing or one is left
 * over (a server name was changed: the certificate must be issued again). */
int mvr_pki_cert_names_match(X509 *cert, const char *const *names, size_t n);
/* CN of a certificate's subject into out; 0 or -1. */
int mvr_pki_cert_cn(X509 *cert, char *out, size_t cap);

#endif
