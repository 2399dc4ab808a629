/* Entropy from the provisioned seed, for the kernel's DRBG on the emulated boards
 * (no TRNG): each port's mvk_port_entropy() is this with its seed and its timer. */
#ifndef MV_PORT_SEEDED_ENTROPY_H
#define MV_PORT_SEEDED_ENTROPY_H

#include <stddef.h>
#include <stdint.h>

/* Fills buf[0..n) with SHA-256(seed || block counter || ticks()) blocks; seed is the
 * provisioning blob's AN505_PROV_SEED_LEN bytes (NULL: no blob). 0, or -1 without a
 * seed or on a hash failure. */
int mvk_seeded_entropy(const uint8_t *seed, uint64_t (*ticks)(void), uint8_t *buf, size_t n);

#endif
