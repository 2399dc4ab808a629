/* Provisioning blob parser: every length is checked against the blob and against the
 * others before use, strings must be terminated inside their fields, and the device id
 * must have its exact format, because the rest of the kernel trusts the identity. */
#include "prov.h"

#include <string.h>

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static int device_id_ok(const uint8_t *f)
{
    size_t i;

    if (f[0] != 'U' || f[1] != 'V' || f[34] != '\0' || f[35] != '\0')
        return 0;
    for (i = 2; i < 34; i++)
        if (!((f[i] >= '0' && f[i] <= '9') || (f[i] >= 'a' && f[i] <= 'f')))
            return 0;
    return 1;
}

/* A PEM of len bytes at blob + off: non-empty, ends with its NUL terminator. */
static int pem_ok(const uint8_t *blob, uint32_t off, uint32_t len)
{
    return len >= 2 && blob[off + len - 1u] == '\0' && memchr(blob + off, '\0', len - 1u) == NULL;
}

int an505_prov_parse(const uint8_t *blob, size_t cap, struct mvk_identity *id,
                     const uint8_t **seed)
{
    uint32_t total, key_len, cert_len, ca_len, upd_len;
    uint64_t need;
    const uint8_t *host = blob + 52;

    if (cap < AN505_PROV_HDR_LEN || memcmp(blob, AN505_PROV_MAGIC, 8) != 0)
        return -1;
    total = rd32(blob + 8);
    key_len = rd32(blob + 212);
    cert_len = rd32(blob + 216);
    ca_len = rd32(blob + 220);
    upd_len = rd16(blob + 14);
    need = (uint64_t)AN505_PROV_HDR_LEN + key_len + cert_len + ca_len + upd_len;
    if (need != total || total > cap)
        return -1;
    if (rd16(blob + 12) == 0 || !device_id_ok(blob + 16))
        return -1;
    if (host[0] == '\0' || memchr(host, '\0', sizeof id->relay_host) == NULL)
        return -1;
    if (!pem_ok(blob, AN505_PROV_HDR_LEN, key_len) ||
        !pem_ok(blob, AN505_PROV_HDR_LEN + key_len, cert_len) ||
        !pem_ok(blob, AN505_PROV_HDR_LEN + key_len + cert_len, ca_len) ||
        (upd_len != 0 && !pem_ok(blob, AN505_PROV_HDR_LEN + key_len + cert_len + ca_len, upd_len)))
        return -1;

    memset(id, 0, sizeof *id);
    memcpy(id->device_id, blob + 16, sizeof id->device_id);
    memcpy(id->relay_host, host, sizeof id->relay_host);
    id->relay_port = rd16(blob + 12);
    id->key_pem = blob + AN505_PROV_HDR_LEN;
    id->key_pem_len = key_len;
    id->cert_pem = id->key_pem + key_len;
    id->cert_pem_len = cert_len;
    id->ca_pem = id->cert_pem + cert_len;
    id->ca_pem_len = ca_len;
    *seed = blob + 180;
    return 0;
}

/* Only called on a blob the parser accepted: the lengths are known to be consistent. */
const uint8_t *an505_prov_update_key(const uint8_t *blob, size_t *len)
{
    uint32_t upd_len = rd16(blob + 14);

    *len = upd_len;
    if (upd_len == 0)
        return NULL;
    return blob + AN505_PROV_HDR_LEN + rd32(blob + 212) + rd32(blob + 216) + rd32(blob + 220);
}
