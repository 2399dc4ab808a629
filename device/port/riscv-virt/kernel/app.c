/* The application's life: first start (mret into U-mode at the start of its image,
 * picolibc's crt0) and restart after a fault, which rewrites the trap frame so that
 * the trap returns into a fresh application while the kernel keeps running: the
 * kernel forgets the old application's state, upcalls are reset, the registers are
 * cleared and crt0 sets up the stack, data and bss again. */
#include <string.h>

#include "rv.h"

void rv_app_start(void)
{
    rv_upcall_reset();
    rv_enter_user(RV_APP_FLASH);
}

void rv_app_restart(struct rv_frame *f)
{
    rv_kernel_app_restarting();
    rv_upcall_reset();
    memset(f, 0, sizeof *f);
    f->mepc = RV_APP_FLASH;
}
