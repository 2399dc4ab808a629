/* Bring-up system calls, until the portable kernel is cross-built for this port:
 * mvNoOp, mvGetMicroseconds and mvServerLog (printed on the secure console), with
 * the same verify-then-act discipline as the kernel. Numbers come from syscall.tbl
 * through the generated an505_nr.h. */
#include <string.h>

#include "an505.h"
#include "an505_nr.h"
#include "port.h"
#include "table.h"

#define STATUS_LOGMESSAGETOOLONG 0x19u
#define LOG_MAX 128u /* bring-up console line limit */

static uint32_t sys_no_op(const uintptr_t a[AN505_SYSCALL_ARGS])
{
    (void)a;
    return AN505_STATUS_OKAY;
}

static uint32_t sys_get_microseconds(const uintptr_t a[AN505_SYSCALL_ARGS])
{
    uint64_t *out = (uint64_t *)a[0];
    uint64_t now;

    if (!mvk_port_app_writable(out, sizeof *out))
        return AN505_STATUS_PARAMETERFAULT;
    now = mvk_port_now_us();
    memcpy(out, &now, sizeof now); /* the app's pointer need not be aligned */
    return AN505_STATUS_OKAY;
}

static uint32_t sys_server_log(const uintptr_t a[AN505_SYSCALL_ARGS])
{
    const uint8_t *msg = (const uint8_t *)a[0];
    uint32_t len = (uint16_t)a[1];
    char line[LOG_MAX + 1];

    if (!mvk_port_app_readable(msg, len))
        return AN505_STATUS_PARAMETERFAULT;
    if (len > LOG_MAX)
        return STATUS_LOGMESSAGETOOLONG;
    memcpy(line, msg, len); /* copy once, then use only the copy */
    line[len] = '\0';
    an505_puts("app: ");
    an505_puts(line);
    an505_puts("\n");
    return AN505_STATUS_OKAY;
}

const an505_thunk an505_syscall_table[] = {
    [AN505_NR_mvNoOp] = sys_no_op,
    [AN505_NR_mvGetMicroseconds] = sys_get_microseconds,
    [AN505_NR_mvServerLog] = sys_server_log,
};
const uint32_t an505_syscall_count = sizeof an505_syscall_table / sizeof an505_syscall_table[0];
