/* Update storage of the mps2-an505 port (docs/ota.md, docs/an505.md): two kernel-owned
 * slots in the secure half of SSRAM1, never visible to the application (the MPC keeps
 * them secure): the staging slot the download is written to, and the previous
 * application image a rollback restores. Applying copies the verified image into the
 * application slot (0x00200000) and restarts the non-secure world alone, as after a
 * fault: the kernel, its session, identity and boot id stay. The slots and the state are
 * device/port/common/ram_slots.c's; this file says where they are and when the
 * application is stopped. Only in the kernel image. */

#include "an505.h"
#include "kernel.h"
#include "mvp/bundle.h"
#include "prov_identity.h"
#include "ram_slots.h"
#include "regs.h"
#include "update.h"

/* 512 KiB each, above the secure code (0x10000000) and the NSC window (0x10080000). */
#define STAGE_BASE 0x10100000u
#define PREV_BASE 0x10180000u
#define SLOT_SIZE 0x80000u

static void sync_code(void)
{
    __asm volatile("dsb\n isb" ::: "memory");
}

/* The old application may still be running (apply runs inside its mvRestart call):
 * nothing is copied until it is stopped (an505_update_restarting): at the end of the
 * call, which then does not return (gateway.c), or, for a call from an application
 * handler, in PendSV once the application is back in thread mode. */
static int apply(uint32_t img_off, uint32_t img_len)
{
    if (ram_slots_pend_apply(img_off, img_len) != 0)
        return -1;
    an505_pend_kernel_work();
    return 0;
}

static int rollback(void)
{
    ram_slots_pend_rollback();
    an505_pend_kernel_work();
    return 0;
}

static struct mvk_update_port port = {.port_id = MVP_PORT_AN505,
                                       .max_bundle = SLOT_SIZE,
                                       .stage_write = ram_slots_stage_write,
                                       .stage_read = ram_slots_stage_read,
                                       .state_save = ram_slots_state_save,
                                       .apply = apply,
                                       .rollback = rollback};

void an505_update_attach(void)
{
    static const struct ram_slots layout = {
        .stage = STAGE_BASE, .prev = PREV_BASE, .app = AN505_NS_CODE_BASE, .size = SLOT_SIZE,
        .ram = AN505_NS_DATA_BASE, .ram_size = AN505_NS_DATA_LIMIT - AN505_NS_DATA_BASE + 1u,
        .puts = an505_puts, .sync_code = sync_code};
    ram_slots_init(&layout);
    port.pubkey_pem = port_update_key(&port.pubkey_len);
    if (port.pubkey_pem == NULL)
        an505_puts("mvk: no update key provisioned: updates will be refused\n");
    mvk_update_attach(&port, NULL);
}

int an505_update_restart_due(void)
{
    return ram_slots_pending();
}

/* From PendSV (the application interrupted in thread mode) or from the gateway at the
 * end of the mvRestart call (the call is not returned from). */
void an505_update_restarting(void)
{
    mvk_kernel_app_reset();
    ram_slots_install();
}

/* From the fault path: the kernel has just reset the application's state; a rollback
 * decided there (too many faults on trial) is installed before the application
 * re-enters. */
void an505_update_after_fault(void)
{
    ram_slots_install(); /* a rollback decided on the fault path, if any */
}
