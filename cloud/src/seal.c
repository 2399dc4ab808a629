/* AES-256-GCM sealing of secret values with OpenSSL EVP. Every value gets a fresh
 * random nonce, so the same secret stored twice never yields the same bytes. */
#include "mvr/seal.h"

#include <openssl/evp.h>

#include "mvr/util.h"

#define NONCE_LEN 12
#define TAG_LEN 16

int mvr_seal(const uint8_t key[MVR_SEAL_KEY_LEN], const uint8_t *aad, size_t aad_len,
             const uint8_t *in, size_t len, uint8_t *out)
{
    int rc = -1, n = 0;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!c || mvr_random(out, NONCE_LEN) < 0)
        goto out;
    if (EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, out) != 1)
        goto out;
    if (aad_len && EVP_EncryptUpdate(c, NULL, &n, aad, (int)aad_len) != 1)
        goto out;
    if (len && EVP_EncryptUpdate(c, out + NONCE_LEN, &n, in, (int)len) != 1)
        goto out;
    if (EVP_EncryptFinal_ex(c, out + NONCE_LEN + len, &n) != 1)
        goto out;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG_LEN, out + NONCE_LEN + len) != 1)
        goto out;
    rc = 0;
out:
    EVP_CIPHER_CTX_free(c);
    return rc;
}

int mvr_open(const uint8_t key[MVR_SEAL_KEY_LEN], const uint8_t *aad, size_t aad_len,
             const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
    int rc = -1, n = 0;
    if (len < MVR_SEAL_OVERHEAD)
        return -1;
    size_t clen = len - MVR_SEAL_OVERHEAD;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!c)
        goto out;
    if (EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, in) != 1)
        goto out;
    if (aad_len && EVP_DecryptUpdate(c, NULL, &n, aad, (int)aad_len) != 1)
        goto out;
    if (clen && EVP_DecryptUpdate(c, out, &n, in + NONCE_LEN, (int)clen) != 1)
        goto out;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
                            (void *)(in + NONCE_LEN + clen)) != 1)
        goto out;
    if (EVP_DecryptFinal_ex(c, out + clen, &n) != 1)
        goto out;
    *out_len = clen;
    rc = 0;
out:
    EVP_CIPHER_CTX_free(c);
    return rc;
}
