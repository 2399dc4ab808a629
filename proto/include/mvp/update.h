/* Update channel messages (PROTOCOL.md "Update channel"): the kernel-owned channel over
 * which a device reports its update state and downloads the bundle it is targeted at.
 * UPD_STATUS (device -> relay): {state u8, reserved u8[3] = 0, offset u32,
 *             app_id bytes16 <= 64, reason bytes16 <= 255}
 * UPD_OFFER  (relay -> device): {size u32 1..MVP_UPD_MAX_BUNDLE, app_id bytes16 1..64}
 * UPD_FETCH  (device -> relay): {offset u32, app_id bytes16 1..64}
 * UPD_CHUNK  (relay -> device): {offset u32, data bytes32 1..MVP_UPD_MAX_CHUNK} */
#ifndef MVP_UPDATE_H
#define MVP_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "mvp/bundle.h"

/* OPEN.chan_type of the update channel: outside MvChannelType, so an application can
 * never open it (mvOpenChannel accepts only MvChannelType values). */
#define MVP_CHAN_UPDATE 0x100u
#define MVP_UPD_MAX_APP_ID 64u
#define MVP_UPD_MAX_REASON 255u
#define MVP_UPD_MAX_CHUNK 8192u
#define MVP_UPD_MAX_BUNDLE (MVP_BUNDLE_MAX_HDR + MVP_BUNDLE_MAX_IMAGE + MVP_BUNDLE_SIG_LEN)

enum mvp_upd_msg {
    MVP_MSG_UPD_STATUS = 0x40,
    MVP_MSG_UPD_OFFER = 0x41,
    MVP_MSG_UPD_FETCH = 0x42,
    MVP_MSG_UPD_CHUNK = 0x43,
};

enum mvp_upd_state {
    MVP_UPD_IDLE = 0,        /* nothing staged; app_id is the running bundle or empty */
    MVP_UPD_DOWNLOADING = 1, /* offset bytes of app_id staged */
    MVP_UPD_DOWNLOADED = 2,  /* app_id staged and verified, waiting for a restart */
    MVP_UPD_APPLIED = 3,     /* app_id runs and came up */
    MVP_UPD_FAILED = 4,      /* app_id refused (reason); the running app is untouched */
    MVP_UPD_ROLLEDBACK = 5,  /* app_id did not come up; the previous app runs again */
};
#define MVP_UPD_STATE_MAX MVP_UPD_ROLLEDBACK

struct mvp_upd_status {
    uint8_t state;
    uint32_t offset;
    const uint8_t *app_id;
    uint16_t app_id_len;
    const uint8_t *reason;
    uint16_t reason_len;
};

struct mvp_upd_offer {
    uint32_t size;
    const uint8_t *app_id;
    uint16_t app_id_len;
};

struct mvp_upd_fetch {
    uint32_t offset;
    const uint8_t *app_id;
    uint16_t app_id_len;
};

struct mvp_upd_chunk {
    uint32_t offset;
    const uint8_t *data;
    uint32_t len;
};

/* Name of a state ("pending" is the relay's own state before the device reports). */
const char *mvp_upd_state_name(uint8_t state);

int mvp_upd_status_encode(const struct mvp_upd_status *m, uint8_t *out, size_t cap);
int mvp_upd_status_decode(const uint8_t *in, size_t len, struct mvp_upd_status *m);
int mvp_upd_offer_encode(const struct mvp_upd_offer *m, uint8_t *out, size_t cap);
int mvp_upd_offer_decode(const uint8_t *in, size_t len, struct mvp_upd_offer *m);
int mvp_upd_fetch_encode(const struct mvp_upd_fetch *m, uint8_t *out, size_t cap);
int mvp_upd_fetch_decode(const uint8_t *in, size_t len, struct mvp_upd_fetch *m);
int mvp_upd_chunk_encode(const struct mvp_upd_chunk *m, uint8_t *out, size_t cap);
int mvp_upd_chunk_decode(const uint8_t *in, size_t len, struct mvp_upd_chunk *m);

#endif
