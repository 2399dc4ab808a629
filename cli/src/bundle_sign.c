/* Signing key generation and bundle signing with OpenSSL (docs/ota.md "Bundle format"):
 * the signature is ECDSA P-256 over SHA-256(header || image), stored as raw r || s so
 * that the device needs no DER parser. */
#include "bundle_sign.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mvp/bundle.h"
#include "mvp/wire.h"

static int write_pem(const char *path, EVP_PKEY *k, int private_key, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, private_key ? 0600 : 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        snprintf(err, errlen, "cannot write %s", path);
        return -1;
    }
    int ok = private_key ? PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL)
                         : PEM_write_PUBKEY(f, k);
    if (fclose(f) != 0 || !ok) {
        snprintf(err, errlen, "cannot write %s", path);
        return -1;
    }
    return 0;
}

int mvc_keygen(const char *prefix, char *err, size_t errlen)
{
    char kp[4096], pp[4096];
    int rc = -1;
    snprintf(kp, sizeof kp, "%s.key.pem", prefix);
    snprintf(pp, sizeof pp, "%s.pub.pem", prefix);
    if (access(kp, F_OK) == 0 || access(pp, F_OK) == 0) {
        snprintf(err, errlen, "%s or %s already exists", kp, pp);
        return -1;
    }
    EVP_PKEY *k = EVP_EC_gen("P-256");
    if (!k) {
        snprintf(err, errlen, "key generation failed");
        return -1;
    }
    if (write_pem(kp, k, 1, err, errlen) == 0 && write_pem(pp, k, 0, err, errlen) == 0)
        rc = 0;
    EVP_PKEY_free(k);
    return rc;
}

static EVP_PKEY *load_key(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    char group[32] = "";
    if (!k || EVP_PKEY_get_base_id(k) != EVP_PKEY_EC ||
        !EVP_PKEY_get_utf8_string_param(k, "group", group, sizeof group, NULL) ||
        strcmp(group, "prime256v1") != 0) {
        snprintf(err, errlen, "%s is not a P-256 private key in PEM (mvcli apps keygen)", path);
        EVP_PKEY_free(k);
        return NULL;
    }
    return k;
}

/* Signs digest into sig as r || s (32 bytes each). */
static int sign_raw(EVP_PKEY *k, const uint8_t digest[32], uint8_t sig[MVP_BUNDLE_SIG_LEN])
{
    uint8_t der[128];
    size_t der_len = sizeof der;
    int rc = -1;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k, NULL);
    if (!ctx || EVP_PKEY_sign_init(ctx) <= 0 || EVP_PKEY_sign(ctx, der, &der_len, digest, 32) <= 0)
        goto out;
    const uint8_t *p = der;
    ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (s && BN_bn2binpad(ECDSA_SIG_get0_r(s), sig, 32) == 32 &&
        BN_bn2binpad(ECDSA_SIG_get0_s(s), sig + 32, 32) == 32)
        rc = 0;
    ECDSA_SIG_free(s);
out:
    EVP_PKEY_CTX_free(ctx);
    return rc;
}

int mvc_bundle_make(const struct mvc_bundle_in *in, uint8_t **out, size_t *out_len, char *err,
                    size_t errlen)
{
    struct mvp_bundle_hdr h = {.format = MVP_BUNDLE_FORMAT,
                               .port = in->port,
                               .image_len = (uint32_t)in->image_len,
                               .name = (const uint8_t *)in->name,
                               .name_len = (uint16_t)strlen(in->name),
                               .version = (const uint8_t *)in->version,
                               .version_len = (uint16_t)strlen(in->version)};
    uint8_t hdr[MVP_BUNDLE_MAX_HDR], digest[32];
    if (in->image_len == 0 || in->image_len > MVP_BUNDLE_MAX_IMAGE) {
        snprintf(err, errlen, "the image must be 1 to %u bytes", MVP_BUNDLE_MAX_IMAGE);
        return -1;
    }
    SHA256(in->image, in->image_len, h.sha256);
    int hl = mvp_bundle_hdr_encode(&h, hdr, sizeof hdr);
    if (hl < 0) {
        snprintf(err, errlen,
                 "invalid bundle header (%s): the name is 1..32 of "
                 "[A-Za-z0-9._-], the version 1..32 printable characters",
                 mvp_strerror(hl));
        return -1;
    }
    EVP_PKEY *k = load_key(in->key_path, err, errlen);
    if (!k)
        return -1;
    size_t total = (size_t)hl + in->image_len + MVP_BUNDLE_SIG_LEN;
    uint8_t *b = malloc(total);
    int rc = -1;
    if (!b) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    memcpy(b, hdr, (size_t)hl);
    memcpy(b + hl, in->image, in->image_len);
    SHA256(b, (size_t)hl + in->image_len, digest);
    if (sign_raw(k, digest, b + hl + in->image_len) != 0) {
        snprintf(err, errlen, "signing failed");
        free(b);
        goto out;
    }
    *out = b;
    *out_len = total;
    rc = 0;
out:
    EVP_PKEY_free(k);
    return rc;
}
