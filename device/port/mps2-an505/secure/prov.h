/* The provisioning blob: device identity (id, key, certificate, relay CA), the relay's
 * address, a DRBG seed and optionally the update public key (docs/ota.md), loaded by QEMU into secure RAM at AN505_PROV_BASE before
 * boot (-device loader,file=prov.bin,addr=...) and built by mkprov.py. The parser is
 * pure C (host unit tests + libFuzzer target): the blob is checked completely before
 * anything points into it. */
#ifndef AN505_PROV_H
#define AN505_PROV_H

#include <stddef.h>
#include <stdint.h>

#include "port.h"

#define AN505_PROV_BASE 0x381F0000u /* last 64 KiB of SSRAM2 (secure) */
#define AN505_PROV_SIZE 0x10000u
#define AN505_PROV_SEED_LEN 32u

/* Little-endian layout, followed by key_len + cert_len + ca_len + upd_len bytes of PEM
 * (each NUL-terminated, lengths include the NUL). The update key took the field that
 * was reserved (0) before, so a blob without one is unchanged. */
#define AN505_PROV_MAGIC "MVPROV01"
#define AN505_PROV_HDR_LEN 224u
/*   0  magic[8]        "MVPROV01"
 *   8  u32 total_len   header + the PEMs
 *  12  u16 relay_port  (non-zero)
 *  14  u16 upd_len     update public key PEM after the CA, 0 = none (updates refused)
 *  16  device_id[36]   "UV" + 32 lowercase hex, NUL-padded
 *  52  relay_host[128] NUL-terminated, non-empty
 * 180  seed[32]
 * 212  u32 key_len, u32 cert_len, u32 ca_len */

/* Checks blob[0..cap) and fills *id (pointing into blob) and *seed. 0, or -1 if
 * anything is malformed (then *id and *seed are untouched). */
int an505_prov_parse(const uint8_t *blob, size_t cap, struct mvk_identity *id,
                     const uint8_t **seed);

/* The update public key of a blob an505_prov_parse accepted (PEM, NUL included in
 * *len), or NULL if it has none. */
const uint8_t *an505_prov_update_key(const uint8_t *blob, size_t *len);

#endif
