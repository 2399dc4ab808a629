/* Bundle header codec (docs/ota.md "Bundle format"). Structural checks only: the
 * relay uses them to refuse garbage at upload; the device repeats them before hashing
 * and verifying the signature, so nothing here is trusted for security. */
#include "mvp/bundle.h"
#include "codec.h"
#include "mvp/wire.h"

static int name_valid(const uint8_t *p, size_t n)
{
    if (n == 0 || n > MVP_BUNDLE_MAX_NAME || !p)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 c == '.' || c == '_' || c == '-';
        if (!ok)
            return 0;
    }
    return 1;
}

static int version_valid(const uint8_t *p, size_t n)
{
    if (n == 0 || n > MVP_BUNDLE_MAX_VERSION || !p)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x21 || p[i] > 0x7e)
            return 0;
    return 1;
}

static int hdr_check(const struct mvp_bundle_hdr *h)
{
    if (h->name_len > MVP_BUNDLE_MAX_NAME || h->version_len > MVP_BUNDLE_MAX_VERSION)
        return -MVP_E_TOO_LONG;
    if (h->image_len > MVP_BUNDLE_MAX_IMAGE)
        return -MVP_E_TOO_LONG;
    if (h->format != MVP_BUNDLE_FORMAT || !mvp_bundle_port_name(h->port) || h->image_len == 0)
        return -MVP_E_INVALID;
    if (!name_valid(h->name, h->name_len) || !version_valid(h->version, h->version_len))
        return -MVP_E_INVALID;
    return 0;
}

int mvp_bundle_hdr_encode(const struct mvp_bundle_hdr *h, uint8_t *out, size_t cap)
{
    struct mvp_wbuf w;
    int rc = hdr_check(h);

    if (rc)
        return rc;
    mvp_w_init(&w, out, cap);
    mvp_w_u32(&w, MVP_BUNDLE_MAGIC);
    mvp_w_u8(&w, h->format);
    mvp_w_u8(&w, h->port);
    mvp_w_u16(&w, 0);
    mvp_w_u32(&w, h->image_len);
    mvp_w_raw(&w, h->sha256, MVP_BUNDLE_SHA_LEN);
    mvp_w_bytes16(&w, h->name, h->name_len);
    mvp_w_bytes16(&w, h->version, h->version_len);
    return mvp_w_result(&w);
}

int mvp_bundle_hdr_decode(const uint8_t *in, size_t len, struct mvp_bundle_hdr *h)
{
    struct mvp_rbuf r;
    const uint8_t *sha;

    mvp_r_init(&r, in, len);
    uint32_t magic = mvp_r_u32(&r);
    h->format = mvp_r_u8(&r);
    h->port = mvp_r_u8(&r);
    uint16_t reserved = mvp_r_u16(&r);
    h->image_len = mvp_r_u32(&r);
    if (r.err)
        return -r.err;
    if (magic != MVP_BUNDLE_MAGIC || reserved != 0)
        return -MVP_E_INVALID;
    /* The digest is a fixed-size field: read it as raw bytes. */
    if (r.len - r.off < MVP_BUNDLE_SHA_LEN)
        return -MVP_E_TRUNCATED;
    sha = in + r.off;
    for (uint32_t i = 0; i < MVP_BUNDLE_SHA_LEN; i++)
        h->sha256[i] = sha[i];
    r.off += MVP_BUNDLE_SHA_LEN;
    mvp_r_bytes16(&r, &h->name, &h->name_len, MVP_BUNDLE_MAX_NAME);
    mvp_r_bytes16(&r, &h->version, &h->version_len, MVP_BUNDLE_MAX_VERSION);
    if (r.err)
        return -r.err;
    int rc = hdr_check(h);
    return rc ? rc : (int)r.off;
}

uint64_t mvp_bundle_total_len(size_t hdr_len, uint32_t image_len)
{
    return (uint64_t)hdr_len + image_len + MVP_BUNDLE_SIG_LEN;
}

int mvp_bundle_decode(const uint8_t *in, size_t len, struct mvp_bundle_hdr *h, size_t *hdr_len)
{
    int n = mvp_bundle_hdr_decode(in, len, h);

    if (n < 0)
        return n;
    *hdr_len = (size_t)n;
    uint64_t total = mvp_bundle_total_len((size_t)n, h->image_len);
    if (len < total)
        return -MVP_E_TRUNCATED;
    return len > total ? -MVP_E_TRAILING : 0;
}

const char *mvp_bundle_port_name(uint8_t port)
{
    switch (port) {
    case MVP_PORT_HOST: return "host";
    case MVP_PORT_AN505: return "an505";
    case MVP_PORT_RISCV_VIRT: return "riscv-virt";
    default: return 0;
    }
}

uint8_t mvp_bundle_port_from_name(const char *name)
{
    for (uint8_t p = MVP_PORT_HOST; p <= MVP_PORT_RISCV_VIRT; p++) {
        const char *n = mvp_bundle_port_name(p);
        size_t i = 0;
        while (n[i] && n[i] == name[i])
            i++;
        if (!n[i] && !name[i])
            return p;
    }
    return 0;
}
