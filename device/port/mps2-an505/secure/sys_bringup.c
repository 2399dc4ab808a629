/* Bring-up kernel entries, until the portable kernel is cross-built for this port:
 * mvNoOp, mvGetMicroseconds and mvServerLog (printed on the secure console), with the
 * kernel's verify-then-act discipline. The generated table (mvk_syscall_table.c)
 * dispatches to them; every other call returns MV_STATUS_UNAVAILABLE for now. */
#include <string.h>

#include "an505.h"
#include "mvk_limits.h"
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

/* The application's logging buffer: only recorded, as the bring-up prints each
 * message at once; it makes mvServerLog behave as on the kernel (UNAVAILABLE first). */
static int logging_ready;

enum MvStatus mvk_sys_server_logging_init(uint8_t *buffer, uint32_t length_bytes)
{
    if ((uintptr_t)buffer % MVK_LOG_ALIGN != 0)
        return MV_STATUS_INVALIDBUFFERALIGNMENT;
    if (length_bytes < MVK_LOG_MIN_BUFFER || length_bytes > MVK_LOG_MAX_BUFFER)
        return MV_STATUS_INVALIDBUFFERSIZE;
    if (!mvk_port_app_writable(buffer, length_bytes))
        return MV_STATUS_PARAMETERFAULT;
    logging_ready = 1;
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_server_log(const uint8_t *message, uint16_t length_bytes)
{
    char line[LOG_MAX + 1];

    if (length_bytes > 0 && !mvk_port_app_readable(message, length_bytes))
        return MV_STATUS_PARAMETERFAULT;
    if (length_bytes > LOG_MAX)
        return MV_STATUS_LOGMESSAGETOOLONG;
    if (!logging_ready)
        return MV_STATUS_UNAVAILABLE;
    memcpy(line, message, length_bytes); /* copy once, then use only the copy */
    line[length_bytes] = '\0';
    an505_puts("app: ");
    an505_puts(line);
    an505_puts("\n");
    return MV_STATUS_OKAY;
}
