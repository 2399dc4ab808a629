/* Decides which connection failures mvdevice prints (see diag_limit.h): a new kind of
 * failure is news, the same one repeating is not, except as a periodic reminder. */
#include "diag_limit.h"

int mvk_host_diag_should_print(struct mvk_host_diag_limit *l, int kind, int32_t detail,
                               uint64_t now_us, uint32_t *held_back)
{
    uint64_t since = now_us - l->last_us;
    int same = l->printed && kind == l->last_kind && detail == l->last_detail;

    if (l->printed && now_us >= l->last_us &&
        since < (same ? MVK_HOST_DIAG_REPEAT_US : MVK_HOST_DIAG_MIN_GAP_US)) {
        l->suppressed++;
        return 0;
    }
    *held_back = l->suppressed;
    l->suppressed = 0;
    l->printed = 1;
    l->last_us = now_us;
    l->last_kind = kind;
    l->last_detail = detail;
    return 1;
}
