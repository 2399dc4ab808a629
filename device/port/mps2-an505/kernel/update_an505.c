/* Update storage of the mps2-an505 port (docs/ota.md, docs/an505.md): two kernel-owned
 * slots in the secure half of SSRAM1, never visible to the application (the MPC keeps
 * them secure): the staging slot the download is written to, and the previous
 * application image a rollback restores. Applying copies the verified image into the
 * application slot (0x00200000) and restarts the non-secure world alone, as after a
 * fault: the kernel, its session, identity and boot id stay. The update state lives in
 * secure RAM, so it survives application restarts but not a power cycle (QEMU keeps no
 * memory across runs). Only in the kernel image. */
#include <string.h>

#include "an505.h"
#include "kernel.h"
#include "mvp/bundle.h"
#include "prov_identity.h"
#include "regs.h"
#include "update.h"

/* 512 KiB each, above the secure code (0x10000000) and the NSC window (0x10080000). */
#define STAGE_BASE 0x10100000u
#define PREV_BASE 0x10180000u
#define SLOT_SIZE 0x80000u

enum pending { P_NONE, P_APPLY, P_ROLLBACK };

static struct mvk_upd_state saved;
static volatile enum pending pending;
static uint32_t pend_off, pend_len;

static uint8_t *slot(uint32_t base)
{
    return (uint8_t *)(uintptr_t)base;
}

static int stage_write(uint32_t off, const uint8_t *p, uint32_t n)
{
    if (off > SLOT_SIZE || n > SLOT_SIZE - off)
        return -1;
    memcpy(slot(STAGE_BASE) + off, p, n);
    return 0;
}

static int stage_read(uint32_t off, uint8_t *p, uint32_t n)
{
    if (off > SLOT_SIZE || n > SLOT_SIZE - off)
        return -1;
    memcpy(p, slot(STAGE_BASE) + off, n);
    return 0;
}

static int state_save(const struct mvk_upd_state *s)
{
    saved = *s;
    return 0;
}

/* The old application may still be running (apply runs inside its mvRestart call):
 * nothing is copied until it is stopped (an505_update_restarting): at the end of the
 * call, which then does not return (gateway.c), or, for a call from an application
 * handler, in PendSV once the application is back in thread mode. */
static int apply(uint32_t img_off, uint32_t img_len)
{
    if (img_len == 0 || img_len > SLOT_SIZE || img_off > SLOT_SIZE - img_len)
        return -1;
    pend_off = img_off;
    pend_len = img_len;
    pending = P_APPLY;
    an505_pend_kernel_work();
    return 0;
}

static int rollback(void)
{
    pending = P_ROLLBACK;
    an505_pend_kernel_work();
    return 0;
}

static struct mvk_update_port port = {.port_id = MVP_PORT_AN505,
                                       .max_bundle = SLOT_SIZE,
                                       .stage_write = stage_write,
                                       .stage_read = stage_read,
                                       .state_save = state_save,
                                       .apply = apply,
                                       .rollback = rollback};

void an505_update_attach(void)
{
    port.pubkey_pem = port_update_key(&port.pubkey_len);
    if (port.pubkey_pem == NULL)
        an505_puts("mvk: no update key provisioned: updates will be refused\n");
    mvk_update_attach(&port, NULL);
}

int an505_update_restart_due(void)
{
    return pending != P_NONE;
}

/* Copies the pending image into the application slot (the rest of the slot zeroed, so
 * nothing of the old image survives) and starts its trial in the kernel. */
static void install_pending(void)
{
    uint8_t *app = slot(AN505_NS_CODE_BASE);
    enum pending what = pending;

    pending = P_NONE;
    if (what == P_APPLY) {
        memcpy(slot(PREV_BASE), app, SLOT_SIZE); /* what runs now, for a rollback */
        memcpy(app, slot(STAGE_BASE) + pend_off, pend_len);
        memset(app + pend_len, 0, SLOT_SIZE - pend_len);
        an505_puts("mvk: update applied, restarting the application\n");
    } else {
        memcpy(app, slot(PREV_BASE), SLOT_SIZE);
        an505_puts("mvk: update rolled back, restarting the application\n");
    }
    /* The new app starts on clean RAM, as after a power-up: what its start-up code does
     * not initialise (sections outside .data/.bss) must not carry the old app's data. */
    memset(slot(AN505_NS_DATA_BASE), 0, AN505_NS_DATA_LIMIT - AN505_NS_DATA_BASE + 1u);
    __asm volatile("dsb\n isb" ::: "memory");
    mvk_kernel_note_app_update();
    mvk_update_app_restarted();
}

/* From PendSV (the application interrupted in thread mode) or from the gateway at the
 * end of the mvRestart call (the call is not returned from). */
void an505_update_restarting(void)
{
    mvk_kernel_app_reset();
    install_pending();
}

/* From the fault path: the kernel has just reset the application's state; a rollback
 * decided there (too many faults on trial) is installed before the application
 * re-enters. */
void an505_update_after_fault(void)
{
    if (pending != P_NONE)
        install_pending();
}
