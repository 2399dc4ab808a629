/* Time and identity system calls: the null call, the monotonic and wall clocks and the
 * device id. They have no state of their own beyond clock.c. */
#include <string.h>

#include "appmem.h"
#include "clock.h"
#include "mvk_limits.h"
#include "mvk_sys_decl.h"
#include "port.h"

enum MvStatus mvk_sys_no_op(void)
{
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_get_microseconds(uint64_t *usec)
{
    uint64_t now;

    if (!mvk_app_wr(usec, sizeof *usec))
        return MV_STATUS_PARAMETERFAULT;
    now = mvk_clock_now_us();
    mvk_app_put_u64(usec, now);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_get_wall_time(uint64_t *usec)
{
    uint64_t t;

    if (!mvk_app_wr(usec, sizeof *usec))
        return MV_STATUS_PARAMETERFAULT;
    if (mvk_clock_wall(&t) != 0)
        return MV_STATUS_TIMENOTSET;
    mvk_app_put_u64(usec, t);
    return MV_STATUS_OKAY;
}

/* The id is "UV" + 32 hex digits; Microvisor wants exactly a 34-byte buffer and writes
 * no terminator. */
enum MvStatus mvk_sys_get_device_id(uint8_t *buf, uint32_t len)
{
    const struct mvk_identity *id;

    if (len != MVK_DEVICE_ID_LEN)
        return MV_STATUS_INVALIDBUFFERSIZE;
    if (!mvk_app_wr(buf, len))
        return MV_STATUS_PARAMETERFAULT;
    id = mvk_port_identity();
    if (!id || strlen(id->device_id) != MVK_DEVICE_ID_LEN)
        return MV_STATUS_UNAVAILABLE;
    memcpy(buf, id->device_id, MVK_DEVICE_ID_LEN);
    return MV_STATUS_OKAY;
}
