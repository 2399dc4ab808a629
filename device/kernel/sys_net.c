/* System calls of the network module (verify, then net.c implements). */
#include <string.h>

#include "appmem.h"
#include "handle.h"
#include "handle_ref.h"
#include "mvk_sys_decl.h"
#include "net.h"
#include "notify.h"

static enum MvStatus mvk_vrfy_request_network(const struct MvRequestNetworkParams *params,
                                              MvNetworkHandle *out,
                                              struct MvRequestNetworkParams *p)
{
    if (!mvk_app_rd(params, sizeof *params) || !mvk_app_wr(out, sizeof *out))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(p, params, sizeof *p);
    if (p->version != 1)
        return MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION;
    if (!mvk_notify_valid(mvk_handle_value(p->v1.notification_handle)))
        return MV_STATUS_INVALIDHANDLE;
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_request_network(const struct MvRequestNetworkParams *params,
                                      MvNetworkHandle *handle)
{
    struct MvRequestNetworkParams p;
    enum MvStatus st = mvk_vrfy_request_network(params, handle, &p);
    uint32_t h = 0;
    MvNetworkHandle out;

    if (st != MV_STATUS_OKAY)
        return st;
    st = mvk_impl_request_network(mvk_handle_value(p.v1.notification_handle),
                                  p.v1.notification_tag, &h);
    if (st == MV_STATUS_OKAY) {
        out = (MvNetworkHandle)mvk_handle_ptr(h);
        memcpy(handle, &out, sizeof out);
    }
    return st;
}

enum MvStatus mvk_sys_release_network(MvNetworkHandle *handle)
{
    return mvk_release_handle_ref(handle, sizeof *handle, mvk_impl_release_network);
}

enum MvStatus mvk_sys_get_network_status(MvNetworkHandle handle, enum MvNetworkStatus *status)
{
    enum MvNetworkStatus st;

    if (!mvk_app_wr(status, sizeof *status))
        return MV_STATUS_PARAMETERFAULT;
    if (!mvk_net_handle_valid(mvk_handle_value(handle)))
        return MV_STATUS_INVALIDHANDLE;
    st = mvk_net_status();
    memcpy(status, &st, sizeof st);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_get_network_reasons(enum MvNetworkReason *reasons,
                                          uint32_t *request_ref_count)
{
    uint32_t r = 0, n = 0;
    enum MvNetworkReason rv;

    if (!mvk_app_wr(reasons, sizeof *reasons) ||
        !mvk_app_wr(request_ref_count, sizeof *request_ref_count))
        return MV_STATUS_PARAMETERFAULT;
    mvk_impl_get_network_reasons(&r, &n);
    rv = (enum MvNetworkReason)r;
    memcpy(reasons, &rv, sizeof rv);
    memcpy(request_ref_count, &n, sizeof n);
    return MV_STATUS_OKAY;
}
