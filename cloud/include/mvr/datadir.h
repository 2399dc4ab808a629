/* The relay's data directory: database, CA, server certificate, secrets key and admin
 * token. Created on first start, reused afterwards; anything unreadable or corrupt is
 * an error with a message naming the file. */
#ifndef MVR_DATADIR_H
#define MVR_DATADIR_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "mvr/store.h"

#define MVR_PATH_MAX 4096

struct mvr_datadir {
    char dir[MVR_PATH_MAX];
    char ca_path[MVR_PATH_MAX];     /* ca.pem */
    char cert_path[MVR_PATH_MAX];   /* server.pem */
    char key_path[MVR_PATH_MAX];    /* server.key */
    X509 *ca;
    EVP_PKEY *ca_key;
    char *ca_pem;
    uint8_t seal_key[32];
    struct mvr_store *store;
};

/* Opens or initialises dir. store names the database: NULL or "" for relay.db in dir, or
 * a postgres:// URL (several relays then share it; their data dirs must hold the same
 * CA, server certificate and seal.key, see docs/fleet.md). names are extra server
 * certificate DNS names. On failure returns -1 with a message in err and leaves dd empty. */
int mvr_datadir_open(struct mvr_datadir *dd, const char *dir, const char *store,
                     const char *const *names,
                     size_t n_names, char *err, size_t errlen);
void mvr_datadir_close(struct mvr_datadir *dd);

/* SHA-256 of a bearer token. */
void mvr_token_hash(const char *token, size_t len, uint8_t out[32]);

#endif
