/* Update storage in RAM slots for the emulated boards (ram_slots.h). */
#include "ram_slots.h"

#include <string.h>

#include "kernel.h"

enum pending { P_NONE, P_APPLY, P_ROLLBACK };

static struct ram_slots lay;
static struct mvk_upd_state saved;
/* Volatile: on an505 an application handler's mvRestart sets it and PendSV reads it. */
static volatile enum pending pending;
static uint32_t pend_off, pend_len;

static uint8_t *at(uintptr_t addr)
{
    return (uint8_t *)addr;
}

void ram_slots_init(const struct ram_slots *layout)
{
    lay = *layout;
}

int ram_slots_stage_write(uint32_t off, const uint8_t *p, uint32_t n)
{
    if (off > lay.size || n > lay.size - off)
        return -1;
    memcpy(at(lay.stage) + off, p, n);
    return 0;
}

int ram_slots_stage_read(uint32_t off, uint8_t *p, uint32_t n)
{
    if (off > lay.size || n > lay.size - off)
        return -1;
    memcpy(p, at(lay.stage) + off, n);
    return 0;
}

int ram_slots_state_save(const struct mvk_upd_state *s)
{
    saved = *s;
    return 0;
}

int ram_slots_pend_apply(uint32_t off, uint32_t len)
{
    if (len == 0 || len > lay.size || off > lay.size - len)
        return -1;
    pend_off = off;
    pend_len = len;
    pending = P_APPLY;
    return 0;
}

void ram_slots_pend_rollback(void)
{
    pending = P_ROLLBACK;
}

int ram_slots_pending(void)
{
    return pending != P_NONE;
}

void ram_slots_install(void)
{
    uint8_t *app = at(lay.app);
    enum pending what = pending;

    pending = P_NONE;
    if (what == P_APPLY) {
        memcpy(at(lay.prev), app, lay.size); /* what runs now, for a rollback */
        memcpy(app, at(lay.stage) + pend_off, pend_len);
        memset(app + pend_len, 0, lay.size - pend_len);
        lay.puts("mvk: update applied, restarting the application\n");
    } else if (what == P_ROLLBACK) {
        memcpy(app, at(lay.prev), lay.size);
        lay.puts("mvk: update rolled back, restarting the application\n");
    } else {
        return;
    }
    /* The new app starts on clean RAM, as after a power-up: what its start-up code does
     * not initialise (sections outside .data/.bss) must not carry the old app's data. */
    memset(at(lay.ram), 0, lay.ram_size);
    lay.sync_code();
    mvk_kernel_note_app_update();
    mvk_update_app_restarted();
}
