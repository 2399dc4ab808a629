/* Bring-up kernel entries, until the portable kernel is cross-built for this port:
 * mvNoOp, mvGetMicroseconds and mvServerLog (printed on the secure console), with the
 * kernel's verify-then-act discipline. The generated table (mvk_syscall_table.c)
 * dispatches to them; every other call returns MV_STATUS_UNAVAILABLE for now. */
#include <string.h>

#include "an505.h"
#include "mvk_sys_decl.h"
#include "port.h"

#define LOG_MAX 128u /* bring-up console line limit */

enum MvStatus mvk_sys_no_op(void)
{
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_get_microseconds(uint64_t *usec)
{
    uint64_t now;

    if (!mvk_port_app_writable(usec, sizeof *usec))
        return MV_STATUS_PARAMETERFAULT;
    now = mvk_port_now_us();
    memcpy(usec, &now, sizeof now); /* the app's pointer need not be aligned */
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_server_log(const uint8_t *message, uint16_t length_bytes)
{
    char line[LOG_MAX + 1];

    if (!mvk_port_app_readable(message, length_bytes))
        return MV_STATUS_PARAMETERFAULT;
    if (length_bytes > LOG_MAX)
        return MV_STATUS_LOGMESSAGETOOLONG;
    memcpy(line, message, length_bytes); /* copy once, then use only the copy */
    line[length_bytes] = '\0';
    an505_puts("app: ");
    an505_puts(line);
    an505_puts("\n");
    return MV_STATUS_OKAY;
}
