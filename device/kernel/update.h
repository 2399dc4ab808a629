/* Over-the-air application updates (docs/ota.md): the kernel-owned update channel, the
 * staged download, verification, apply on mvRestart(AUTOAPPLYUPDATE) and the trial of a
 * freshly applied app with automatic rollback. Storage and "reboot" are the port's: it
 * attaches a table of callbacks; without one, updates are off (no channel is opened). */
#ifndef MVK_UPDATE_H
#define MVK_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "mv_syscalls.h"
#include "mvp/frame.h"
#include "mvp/update.h"

/* A freshly applied app is on trial: it must have the network up (a network request of
 * its own while the session is up) within MVK_UPD_TRIAL_US of each start, and may start
 * at most MVK_UPD_TRIAL_TRIES times (boots plus restarts after a fault); otherwise the
 * previous app is restored. Ports may override both with -D; the time can also be set at
 * run time (mvk_update_set_trial_us: mvdevice --update-trial on the host port). */
#ifndef MVK_UPD_TRIAL_US
#define MVK_UPD_TRIAL_US (30u * 1000000ull)
#endif
#ifndef MVK_UPD_TRIAL_TRIES
#define MVK_UPD_TRIAL_TRIES 3u
#endif
/* Receive window of the update channel: the most download bytes ever in flight. 32
 * chunks (about 256 KiB), so the relay keeps sending while the credit for the first 16
 * travels back and the device rarely finds its socket empty. On the host port, with the
 * relay and the device at real-time priority (no other load), a 4 MiB transfer took
 * 45-60 ms with 32 chunks against 72-100 ms with 8 (bench/README.md). Chunks are written
 * to staging as they arrive: this is credit, not kernel memory, and the relay queues at
 * most MVR_OUTQ_REFILL of it at a time (the rest is in the sockets). */
#ifndef MVK_UPD_WINDOW
#define MVK_UPD_WINDOW (32u * (MVP_UPD_MAX_CHUNK + 16u))
#endif
/* The staged offset is reported every this many bytes, and persisted with it unless the
 * last save is less than MVK_UPD_SAVE_MIN_US old: a reboot resumes at most this far or
 * that long back. On a fast link the save (tmp file + rename on the host port) cost as
 * much CPU as the staging writes themselves (bench/README.md); on a slow one every
 * report is saved. */
#define MVK_UPD_SAVE_EVERY (256u * 1024u)
#define MVK_UPD_SAVE_MIN_US 250000u
#define MVK_UPD_MAX_REASON 127u

/* What the kernel keeps across reboots; the port stores it as opaque bytes. */
struct mvk_upd_state {
    uint32_t magic; /* MVK_UPD_STATE_MAGIC */
    uint8_t state;  /* enum mvp_upd_state */
    uint8_t trial;  /* 1 while a freshly applied app has not come up */
    uint8_t tries;  /* starts of the app on trial */
    uint8_t reserved;
    uint32_t offset;                      /* DOWNLOADING: bytes staged */
    uint32_t size;                        /* size of the bundle app_id */
    char app_id[MVP_UPD_MAX_APP_ID + 1];  /* the bundle the state is about */
    char running[MVP_UPD_MAX_APP_ID + 1]; /* installed bundle now running ("" = factory) */
    char prev[MVP_UPD_MAX_APP_ID + 1];    /* what a rollback restores ("" = factory) */
    char reason[MVK_UPD_MAX_REASON + 1];
};
#define MVK_UPD_STATE_MAGIC 0x4d565531u /* "MVU1" */

struct mvk_update_port {
    uint8_t port_id;           /* enum mvp_bundle_port of this device */
    uint32_t max_bundle;       /* staging capacity */
    const uint8_t *pubkey_pem; /* trusted update key, NUL-terminated; NULL if none */
    size_t pubkey_len;         /* including the NUL */
    /* Staging area: 0 or -1. */
    int (*stage_write)(uint32_t off, const uint8_t *p, uint32_t n);
    int (*stage_read)(uint32_t off, uint8_t *p, uint32_t n);
    int (*state_save)(const struct mvk_upd_state *s);
    /* Installs the staged bundle's image (it starts at img_off, img_len bytes) as the
     * app, keeping the current one for a rollback, then restarts the device (host) or
     * the app in place (riscv-virt): neither returns; or 0: the port restarts the app in
     * place once the call is over, without returning to it, and then calls
     * mvk_update_app_restarted (an505). -1 on failure. */
    int (*apply)(uint32_t img_off, uint32_t img_len);
    /* Restores the app kept by apply and restarts the device or (as apply) the app;
     * -1 on failure. */
    int (*rollback)(void);
};

/* Attaches the port at boot with the state it loaded (NULL or a bad magic: fresh). A
 * device booting an app on trial counts the start here (and rolls back after too many). */
void mvk_update_attach(const struct mvk_update_port *p, const struct mvk_upd_state *loaded);

/* A port that restarts the app in place (apply returned 0, or after a rollback) calls
 * this once the new app is about to start: it counts the start of an app on trial, as
 * mvk_update_attach does at a boot (and may roll back again). */
void mvk_update_app_restarted(void);
/* How long an app on trial has to reach the network after each start (microseconds, at
 * least one second), for the starts from now on: MVK_UPD_TRIAL_US until set. */
void mvk_update_set_trial_us(uint64_t us);

/* --- session glue (session.c) --- */
void mvk_update_session_up(void);
void mvk_update_session_down(void);
/* 1 if chan is the update channel (its frames go to mvk_update_frame). */
int mvk_update_owns(uint16_t chan);
void mvk_update_frame(const struct mvp_hdr *h, const uint8_t *payload);
void mvk_update_pump(void);

/* --- kernel loop and the app's life --- */
void mvk_update_poll(uint64_t now_us);
uint64_t mvk_update_next_deadline_us(void);
/* The app faulted and is being restarted (counts as a start while on trial). */
void mvk_update_note_app_fault(void);
/* mvRestart(AUTOAPPLYUPDATE): applies a downloaded update (does not return then, or
 * OKAY when the port restarts the app once the call is over: the app is not returned
 * to); MV_STATUS_UNAVAILABLE when none is downloaded. */
enum MvStatus mvk_update_restart(void);
/* 1 while a download is in progress (MV_NETWORKREASON_FETCHINGUPDATE; keeps the
 * session wanted). */
int mvk_update_downloading(void);
/* 1 for the first run of an app after an update was applied (wake reason). */
int mvk_update_just_applied(void);

/* --- verification (update_verify.c) --- */
/* Checks the staged bundle of size bytes: structure, port, image hash and signature with
 * the port's key. 0 with the image's offset and length, or -1 with a reason. */
int mvk_update_verify(const struct mvk_update_port *p, uint32_t size, uint32_t *img_off,
                      uint32_t *img_len, char *why, size_t why_len);

#endif
