/* Update bundles on the user's side (docs/ota.md): the signing key pair and signing an
 * application image into a bundle, with OpenSSL. The relay never sees the private key. */
#ifndef MVC_BUNDLE_SIGN_H
#define MVC_BUNDLE_SIGN_H

#include <stddef.h>
#include <stdint.h>

/* Writes prefix.key.pem (PKCS#8, 0600, never overwritten) and prefix.pub.pem. 0 or -1
 * with a reason in err. */
int mvc_keygen(const char *prefix, char *err, size_t errlen);

struct mvc_bundle_in {
    const char *key_path; /* PEM private key (P-256) */
    const char *name, *version;
    uint8_t port;         /* enum mvp_bundle_port */
    const uint8_t *image;
    size_t image_len;
};

/* Builds a signed bundle: *out (malloc'ed, caller frees) of *out_len bytes. 0 or -1 with
 * a reason in err. */
int mvc_bundle_make(const struct mvc_bundle_in *in, uint8_t **out, size_t *out_len, char *err,
                    size_t errlen);

#endif
