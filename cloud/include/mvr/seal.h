/* Encryption of secrets at rest: AES-256-GCM with a random 96-bit nonce per value.
 * Sealed form: nonce(12) | ciphertext | tag(16). The additional data binds a value to
 * its row (scope + key), so a sealed value copied to another row does not open. */
#ifndef MVR_SEAL_H
#define MVR_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define MVR_SEAL_KEY_LEN 32
#define MVR_SEAL_OVERHEAD (12 + 16)

/* out must hold len + MVR_SEAL_OVERHEAD bytes. 0 or -1. */
int mvr_seal(const uint8_t key[MVR_SEAL_KEY_LEN], const uint8_t *aad, size_t aad_len,
             const uint8_t *in, size_t len, uint8_t *out);
/* out must hold len - MVR_SEAL_OVERHEAD bytes; *out_len set. -1 if len is too short or
 * authentication fails. */
int mvr_open(const uint8_t key[MVR_SEAL_KEY_LEN], const uint8_t *aad, size_t aad_len,
             const uint8_t *in, size_t len, uint8_t *out, size_t *out_len);

#endif
