/* Server logging system calls: verification (alignment, size, pointers, message
 * length) then log.c. */
#include "appmem.h"
#include "log.h"
#include "mvk_limits.h"
#include "mvk_sys_decl.h"

enum MvStatus mvk_sys_server_logging_init(uint8_t *buffer, uint32_t length_bytes)
{
    if ((uintptr_t)buffer % MVK_LOG_ALIGN != 0)
        return MV_STATUS_INVALIDBUFFERALIGNMENT;
    if (length_bytes < MVK_LOG_MIN_BUFFER || length_bytes > MVK_LOG_MAX_BUFFER)
        return MV_STATUS_INVALIDBUFFERSIZE;
    if (!mvk_app_wr(buffer, length_bytes))
        return MV_STATUS_PARAMETERFAULT;
    return mvk_impl_server_logging_init(buffer, length_bytes);
}

enum MvStatus mvk_sys_server_log(const uint8_t *message, uint16_t length_bytes)
{
    if (length_bytes > 0 && !mvk_app_rd(message, length_bytes))
        return MV_STATUS_PARAMETERFAULT;
    if (length_bytes > MVK_LOG_MAX_MSG)
        return MV_STATUS_LOGMESSAGETOOLONG;
    return mvk_impl_server_log(message, length_bytes);
}
