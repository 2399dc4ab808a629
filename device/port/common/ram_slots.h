/* Update storage in RAM slots, shared by the emulated boards (docs/ota.md): a staging
 * slot the download is written to and a slot keeping the previous application image for
 * a rollback, both in kernel-only memory. The port says where the slots, its
 * application image and RAM are, and stops the application before ram_slots_install
 * copies anything. The update state stays in kernel RAM: it survives application
 * restarts, not a reset (QEMU keeps no memory across runs). */
#ifndef MV_PORT_RAM_SLOTS_H
#define MV_PORT_RAM_SLOTS_H

#include <stdint.h>

#include "update.h"

struct ram_slots {
    uintptr_t stage, prev;   /* the two kernel slots, each size bytes */
    uintptr_t app;           /* the application image region, size bytes */
    uint32_t size;
    uintptr_t ram;           /* the application's RAM, cleared before a new image runs */
    uint32_t ram_size;
    void (*puts)(const char *s);   /* the kernel console */
    void (*sync_code)(void);       /* makes instruction fetch see the copied image */
};

/* Where the slots are; once at boot, before mvk_update_attach. */
void ram_slots_init(const struct ram_slots *layout);
/* The storage callbacks of struct mvk_update_port. */
int ram_slots_stage_write(uint32_t off, const uint8_t *p, uint32_t n);
int ram_slots_stage_read(uint32_t off, uint8_t *p, uint32_t n);
int ram_slots_state_save(const struct mvk_upd_state *s);
/* Records what to install when the application next stops: the image at [off, off+len)
 * of the staging slot (0, or -1 if it does not fit the slots), or the previous image. */
int ram_slots_pend_apply(uint32_t off, uint32_t len);
void ram_slots_pend_rollback(void);
int ram_slots_pending(void);
/* Installs what is pending (the application must be stopped): copies the image into the
 * application region (the rest zeroed), clears its RAM, and starts the new app's trial
 * in the kernel. */
void ram_slots_install(void);

#endif
