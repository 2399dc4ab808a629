/* The device identity, DRBG seed and update key from the provisioning blob on the
 * emulated boards: both load the same blob (mps2-an505's mkprov.py, checked by its
 * prov.c) into kernel-only memory; only where it lies is the port's (identity.c). */
#ifndef MV_PORT_PROV_IDENTITY_H
#define MV_PORT_PROV_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

/* Parses the blob at blob[0..size) once at boot; 0, or -1 if absent or malformed (the
 * identity then stays empty, so the kernel cannot authenticate to a relay). */
int port_identity_init(const uint8_t *blob, size_t size);
/* The blob's DRBG seed (AN505_PROV_SEED_LEN bytes), NULL without a valid blob. */
const uint8_t *port_prov_seed(void);
/* The blob's update public key (PEM, NUL included in *len), NULL if it has none. */
const uint8_t *port_update_key(size_t *len);

#endif
