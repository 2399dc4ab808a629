/* System calls of the notification module: verify (copy in once, check every pointer,
 * size, alignment and the IRQ) then implement (notify.c). Out-values are copied with
 * memcpy so a misaligned app pointer is never dereferenced as a typed one. */
#include <string.h>

#include "appmem.h"
#include "fastirq.h"
#include "handle.h"
#include "handle_ref.h"
#include "mvk_limits.h"
#include "mvk_sys_decl.h"
#include "notify.h"
#include "port.h"

static enum MvStatus mvk_vrfy_setup_notifications(const struct MvNotificationSetup *setup,
                                                  MvNotificationHandle *out,
                                                  struct MvNotificationSetup *s)
{
    if (!mvk_app_rd(setup, sizeof *setup) || !mvk_app_wr(out, sizeof *out))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(s, setup, sizeof *s);
    if (s->buffer_size % MVK_NOTIFY_ENTRY_SIZE != 0 || s->buffer_size < MVK_NOTIFY_MIN_BUFFER)
        return MV_STATUS_INVALIDBUFFERSIZE;
    if ((uintptr_t)s->buffer % MVK_NOTIFY_ALIGN != 0)
        return MV_STATUS_INVALIDBUFFERALIGNMENT;
    if (!mvk_app_wr(s->buffer, s->buffer_size))
        return MV_STATUS_PARAMETERFAULT;
    /* A fast interrupt belongs to the application's own handler: the kernel must not
     * raise it for notifications too. */
    if (!mvk_port_irq_valid(s->irq) || mvk_fastirq_is_fast(s->irq))
        return MV_STATUS_INVALIDINTERRUPT;
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_setup_notifications(const struct MvNotificationSetup *setup,
                                          MvNotificationHandle *handle)
{
    struct MvNotificationSetup s;
    enum MvStatus st = mvk_vrfy_setup_notifications(setup, handle, &s);
    uint32_t h = 0;
    MvNotificationHandle out;

    if (st != MV_STATUS_OKAY)
        return st;
    st = mvk_impl_setup_notifications(s.irq, s.buffer, s.buffer_size, &h);
    if (st == MV_STATUS_OKAY) {
        out = (MvNotificationHandle)mvk_handle_ptr(h);
        memcpy(handle, &out, sizeof out);
    }
    return st;
}


enum MvStatus mvk_sys_close_notifications(MvNotificationHandle *handle)
{
    return mvk_release_handle_ref(handle, sizeof *handle, mvk_impl_close_notifications);
}

enum MvStatus mvk_sys_temp_trigger_notification(MvNotificationHandle handle,
                                                enum MvEventType event_type, uint32_t tag)
{
    uint32_t h = mvk_handle_value(handle);

    if (!mvk_notify_valid(h))
        return MV_STATUS_INVALIDHANDLE;
    mvk_notify_post(h, event_type, tag);
    return MV_STATUS_OKAY;
}
