/* Kernel initialisation and loop body. Every module's state is static; init resets it
 * all, so a port (or a test) can start a fresh kernel at any time. */
#include "kernel.h"

#include "appmem.h"
#include "chan.h"
#include "clock.h"
#include "conn.h"
#include "fastirq.h"
#include "handle.h"
#include "log.h"
#include "misc.h"
#include "net.h"
#include "notify.h"
#include "rand.h"
#include "sysevent.h"
#include "update.h"

int mvk_kernel_init(void)
{
    uint64_t boot_id = 0;

    if (mvk_rand_init() != 0)
        return -1;
    /* 0 is not a valid boot id on the wire. */
    while (boot_id == 0)
        if (mvk_rand_u64(&boot_id) != 0)
            return -1;
    mvk_clock_init();
    mvk_handle_init();
    mvk_appmem_init();
    mvk_notify_init();
    mvk_fastirq_init();
    mvk_misc_init();
    mvk_sysevent_init();
    mvk_update_attach(0, 0); /* updates stay off until the port attaches its storage */
    mvk_chan_init();
    mvk_log_init(boot_id);
    mvk_conn_init();
    mvk_net_init();
    return 0;
}

void mvk_kernel_poll(uint64_t now_us)
{
    mvk_conn_poll(now_us);
    mvk_chan_poll(now_us);
    mvk_net_update();
    mvk_update_poll(now_us);
}

uint64_t mvk_kernel_next_deadline_us(void)
{
    uint64_t conn = mvk_conn_next_deadline_us(), chan = mvk_chan_next_deadline_us();
    uint64_t net = mvk_net_next_deadline_us(), t = conn < chan ? conn : chan;
    uint64_t upd = mvk_update_next_deadline_us();

    t = t < net ? t : net;
    return t < upd ? t : upd;
}
