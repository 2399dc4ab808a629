/* The kernel's random numbers: an mbedTLS CTR_DRBG (AES-256) seeded from the port's
 * entropy source. Handles, boot ids and (through conn) TLS all draw from it. */
#ifndef MVK_RAND_H
#define MVK_RAND_H

#include <stddef.h>
#include <stdint.h>

/* Seeds the DRBG; 0 or -1 (no entropy). Must succeed before any other call. */
int mvk_rand_init(void);
/* 0 or -1 (not seeded / DRBG failure). */
int mvk_rand_bytes(uint8_t *out, size_t n);
int mvk_rand_u32(uint32_t *out);
int mvk_rand_u64(uint64_t *out);
/* mbedTLS-shaped f_rng for mbedtls_ssl_conf_rng (ctx unused). */
int mvk_rand_mbedtls(void *ctx, unsigned char *out, size_t n);

#endif
