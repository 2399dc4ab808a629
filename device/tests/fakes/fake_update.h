/* Update test doubles: an update port over memory that records saves, applies and
 * rollbacks (neither restarts anything), and signed bundles built with mbedTLS. */
#ifndef MVK_TEST_FAKE_UPDATE_H
#define MVK_TEST_FAKE_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "update.h"

#define FAKE_UPD_STAGE (640u * 1024u) /* room for two progress saves */

struct fake_upd {
    uint8_t stage[FAKE_UPD_STAGE];
    uint32_t stage_end;          /* highest byte written + 1 */
    struct mvk_upd_state saved;  /* the last state saved */
    int saves, applies, rollbacks;
    uint32_t apply_off, apply_len;
};
extern struct fake_upd fake_upd;
/* PEM public keys of the two signers (0: the device's key, 1: another). */
extern uint8_t fake_upd_pem[2][512];

/* Clears the recorder and makes the two key pairs (once). */
void fake_upd_reset(void);
/* A port for MVP_PORT_HOST over fake_upd.stage, trusting pem (may be NULL). */
const struct mvk_update_port *fake_upd_port(const uint8_t *pem);
/* A bundle for port with an img_len-byte image, signed by signer (0 or 1), into out;
 * returns its length. */
uint32_t fake_upd_bundle(uint8_t *out, size_t cap, uint8_t port, int signer, uint32_t img_len);
/* The same, but with wrong_hash the header names a wrong image SHA-256 before it is signed:
 * a bundle its owner signed by mistake (or a signing tool's bug). */
uint32_t fake_upd_bundle_lying(uint8_t *out, size_t cap, uint8_t port, int signer,
                               uint32_t img_len, int wrong_hash);

#endif
