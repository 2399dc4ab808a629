/* Update storage of the riscv-virt port (docs/ota.md, docs/riscv.md): two slots in DRAM
 * above the application's regions (board.h), kernel memory with no PMP entry, so the
 * application can neither read nor write them: the staging slot the download is
 * written to, and the previous application image a rollback restores. Applying copies
 * the verified image into the application image region and restarts the application
 * alone, as after a fault: the kernel, its session, identity and boot id stay. The
 * update state lives in kernel RAM: it survives application restarts, not a reset
 * (QEMU reloads the images then). */
#include <string.h>

#include "kernel.h"
#include "mvp/bundle.h"
#include "prov_identity.h"
#include "rv.h"
#include "update.h"

enum pending { P_NONE, P_APPLY, P_ROLLBACK };

static struct mvk_upd_state saved;
static enum pending pending;
static uint32_t pend_off, pend_len;

static uint8_t *slot(uint32_t base)
{
    return (uint8_t *)(uintptr_t)base;
}

static int stage_write(uint32_t off, const uint8_t *p, uint32_t n)
{
    if (off > RV_UPD_SLOT_SIZE || n > RV_UPD_SLOT_SIZE - off)
        return -1;
    memcpy(slot(RV_UPD_STAGE) + off, p, n);
    return 0;
}

static int stage_read(uint32_t off, uint8_t *p, uint32_t n)
{
    if (off > RV_UPD_SLOT_SIZE || n > RV_UPD_SLOT_SIZE - off)
        return -1;
    memcpy(p, slot(RV_UPD_STAGE) + off, n);
    return 0;
}

static int state_save(const struct mvk_upd_state *s)
{
    saved = *s;
    return 0;
}

/* Copies the pending image into the application region (the rest of it zeroed, so
 * nothing of the old image survives), clears the application's RAM and starts the new
 * app's trial in the kernel. The application is stopped: the kernel runs with
 * interrupts off, in a trap the application took. */
static void install_pending(void)
{
    uint8_t *app = slot(RV_APP_FLASH);
    enum pending what = pending;

    pending = P_NONE;
    if (what == P_APPLY) {
        memcpy(slot(RV_UPD_PREV), app, RV_UPD_SLOT_SIZE); /* what runs now, for a rollback */
        memcpy(app, slot(RV_UPD_STAGE) + pend_off, pend_len);
        memset(app + pend_len, 0, RV_UPD_SLOT_SIZE - pend_len);
        rv_puts("mvk: update applied, restarting the application\n");
    } else {
        memcpy(app, slot(RV_UPD_PREV), RV_UPD_SLOT_SIZE);
        rv_puts("mvk: update rolled back, restarting the application\n");
    }
    /* The new app starts on clean RAM, as after a power-up. */
    memset(slot(RV_APP_RAM), 0, RV_APP_RAM_SIZE);
    /* The image region is about to be executed: instruction fetch must see the copy. */
    __asm volatile("fence.i" ::: "memory");
    mvk_kernel_note_app_update();
    mvk_update_app_restarted();
}

/* Runs inside the application's mvRestart call, which on success does not return (as
 * on Microvisor): the old application's state is dropped, the image installed and the
 * new application entered afresh; the kernel stack of the call is abandoned. */
static int apply(uint32_t img_off, uint32_t img_len)
{
    if (img_len == 0 || img_len > RV_UPD_SLOT_SIZE || img_off > RV_UPD_SLOT_SIZE - img_len)
        return -1;
    pend_off = img_off;
    pend_len = img_len;
    pending = P_APPLY;
    rv_puts("mvk: mvRestart applied an update: not returning to the caller\n");
    mvk_kernel_app_reset();
    install_pending();
    rv_app_start();
}

/* Decided in kernel work (a trial timed out) or on the fault path: installed before the
 * application runs again (rv_update_restart, rv_update_after_fault). */
static int rollback(void)
{
    pending = P_ROLLBACK;
    return 0;
}

static struct mvk_update_port port = {.port_id = MVP_PORT_RISCV_VIRT,
                                       .max_bundle = RV_UPD_SLOT_SIZE,
                                       .stage_write = stage_write,
                                       .stage_read = stage_read,
                                       .state_save = state_save,
                                       .apply = apply,
                                       .rollback = rollback};

void rv_update_attach(void)
{
    port.pubkey_pem = port_update_key(&port.pubkey_len);
    if (port.pubkey_pem == NULL)
        rv_puts("mvk: no update key provisioned: updates will be refused\n");
    mvk_update_attach(&port, NULL);
}

int rv_update_restart_due(void)
{
    return pending != P_NONE;
}

void rv_update_restart(struct rv_frame *f)
{
    mvk_kernel_app_reset();
    install_pending();
    rv_upcall_reset();
    memset(f, 0, sizeof *f);
    f->mepc = RV_APP_FLASH;
}

void rv_update_after_fault(void)
{
    if (pending != P_NONE)
        install_pending();
}
