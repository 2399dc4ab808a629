/* Brings the kernel modules the API tests use to their boot state (Criterion runs each
 * test in its own process, so this is the only initialisation a test needs). */
#include <criterion/criterion.h>

#include "appmem.h"
#include "chan.h"
#include "clock.h"
#include "handle.h"
#include "net.h"
#include "notify.h"
#include "rand.h"

void mvt_kernel_reset(void);

void mvt_kernel_reset(void)
{
    cr_assert_eq(mvk_rand_init(), 0);
    mvk_clock_init();
    mvk_handle_init();
    mvk_appmem_init();
    mvk_notify_init();
    mvk_net_init();
    mvk_chan_init();
}
