/* First-start initialisation and later reuse of the data directory. Each artefact is
 * created only when absent; a half-present pair (a CA cert without its key) is refused
 * rather than silently replaced, since that would orphan every issued device cert. */
#include "mvr/datadir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "mvr/log.h"
#include "mvr/pki.h"
#include "mvr/util.h"

static int join(char *out, const char *dir, const char *name)
{
    return snprintf(out, MVR_PATH_MAX, "%s/%s", dir, name) < MVR_PATH_MAX ? 0 : -1;
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

void mvr_token_hash(const char *token, size_t len, uint8_t out[32])
{
    SHA256((const unsigned char *)token, len, out);
}

static int write_pem_pair(const char *cert_path, X509 *cert, const char *key_path,
                          EVP_PKEY *key)
{
    char *c = mvr_pki_cert_pem(cert), *k = mvr_pki_key_pem(key);
    int rc = -1;
    if (c && k && mvr_write_file(key_path, k, strlen(k), 0600) == 0 &&
        mvr_write_file(cert_path, c, strlen(c), 0644) == 0)
        rc = 0;
    if (k)
        OPENSSL_cleanse(k, strlen(k));
    free(c);
    free(k);
    return rc;
}

static int init_ca(struct mvr_datadir *dd, char *err, size_t errlen)
{
    char key_path[MVR_PATH_MAX];
    join(key_path, dd->dir, "ca.key");
    int have_c = exists(dd->ca_path), have_k = exists(key_path);
    if (have_c != have_k) {
        snprintf(err, errlen, "%s without %s: refusing to create a new CA",
                 have_c ? dd->ca_path : key_path, have_c ? key_path : dd->ca_path);
        return -1;
    }
    if (!have_c) {
        EVP_PKEY *k = mvr_pki_key_new();
        X509 *c = k ? mvr_pki_issue(k, "mvisor relay CA", MVR_CERT_CA, NULL, NULL, NULL, 0)
                    : NULL;
        int rc = c ? write_pem_pair(dd->ca_path, c, key_path, k) : -1;
        X509_free(c);
        EVP_PKEY_free(k);
        if (rc < 0) {
            snprintf(err, errlen, "cannot create the CA in %s: %s", dd->dir, strerror(errno));
            return -1;
        }
        mvr_log(MVR_INFO, "created CA", "path=%s", dd->ca_path);
    }
    dd->ca = mvr_pki_load_cert(dd->ca_path);
    dd->ca_key = mvr_pki_load_key(key_path);
    if (!dd->ca || !dd->ca_key || X509_check_private_key(dd->ca, dd->ca_key) != 1) {
        snprintf(err, errlen, "corrupt or unreadable CA files %s / %s", dd->ca_path, key_path);
        return -1;
    }
    dd->ca_pem = mvr_pki_cert_pem(dd->ca);
    return dd->ca_pem ? 0 : -1;
}

/* A certificate issued for other server names (--server-name changed, e.g. the compose
 * file's MVRELAY_SERVER_NAME) is issued again, so that the new name is served at once;
 * devices and mvcli trust the CA, which stays. */
static int names_changed(struct mvr_datadir *dd, const char *const *names, size_t n)
{
    X509 *c = mvr_pki_load_cert(dd->cert_path);
    int changed = c && !mvr_pki_cert_names_match(c, names, n);
    X509_free(c);
    if (changed) {
        char list[512] = "";
        for (size_t i = 0; i < n; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "," : "",
                     names[i]);
        mvr_log(MVR_INFO, "server names changed: server certificate issued again",
                "path=%s names=\"localhost,127.0.0.1%s%s\"", dd->cert_path, n ? "," : "", list);
    }
    return changed;
}

static int init_server_cert(struct mvr_datadir *dd, const char *const *names, size_t n,
                            char *err, size_t errlen)
{
    int have_c = exists(dd->cert_path), have_k = exists(dd->key_path);
    if (!have_c || !have_k || names_changed(dd, names, n)) {
        EVP_PKEY *k = mvr_pki_key_new();
        X509 *c = k ? mvr_pki_issue(k, "localhost", MVR_CERT_SERVER, dd->ca, dd->ca_key, names,
                                    n)
                    : NULL;
        int rc = c ? write_pem_pair(dd->cert_path, c, dd->key_path, k) : -1;
        X509_free(c);
        EVP_PKEY_free(k);
        if (rc < 0) {
            snprintf(err, errlen, "cannot create the server certificate: %s", strerror(errno));
            return -1;
        }
    }
    X509 *c = mvr_pki_load_cert(dd->cert_path);
    EVP_PKEY *k = mvr_pki_load_key(dd->key_path);
    int ok = c && k && X509_check_private_key(c, k) == 1;
    X509_free(c);
    EVP_PKEY_free(k);
    if (!ok) {
        snprintf(err, errlen, "corrupt or unreadable %s / %s", dd->cert_path, dd->key_path);
        return -1;
    }
    return 0;
}

static int init_seal_key(struct mvr_datadir *dd, char *err, size_t errlen)
{
    char path[MVR_PATH_MAX], *buf = NULL;
    size_t len = 0;
    join(path, dd->dir, "secrets.key");
    if (!exists(path)) {
        if (mvr_random(dd->seal_key, 32) < 0 ||
            mvr_write_file(path, dd->seal_key, 32, 0600) < 0) {
            snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (mvr_read_file(path, 64, &buf, &len) < 0 || len != 32) {
        snprintf(err, errlen, "corrupt or unreadable %s (expected 32 bytes)", path);
        free(buf);
        return -1;
    }
    memcpy(dd->seal_key, buf, 32);
    OPENSSL_cleanse(buf, len);
    free(buf);
    return 0;
}

/* The token is printed once, on the start that creates it; later starts find a hash
 * in the database and print nothing. */
static int init_admin_token(struct mvr_datadir *dd, char *err, size_t errlen)
{
    int n = 0;
    if (mvr_store_token_count(dd->store, &n) != MVR_OK) {
        snprintf(err, errlen, "cannot read the token table");
        return -1;
    }
    if (n > 0)
        return 0;
    uint8_t raw[32], hash[32];
    char tok[65], path[MVR_PATH_MAX];
    join(path, dd->dir, "admin.token");
    if (mvr_random(raw, sizeof raw) < 0)
        return -1;
    mvr_hex(raw, sizeof raw, tok);
    mvr_token_hash(tok, 64, hash);
    if (mvr_write_file(path, tok, 64, 0600) < 0 ||
        mvr_store_token_add(dd->store, hash, "admin", mvr_now_us()) != MVR_OK) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    /* The token goes to a person at a terminal, never into a service's or container's
     * log: there the file (0600) is the way to read it. */
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "mvrelay: admin token (stored in %s): %s\n", path, tok);
    else
        fprintf(stderr, "mvrelay: admin token created; read it with: cat %s\n", path);
    OPENSSL_cleanse(tok, sizeof tok);
    return 0;
}

/* mkdir -p for the parents of dir (mode 0755 less the umask, as mkdir -p). */
static void make_parents(const char *dir)
{
    char p[MVR_PATH_MAX];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(p, 0755); /* EEXIST is fine; a real failure shows in the final mkdir */
        *s = '/';
    }
}

static int init_dir(const char *dir, char *err, size_t errlen)
{
    struct stat sb;
    if (stat(dir, &sb) < 0) {
        int missing = errno == ENOENT;
        if (missing)
            make_parents(dir);
        if (!missing || mkdir(dir, 0700) < 0) {
            snprintf(err, errlen, "cannot create data dir %s: %s", dir, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (!S_ISDIR(sb.st_mode) || access(dir, R_OK | W_OK | X_OK) < 0) {
        snprintf(err, errlen, "data dir %s is not a writable directory", dir);
        return -1;
    }
    return 0;
}

/* The database holds config values and device records: owner-only, whatever the umask.
 * SQLite gives its -wal and -shm files the mode of the database file, so creating the
 * (empty) file 0600 first covers all three; an older 0644 file is tightened. */
static int private_db(const char *db, char *err, size_t errlen)
{
    int fd = open(db, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    struct stat sb;
    int rc = fd < 0 || fstat(fd, &sb) < 0 ? -1 : 0;
    if (rc == 0 && (sb.st_mode & 077) && fchmod(fd, sb.st_mode & 0700) < 0)
        rc = -1;
    if (rc < 0)
        snprintf(err, errlen, "database %s is not writable: %s", db, strerror(errno));
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Keys, the admin token and the database are the relay's to read: a copy or a volume
 * that made them readable by every local user is pointed out (not refused: the operator
 * may have reasons, and refusing would stop a running service on upgrade). */
static void warn_public(const char *dir)
{
    /* relay.db is left out: private_db() tightens it, and says nothing. */
    static const char *const files[] = {"admin.token", "ca.key", "server.key", "secrets.key"};
    char path[MVR_PATH_MAX];
    struct stat sb;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (join(path, dir, files[i]) || stat(path, &sb) < 0 || !(sb.st_mode & S_IROTH))
            continue;
        fprintf(stderr, "mvrelay: warning: %s is readable by every user (mode %03o): "
                        "chmod 600 %s\n", path, (unsigned)(sb.st_mode & 0777), path);
    }
}

int mvr_datadir_open(struct mvr_datadir *dd, const char *dir, const char *store,
                     const char *const *names,
                     size_t n_names, char *err, size_t errlen)
{
    char db[MVR_PATH_MAX];
    memset(dd, 0, sizeof *dd);
    if (snprintf(dd->dir, sizeof dd->dir, "%s", dir) >= (int)sizeof dd->dir ||
        join(dd->ca_path, dir, "ca.pem") || join(dd->cert_path, dir, "server.pem") ||
        join(dd->key_path, dir, "server.key") || join(db, dir, "relay.db")) {
        snprintf(err, errlen, "data dir path too long");
        return -1;
    }
    warn_public(dir);
    if (init_dir(dir, err, errlen) < 0 || init_ca(dd, err, errlen) < 0 ||
        init_server_cert(dd, names, n_names, err, errlen) < 0 ||
        init_seal_key(dd, err, errlen) < 0)
        goto fail;
    if (store && store[0]) {
        if (mvr_store_open(store, dd->seal_key, &dd->store, err, errlen) != MVR_OK)
            goto fail;
    } else if (private_db(db, err, errlen) < 0 ||
               mvr_store_open(db, dd->seal_key, &dd->store, err, errlen) != MVR_OK) {
        goto fail;
    }
    if (init_admin_token(dd, err, errlen) < 0)
        goto fail;
    return 0;
fail:
    mvr_datadir_close(dd);
    return -1;
}

void mvr_datadir_close(struct mvr_datadir *dd)
{
    mvr_store_close(dd->store);
    X509_free(dd->ca);
    EVP_PKEY_free(dd->ca_key);
    free(dd->ca_pem);
    OPENSSL_cleanse(dd->seal_key, sizeof dd->seal_key);
    memset(dd, 0, sizeof *dd);
}
