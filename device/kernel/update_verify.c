/* Verification of a staged update bundle (docs/ota.md "Security model"): the structure
 * and target port, then ECDSA P-256 over SHA-256(header || image) with the update key
 * provisioned with the device identity, and the image's SHA-256 against the header.
 * The staged bytes are read back in pieces, so no bundle-sized buffer is needed; nothing
 * in the bundle is trusted before the signature checks out. */
#include <string.h>

#include "mbedtls/ecdsa.h"
#include "mbedtls/pk.h"
#include "mbedtls/sha256.h"
#include "mvp/bundle.h"
#include "mvp/wire.h"
#include "update.h"

/* One piece per stage_read: on the host port each is a pread, and 512-byte pieces made
 * 8000 system calls for a 4 MiB bundle (bench/README.md). Static rather than on the
 * stack (the an505 kernel's stack is small); the kernel runs one verification at a time. */
#define PIECE 4096u
static uint8_t piece[PIECE];

static void set_why(char *why, size_t len, const char *text)
{
    size_t n = strlen(text);
    if (n >= len)
        n = len - 1;
    memcpy(why, text, n);
    why[n] = '\0';
}

/* One pass over the staged header || image: SHA-256 of all of it (what the signature
 * covers) into all, and of the image alone (what the header names) into img. 0, or -1 if
 * the staging area is unreadable. */
static int hash_bundle(const struct mvk_update_port *p, uint32_t hl, uint32_t img_len,
                       uint8_t all[32], uint8_t img[32])
{
    mbedtls_sha256_context ca, ci;
    uint32_t off = 0, end = hl + img_len;
    int rc = -1;
    mbedtls_sha256_init(&ca);
    mbedtls_sha256_init(&ci);
    if (mbedtls_sha256_starts_ret(&ca, 0) != 0 || mbedtls_sha256_starts_ret(&ci, 0) != 0)
        goto out;
    while (off < end) {
        /* The first piece stops at the header's end, so every later one is image only. */
        uint32_t k = off < hl ? hl - off : end - off;
        if (k > PIECE)
            k = PIECE;
        if (p->stage_read(off, piece, k) != 0 || mbedtls_sha256_update_ret(&ca, piece, k) != 0 ||
            (off >= hl && mbedtls_sha256_update_ret(&ci, piece, k) != 0))
            goto out;
        off += k;
    }
    rc = mbedtls_sha256_finish_ret(&ca, all) == 0 && mbedtls_sha256_finish_ret(&ci, img) == 0
             ? 0
             : -1;
out:
    mbedtls_sha256_free(&ca);
    mbedtls_sha256_free(&ci);
    return rc;
}

static int check_signature(const struct mvk_update_port *p, const uint8_t digest[32],
                           const uint8_t sig[MVP_BUNDLE_SIG_LEN], char *why, size_t why_len)
{
    mbedtls_pk_context pk;
    mbedtls_mpi r, s;
    int rc = -1;
    mbedtls_pk_init(&pk);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    if (!p->pubkey_pem || mbedtls_pk_parse_public_key(&pk, p->pubkey_pem, p->pubkey_len) != 0 ||
        mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY ||
        mbedtls_pk_ec(pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
        set_why(why, why_len, "no usable update key provisioned on the device");
        goto out;
    }
    if (mbedtls_mpi_read_binary(&r, sig, 32) != 0 || mbedtls_mpi_read_binary(&s, sig + 32, 32) ||
        mbedtls_ecdsa_verify(&mbedtls_pk_ec(pk)->grp, digest, 32, &mbedtls_pk_ec(pk)->Q, &r, &s) !=
            0) {
        set_why(why, why_len, "bad signature (not signed with the device's update key)");
        goto out;
    }
    rc = 0;
out:
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    mbedtls_pk_free(&pk);
    return rc;
}

/* Reads and checks the header: 0 with *h and *hl, or -1 with a reason. */
static int check_header(const struct mvk_update_port *p, uint32_t size, uint8_t *hbuf,
                        struct mvp_bundle_hdr *h, uint32_t *hl, char *why, size_t why_len)
{
    uint32_t n = size < MVP_BUNDLE_MAX_HDR ? size : MVP_BUNDLE_MAX_HDR;
    if (p->stage_read(0, hbuf, n) != 0) {
        set_why(why, why_len, "staging area unreadable");
        return -1;
    }
    int rc = mvp_bundle_hdr_decode(hbuf, n, h);
    if (rc < 0) {
        set_why(why, why_len,
                rc == -MVP_E_TRUNCATED ? "truncated bundle" : "malformed bundle header");
        return -1;
    }
    *hl = (uint32_t)rc;
    if (mvp_bundle_total_len(*hl, h->image_len) != size) {
        set_why(why, why_len,
                mvp_bundle_total_len(*hl, h->image_len) > size
                    ? "truncated bundle"
                    : "bundle size does not match its header");
        return -1;
    }
    if (h->port != p->port_id) {
        set_why(why, why_len, "bundle built for another port");
        return -1;
    }
    return 0;
}

/* Both checks, always: the signature over header || image, and the image against the
 * header's SHA-256. A good signature alone would accept a bundle whose owner signed a
 * header naming another image (a signing tool's bug); the relay refuses those at upload,
 * but the device trusts nothing the relay passes on. Both hashes come from one read of
 * the staging area, and the signature is checked first so a foreign bundle is named as
 * such rather than as corrupted. */
int mvk_update_verify(const struct mvk_update_port *p, uint32_t size, uint32_t *img_off,
                      uint32_t *img_len, char *why, size_t why_len)
{
    uint8_t hbuf[MVP_BUNDLE_MAX_HDR], img_sha[32], digest[32], sig[MVP_BUNDLE_SIG_LEN];
    struct mvp_bundle_hdr h;
    uint32_t hl = 0;
    if (check_header(p, size, hbuf, &h, &hl, why, why_len) != 0)
        return -1;
    if (hash_bundle(p, hl, h.image_len, digest, img_sha) != 0 ||
        p->stage_read(hl + h.image_len, sig, MVP_BUNDLE_SIG_LEN) != 0) {
        set_why(why, why_len, "staging area unreadable");
        return -1;
    }
    int bad_hash = memcmp(img_sha, h.sha256, sizeof img_sha) != 0;
    if (check_signature(p, digest, sig, why, why_len) != 0) {
        if (bad_hash)
            set_why(why, why_len, "image SHA-256 does not match the header (corrupted)");
        return -1;
    }
    if (bad_hash) {
        set_why(why, why_len, "image SHA-256 does not match its signed header");
        return -1;
    }
    *img_off = hl;
    *img_len = h.image_len;
    return 0;
}
