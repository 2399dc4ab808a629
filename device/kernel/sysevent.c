/* System notification subscriptions and their two system calls. The network source
 * fires on every MvNetworkStatus change (net.c); the update source never fires on a
 * port without firmware updates, but subscribing to it is valid. */
#include "sysevent.h"

#include <string.h>

#include "appmem.h"
#include "handle.h"
#include "handle_ref.h"
#include "mvk_limits.h"
#include "mvk_sys_decl.h"
#include "notify.h"

struct sub {
    int used;
    uint32_t handle, notify_h, tag;
    enum MvSystemNotificationSource source;
};

static struct sub subs[MVK_MAX_SYSEVENTS];

void mvk_sysevent_init(void)
{
    memset(subs, 0, sizeof subs);
}

void mvk_sysevent_app_reset(void)
{
    for (uint32_t i = 0; i < MVK_MAX_SYSEVENTS; i++)
        if (subs[i].used)
            mvk_handle_free(subs[i].handle);
    memset(subs, 0, sizeof subs);
}

void mvk_sysevent_post(enum MvSystemNotificationSource source, enum MvEventType event)
{
    for (uint32_t i = 0; i < MVK_MAX_SYSEVENTS; i++)
        if (subs[i].used && subs[i].source == source)
            mvk_notify_post(subs[i].notify_h, event, subs[i].tag);
}

static enum MvStatus mvk_vrfy_open_system_notification(
    const struct MvOpenSystemNotificationParams *params, MvSystemEventHandle *out,
    struct MvOpenSystemNotificationParams *p)
{
    if (!mvk_app_rd(params, sizeof *params) || !mvk_app_wr(out, sizeof *out))
        return MV_STATUS_PARAMETERFAULT;
    memcpy(p, params, sizeof *p);
    if (!mvk_notify_valid(mvk_handle_value(p->notification_handle)))
        return MV_STATUS_INVALIDHANDLE;
    if ((uint32_t)p->notification_source > MV_SYSTEMNOTIFICATIONSOURCE_UPDATE)
        return MV_STATUS_UNAVAILABLE;
    return MV_STATUS_OKAY;
}

static enum MvStatus mvk_impl_open_system_notification(
    const struct MvOpenSystemNotificationParams *p, uint32_t *out)
{
    uint32_t i;

    for (i = 0; i < MVK_MAX_SYSEVENTS && subs[i].used; i++)
        ;
    if (i == MVK_MAX_SYSEVENTS)
        return MV_STATUS_MICROVISORBUSY;
    if (mvk_handle_alloc(MVK_H_SYSEVENT, i, &subs[i].handle) != 0)
        return MV_STATUS_INTERNALERROR;
    subs[i].used = 1;
    subs[i].notify_h = mvk_handle_value(p->notification_handle);
    subs[i].tag = p->notification_tag;
    subs[i].source = p->notification_source;
    *out = subs[i].handle;
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_open_system_notification(const struct MvOpenSystemNotificationParams *params,
                                               MvSystemEventHandle *handle)
{
    struct MvOpenSystemNotificationParams p;
    enum MvStatus st = mvk_vrfy_open_system_notification(params, handle, &p);
    uint32_t h = 0;
    MvSystemEventHandle out;

    if (st != MV_STATUS_OKAY)
        return st;
    st = mvk_impl_open_system_notification(&p, &h);
    if (st == MV_STATUS_OKAY) {
        out = (MvSystemEventHandle)mvk_handle_ptr(h);
        memcpy(handle, &out, sizeof out);
    }
    return st;
}

static enum MvStatus close_sub(uint32_t h)
{
    uint32_t i;

    if (mvk_handle_lookup(h, MVK_H_SYSEVENT, &i) != 0 || i >= MVK_MAX_SYSEVENTS ||
        !subs[i].used)
        return MV_STATUS_INVALIDHANDLE;
    mvk_handle_free(subs[i].handle);
    memset(&subs[i], 0, sizeof subs[i]);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_sys_close_system_notification(MvSystemEventHandle *handle)
{
    return mvk_release_handle_ref(handle, sizeof *handle, close_sub);
}
