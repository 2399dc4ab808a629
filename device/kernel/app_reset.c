/* Application restart without a kernel restart (an505: after an application fault).
 * Everything the application owned goes: handles, the app buffers the kernel held,
 * fast-interrupt settings, network requests; open channels are closed towards the
 * relay. The kernel's own state stays: DRBG, boot id, the session, the log sequence,
 * and the count of unacknowledged log records lost with the application's buffer. */
#include "kernel.h"

#include "appmem.h"
#include "chan.h"
#include "handle.h"
#include "log.h"
#include "misc.h"
#include "net.h"
#include "notify.h"
#include "sysevent.h"

void mvk_kernel_app_reset(void)
{
    /* Channels first: their CLOSE frames go out while the session is certainly kept. */
    mvk_chan_app_reset();
    mvk_log_app_reset();
    mvk_sysevent_app_reset();
    mvk_notify_app_reset();
    mvk_misc_app_reset();
    mvk_net_app_reset();
    /* Every handle and every claimed buffer belongs to the application; the modules
     * above freed theirs, this also drops any a module does not track (flash). */
    mvk_handle_init();
    mvk_appmem_init();
}
