/* Certificate authority operations with OpenSSL 3: P-256 keys, X.509 v3 certificates
 * with the extensions each role needs, CSR verification, PEM conversion. */
#include "mvr/pki.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "mvr/util.h"

#define CA_DAYS 3650
#define LEAF_DAYS 825

EVP_PKEY *mvr_pki_key_new(void) { return EVP_EC_gen("P-256"); }

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return -1;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

static int add_san(X509 *cert, const char *const *names, size_t n)
{
    char san[2048];
    size_t off = (size_t)snprintf(san, sizeof san, "DNS:localhost,IP:127.0.0.1");
    for (size_t i = 0; i < n; i++) {
        /* An address given as a server name must be an IP SAN: clients match an address
         * they connected to against IP entries only. */
        unsigned char a[16];
        int ip = inet_pton(AF_INET, names[i], a) == 1 || inet_pton(AF_INET6, names[i], a) == 1;
        int w = snprintf(san + off, sizeof san - off, ",%s:%s", ip ? "IP" : "DNS", names[i]);
        if (w < 0 || (size_t)w >= sizeof san - off)
            return -1;
        off += (size_t)w;
    }
    return add_ext(cert, NULL, NID_subject_alt_name, san);
}

static int is_ip(const char *name)
{
    unsigned char a[16];
    return inet_pton(AF_INET, name, a) == 1 || inet_pton(AF_INET6, name, a) == 1;
}

static int has_name(X509 *cert, const char *name)
{
    return is_ip(name) ? X509_check_ip_asc(cert, name, 0) == 1
                       : X509_check_host(cert, name, strlen(name), X509_CHECK_FLAG_NO_WILDCARDS,
                                         NULL) == 1;
}

int mvr_pki_cert_names_match(X509 *cert, const char *const *names, size_t n)
{
    static const char *const defaults[] = {"localhost", "127.0.0.1"};
    GENERAL_NAMES *sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    /* add_san writes the defaults, then every name as given (repeats included). */
    size_t have = sans ? (size_t)sk_GENERAL_NAME_num(sans) : 0;
    int ok = has_name(cert, defaults[0]) && has_name(cert, defaults[1]);
    GENERAL_NAMES_free(sans);
    for (size_t i = 0; ok && i < n; i++)
        ok = has_name(cert, names[i]);
    return ok && have == 2 + n;
}

static int add_role_exts(X509 *cert, X509 *issuer, enum mvr_cert_kind kind,
                         const char *const *names, size_t n)
{
    if (add_ext(cert, issuer, NID_subject_key_identifier, "hash") < 0)
        return -1;
    if (issuer && add_ext(cert, issuer, NID_authority_key_identifier, "keyid:always") < 0)
        return -1;
    switch (kind) {
    case MVR_CERT_CA:
        return add_ext(cert, issuer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") |
               add_ext(cert, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
    case MVR_CERT_SERVER:
        return add_ext(cert, issuer, NID_basic_constraints, "critical,CA:FALSE") |
               add_ext(cert, issuer, NID_key_usage, "critical,digitalSignature") |
               add_ext(cert, issuer, NID_ext_key_usage, "serverAuth") |
               add_san(cert, names, n);
    default:
        return add_ext(cert, issuer, NID_basic_constraints, "critical,CA:FALSE") |
               add_ext(cert, issuer, NID_key_usage, "critical,digitalSignature") |
               add_ext(cert, issuer, NID_ext_key_usage, "clientAuth");
    }
}

static int set_serial(X509 *cert)
{
    uint8_t rnd[16];
    if (mvr_random(rnd, sizeof rnd) < 0)
        return -1;
    rnd[0] &= 0x7f; /* positive */
    BIGNUM *bn = BN_bin2bn(rnd, sizeof rnd, NULL);
    int rc = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) ? 0 : -1;
    BN_free(bn);
    return rc;
}

X509 *mvr_pki_issue(EVP_PKEY *key, const char *cn, enum mvr_cert_kind kind, X509 *ca,
                    EVP_PKEY *ca_key, const char *const *names, size_t n_names)
{
    X509 *cert = X509_new();
    X509_NAME *subj = X509_NAME_new();
    if (!cert || !subj)
        goto fail;
    if (!X509_set_version(cert, 2) || set_serial(cert) < 0)
        goto fail;
    if (!X509_NAME_add_entry_by_txt(subj, "O", MBSTRING_ASC, (const unsigned char *)"mvisor",
                                    -1, -1, 0) ||
        !X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1,
                                    -1, 0))
        goto fail;
    if (!X509_set_subject_name(cert, subj) ||
        !X509_set_issuer_name(cert, ca ? X509_get_subject_name(ca) : subj))
        goto fail;
    /* Backdate an hour so devices with slightly slow clocks accept fresh certificates. */
    long days = kind == MVR_CERT_CA ? CA_DAYS : LEAF_DAYS;
    if (!X509_gmtime_adj(X509_getm_notBefore(cert), -3600) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert), days * 86400L))
        goto fail;
    if (!X509_set_pubkey(cert, key) || add_role_exts(cert, ca, kind, names, n_names) != 0)
        goto fail;
    if (!X509_sign(cert, ca_key ? ca_key : key, EVP_sha256()))
        goto fail;
    X509_NAME_free(subj);
    return cert;
fail:
    X509_NAME_free(subj);
    X509_free(cert);
    return NULL;
}

static char *bio_to_string(BIO *b)
{
    char *data = NULL, *out = NULL;
    long n = BIO_get_mem_data(b, &data);
    if (n >= 0 && (out = malloc((size_t)n + 1))) {
        memcpy(out, data, (size_t)n);
        out[n] = '\0';
    }
    return out;
}

char *mvr_pki_key_pem(EVP_PKEY *key)
{
    char *out = NULL;
    BIO *b = BIO_new(BIO_s_mem());
    if (b && PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL))
        out = bio_to_string(b);
    BIO_free(b);
    return out;
}

char *mvr_pki_cert_pem(X509 *cert)
{
    char *out = NULL;
    BIO *b = BIO_new(BIO_s_mem());
    if (b && PEM_write_bio_X509(b, cert))
        out = bio_to_string(b);
    BIO_free(b);
    return out;
}

EVP_PKEY *mvr_pki_csr_key(const char *pem, size_t len, char *err, size_t errlen)
{
    EVP_PKEY *key = NULL;
    X509_REQ *req = NULL;
    BIO *b = BIO_new_mem_buf(pem, (int)len);
    if (!b || !(req = PEM_read_bio_X509_REQ(b, NULL, NULL, NULL))) {
        snprintf(err, errlen, "csr: not a PEM certificate request");
        goto out;
    }
    key = X509_REQ_get_pubkey(req);
    if (!key || X509_REQ_verify(req, key) != 1) {
        snprintf(err, errlen, "csr: signature does not verify");
        EVP_PKEY_free(key);
        key = NULL;
        goto out;
    }
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
        snprintf(err, errlen, "csr: key must be ECDSA P-256");
        EVP_PKEY_free(key);
        key = NULL;
    }
out:
    X509_REQ_free(req);
    BIO_free(b);
    return key;
}

EVP_PKEY *mvr_pki_load_key(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    return k;
}

X509 *mvr_pki_load_cert(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    X509 *c = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    return c;
}

int mvr_pki_cert_cn(X509 *cert, char *out, size_t cap)
{
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, out,
                                      (int)cap);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}
