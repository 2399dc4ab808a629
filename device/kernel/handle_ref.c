/* The by-reference handle argument of the close and release system calls, shared by
 * channels, networks and notifications (see handle_ref.h). */
#include "handle_ref.h"

#include <string.h>

#include "appmem.h"
#include "handle.h"

enum MvStatus mvk_vrfy_handle_ref(const void *ref, size_t size, uint32_t *h)
{
    void *v = 0;

    if (!mvk_app_wr(ref, size))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(&v, ref, size);
    *h = mvk_handle_value(v);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_release_handle_ref(void *ref, size_t size, enum MvStatus (*release)(uint32_t))
{
    uint32_t h = 0;
    enum MvStatus st = mvk_vrfy_handle_ref(ref, size, &h);

    if (st != MV_STATUS_OKAY)
        return st;
    st = release(h);
    if (st == MV_STATUS_OKAY)
        memset(ref, 0, size);
    return st;
}
