/* Channel system calls: verification layer. Each copies the caller's structures in
 * once, checks pointers (PARAMETERFAULT), version, handles, channel type, buffer
 * alignment and sizes in the order below, then calls chan.c. */
#include <string.h>

#include "appmem.h"
#include "chan.h"
#include "handle.h"
#include "handle_ref.h"
#include "mvk_limits.h"
#include "mvk_sys_decl.h"
#include "net.h"
#include "notify.h"

static enum MvStatus vrfy_open_buffers(const struct MvOpenChannelParams *p)
{
    if ((uintptr_t)p->v1.receive_buffer % MVK_CHAN_ALIGN != 0 ||
        (uintptr_t)p->v1.send_buffer % MVK_CHAN_ALIGN != 0)
        return MV_STATUS_INVALIDBUFFERALIGNMENT;
    if (p->v1.receive_buffer_len < MVK_CHAN_MIN_RX ||
        p->v1.receive_buffer_len > MVK_CHAN_MAX_RX || p->v1.send_buffer_len < MVK_CHAN_MIN_TX ||
        p->v1.send_buffer_len > MVK_CHAN_MAX_TX)
        return MV_STATUS_INVALIDBUFFERSIZE;
    if (!mvk_app_wr(p->v1.receive_buffer, p->v1.receive_buffer_len) ||
        !mvk_app_wr(p->v1.send_buffer, p->v1.send_buffer_len))
        return MV_STATUS_PARAMETERFAULT;
    /* The two buffers of one channel must not overlap either. */
    if ((uintptr_t)p->v1.receive_buffer < (uintptr_t)p->v1.send_buffer + p->v1.send_buffer_len &&
        (uintptr_t)p->v1.send_buffer < (uintptr_t)p->v1.receive_buffer + p->v1.receive_buffer_len)
        return MV_STATUS_BUFFERALREADYINUSE;
    return MV_STATUS_OKAY;
}

static enum MvStatus mvk_vrfy_open_channel(const struct MvOpenChannelParams *params,
                                           MvChannelHandle *out, struct mvk_chan_open *o,
                                           uint8_t endpoint[MVP_MAX_ENDPOINT])
{
    struct MvOpenChannelParams p;
    enum MvStatus st;

    if (!mvk_app_rd(params, sizeof *params) || !mvk_app_wr(out, sizeof *out))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(&p, params, sizeof p);
    if (p.version != 1)
        return MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION;
    if (!mvk_notify_valid(mvk_handle_value(p.v1.notification_handle)) ||
        !mvk_net_handle_valid(mvk_handle_value(p.v1.network_handle)))
        return MV_STATUS_INVALIDHANDLE;
    if ((uint32_t)p.v1.channel_type > MV_CHANNELTYPE_CONFIGFETCH)
        return MV_STATUS_UNKNOWNCHANNELTYPE;
    st = vrfy_open_buffers(&p);
    if (st != MV_STATUS_OKAY)
        return st;
    if (p.v1.endpoint.length > MVP_MAX_ENDPOINT)
        return MV_STATUS_UNKNOWNCHANNELENDPOINT;
    if (p.v1.endpoint.length > 0 && !mvk_app_rd(p.v1.endpoint.data, p.v1.endpoint.length))
        return MV_STATUS_PARAMETERFAULT;
    if (p.v1.endpoint.length > 0)
        memcpy(endpoint, p.v1.endpoint.data, p.v1.endpoint.length);
    *o = (struct mvk_chan_open){mvk_handle_value(p.v1.notification_handle),
                                p.v1.notification_tag,
                                p.v1.receive_buffer,
                                p.v1.send_buffer,
                                p.v1.receive_buffer_len,
                                p.v1.send_buffer_len,
                                p.v1.channel_type,
                                endpoint,
                                (uint16_t)p.v1.endpoint.length};
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_open_channel(const struct MvOpenChannelParams *params,
                                   MvChannelHandle *handle)
{
    struct mvk_chan_open o;
    uint8_t endpoint[MVP_MAX_ENDPOINT];
    enum MvStatus st = mvk_vrfy_open_channel(params, handle, &o, endpoint);
    uint32_t h = 0;
    MvChannelHandle out;

    if (st != MV_STATUS_OKAY)
        return st;
    st = mvk_impl_open_channel(&o, &h);
    if (st == MV_STATUS_OKAY) {
        out = (MvChannelHandle)mvk_handle_ptr(h);
        memcpy(handle, &out, sizeof out);
    }
    return st;
}

enum MvStatus mvk_sys_read_channel(MvChannelHandle handle, uint8_t **read_pointer_out,
                                   uint32_t *length_out)
{
    uint8_t *p = 0;
    uint32_t n = 0;
    enum MvStatus st;

    if (!mvk_app_wr(read_pointer_out, sizeof *read_pointer_out) ||
        !mvk_app_wr(length_out, sizeof *length_out))
        return MV_STATUS_PARAMETERFAULT;
    st = mvk_impl_read_channel(mvk_handle_value(handle), &p, &n);
    if (st == MV_STATUS_OKAY) {
        memcpy(read_pointer_out, &p, sizeof p);
        memcpy(length_out, &n, sizeof n);
    }
    return st;
}

enum MvStatus mvk_sys_read_channel_complete(MvChannelHandle handle, uint32_t consumed)
{
    return mvk_impl_read_channel_complete(mvk_handle_value(handle), consumed);
}

static enum MvStatus write_common(MvChannelHandle handle, const uint8_t *data, uint32_t len,
                                  uint32_t *result, int all)
{
    uint32_t r = 0;
    enum MvStatus st;

    if (!mvk_app_wr(result, sizeof *result) || (len > 0 && !mvk_app_rd(data, len)))
        return MV_STATUS_PARAMETERFAULT;
    st = mvk_impl_write_channel(mvk_handle_value(handle), data, len, all, &r);
    if (st == MV_STATUS_OKAY || st == MV_STATUS_INVALIDBUFFERSIZE)
        memcpy(result, &r, sizeof r);
    return st;
}

enum MvStatus mvk_sys_write_channel_stream(MvChannelHandle handle, const uint8_t *data,
                                           uint32_t len, uint32_t *written)
{
    return write_common(handle, data, len, written, 0);
}

enum MvStatus mvk_sys_write_channel(MvChannelHandle handle, const uint8_t *data, uint32_t len,
                                    uint32_t *available)
{
    return write_common(handle, data, len, available, 1);
}

enum MvStatus mvk_sys_close_channel(MvChannelHandle *handle)
{
    return mvk_release_handle_ref(handle, sizeof *handle, mvk_impl_close_channel);
}

enum MvStatus mvk_sys_get_channel_closure_reason(MvChannelHandle handle,
                                                 enum MvClosureReason *reason_out)
{
    enum MvClosureReason r = MV_CLOSUREREASON_NONE;
    enum MvStatus st;

    if (!mvk_app_wr(reason_out, sizeof *reason_out))
        return MV_STATUS_PARAMETERFAULT;
    st = mvk_impl_channel_closure_reason(mvk_handle_value(handle), &r);
    if (st == MV_STATUS_OKAY)
        memcpy(reason_out, &r, sizeof r);
    return st;
}
