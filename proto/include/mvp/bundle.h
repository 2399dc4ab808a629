/* Application update bundles (docs/ota.md "Bundle format"): a header, the application
 * image and an ECDSA P-256 signature (raw r || s) over SHA-256(header || image).
 * This codec only checks structure; the hash and the signature are checked by the
 * device kernel (mbedTLS) and created by mvcli (OpenSSL), never by the relay. */
#ifndef MVP_BUNDLE_H
#define MVP_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#define MVP_BUNDLE_MAGIC 0x4d564231u /* "MVB1" */
#define MVP_BUNDLE_FORMAT 1u
#define MVP_BUNDLE_FIXED_LEN 44u /* magic .. sha256 */
#define MVP_BUNDLE_MAX_NAME 32u
#define MVP_BUNDLE_MAX_VERSION 32u
#define MVP_BUNDLE_MAX_HDR                                                                         \
    (MVP_BUNDLE_FIXED_LEN + 4u + MVP_BUNDLE_MAX_NAME + MVP_BUNDLE_MAX_VERSION)
#define MVP_BUNDLE_MAX_IMAGE (4u * 1024u * 1024u)
#define MVP_BUNDLE_SHA_LEN 32u
#define MVP_BUNDLE_SIG_LEN 64u /* r || s, 32 bytes each, big endian */

/* The port an image is built for: a device refuses any other. */
enum mvp_bundle_port {
    MVP_PORT_HOST = 1,
    MVP_PORT_AN505 = 2,
    MVP_PORT_RISCV_VIRT = 3,
};

struct mvp_bundle_hdr {
    uint8_t format;                     /* MVP_BUNDLE_FORMAT */
    uint8_t port;                       /* enum mvp_bundle_port */
    uint32_t image_len;                 /* 1..MVP_BUNDLE_MAX_IMAGE */
    uint8_t sha256[MVP_BUNDLE_SHA_LEN]; /* of the image */
    const uint8_t *name;                /* 1..32 of [A-Za-z0-9._-] */
    uint16_t name_len;
    const uint8_t *version; /* 1..32 printable ASCII 0x21..0x7e */
    uint16_t version_len;
};

/* Encodes the header; returns its length or -err. */
int mvp_bundle_hdr_encode(const struct mvp_bundle_hdr *h, uint8_t *out, size_t cap);
/* Decodes the header at the start of in[0..len) (the image may follow): returns the
 * header length or -err. Strings point into in. */
int mvp_bundle_hdr_decode(const uint8_t *in, size_t len, struct mvp_bundle_hdr *h);
/* Decodes a whole bundle of exactly len bytes: header, image_len image bytes, the
 * signature and nothing else. *hdr_len gets the header length (the image starts there,
 * the signature at *hdr_len + image_len). Returns 0 or -err. */
int mvp_bundle_decode(const uint8_t *in, size_t len, struct mvp_bundle_hdr *h, size_t *hdr_len);
/* Total bundle length for a header of hdr_len bytes and its image. */
uint64_t mvp_bundle_total_len(size_t hdr_len, uint32_t image_len);
/* Short text for a port value ("host", "an505", "riscv-virt") or NULL. */
const char *mvp_bundle_port_name(uint8_t port);
/* The port value for a name, 0 if unknown. */
uint8_t mvp_bundle_port_from_name(const char *name);

#endif
