/* Update storage of the riscv-virt port (docs/ota.md, docs/riscv.md): two slots in DRAM
 * above the application's regions (board.h), kernel memory with no PMP entry, so the
 * application can neither read nor write them: the staging slot the download is
 * written to, and the previous application image a rollback restores. Applying copies
 * the verified image into the application image region and restarts the application
 * alone, as after a fault: the kernel, its session, identity and boot id stay. The
 * slots and the state are device/port/common/ram_slots.c's; this file says where they
 * are and when the application is stopped. */
#include <string.h>

#include "kernel.h"
#include "mvp/bundle.h"
#include "prov_identity.h"
#include "ram_slots.h"
#include "rv.h"
#include "update.h"

static void sync_code(void)
{
    /* The image region is about to be executed: instruction fetch must see the copy. */
    __asm volatile("fence.i" ::: "memory");
}

/* Runs inside the application's mvRestart call, which on success does not return (as
 * on Microvisor): the old application's state is dropped, the image installed and the
 * new application entered afresh; the kernel stack of the call is abandoned. */
static int apply(uint32_t img_off, uint32_t img_len)
{
    if (ram_slots_pend_apply(img_off, img_len) != 0)
        return -1;
    rv_puts("mvk: mvRestart applied an update: not returning to the caller\n");
    mvk_kernel_app_reset();
    ram_slots_install();
    rv_app_start();
}

/* Decided in kernel work (a trial timed out) or on the fault path: installed before the
 * application runs again (rv_update_restart, rv_update_after_fault). */
static int rollback(void)
{
    ram_slots_pend_rollback();
    return 0;
}

static struct mvk_update_port port = {.port_id = MVP_PORT_RISCV_VIRT,
                                       .max_bundle = RV_UPD_SLOT_SIZE,
                                       .stage_write = ram_slots_stage_write,
                                       .stage_read = ram_slots_stage_read,
                                       .state_save = ram_slots_state_save,
                                       .apply = apply,
                                       .rollback = rollback};

void rv_update_attach(void)
{
    static const struct ram_slots layout = {.stage = RV_UPD_STAGE, .prev = RV_UPD_PREV,
                                            .app = RV_APP_FLASH, .size = RV_UPD_SLOT_SIZE,
                                            .ram = RV_APP_RAM, .ram_size = RV_APP_RAM_SIZE,
                                            .puts = rv_puts, .sync_code = sync_code};
    ram_slots_init(&layout);
    port.pubkey_pem = port_update_key(&port.pubkey_len);
    if (port.pubkey_pem == NULL)
        rv_puts("mvk: no update key provisioned: updates will be refused\n");
    mvk_update_attach(&port, NULL);
}

int rv_update_restart_due(void)
{
    return ram_slots_pending();
}

void rv_update_restart(struct rv_frame *f)
{
    mvk_kernel_app_reset();
    ram_slots_install();
    rv_upcall_reset();
    memset(f, 0, sizeof *f);
    f->mepc = RV_APP_FLASH;
}

void rv_update_after_fault(void)
{
    ram_slots_install(); /* a rollback decided on the fault path, if any */
}
