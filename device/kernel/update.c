/* Over-the-air updates, device side (docs/ota.md): the update state machine, persisted
 * through the port, and the trial of a freshly applied app with automatic rollback.
 * The update channel itself (frames, credit, messages) is in update_chan.c. */
#include <string.h>

#include "clock.h"
#include "net.h"
#include "sysevent.h"
#include "update.h"
#include "update_priv.h"

const struct mvk_update_port *mvk_upd_port;
struct mvk_upd_state mvk_upd_st;
static int just_applied;
static uint64_t trial_deadline;
static uint64_t trial_us = MVK_UPD_TRIAL_US;

static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memmove(dst, src, n);
    dst[n] = '\0';
}

/* A failed save costs only progress across a reboot (the download restarts, a trial
 * start is not counted); the state in RAM stays right, so it is not an error here. */
void mvk_upd_save(void)
{
    if (mvk_upd_port)
        (void)mvk_upd_port->state_save(&mvk_upd_st);
}

void mvk_upd_set(uint8_t state, const char *app_id, const char *reason)
{
    mvk_upd_st.state = state;
    if (app_id != mvk_upd_st.app_id)
        copy_str(mvk_upd_st.app_id, sizeof mvk_upd_st.app_id, app_id);
    copy_str(mvk_upd_st.reason, sizeof mvk_upd_st.reason, reason);
    mvk_upd_save();
    mvk_upd_chan_status_changed();
    /* Sent now if the channel is open: a change outside frame handling (the end of a
     * trial on a port that keeps its session across the app's restart) has no later
     * pump of its own. */
    mvk_update_pump();
}

/* Restores the previous app; returns only if the port cannot. */
static void rollback(const char *why)
{
    char failed[sizeof mvk_upd_st.running];
    copy_str(failed, sizeof failed, mvk_upd_st.running);
    copy_str(mvk_upd_st.running, sizeof mvk_upd_st.running, mvk_upd_st.prev);
    mvk_upd_st.prev[0] = '\0';
    mvk_upd_st.trial = 0;
    mvk_upd_st.tries = 0;
    mvk_upd_set(MVP_UPD_ROLLEDBACK, failed, why);
    (void)mvk_upd_port->rollback();
}

void mvk_update_attach(const struct mvk_update_port *p, const struct mvk_upd_state *loaded)
{
    mvk_upd_port = p;
    memset(&mvk_upd_st, 0, sizeof mvk_upd_st);
    if (loaded && loaded->magic == MVK_UPD_STATE_MAGIC && loaded->state <= MVP_UPD_STATE_MAX)
        mvk_upd_st = *loaded;
    mvk_upd_st.magic = MVK_UPD_STATE_MAGIC;
    /* Strings from storage are terminated here, whatever the file held. */
    mvk_upd_st.app_id[sizeof mvk_upd_st.app_id - 1] = '\0';
    mvk_upd_st.running[sizeof mvk_upd_st.running - 1] = '\0';
    mvk_upd_st.prev[sizeof mvk_upd_st.prev - 1] = '\0';
    mvk_upd_st.reason[sizeof mvk_upd_st.reason - 1] = '\0';
    mvk_upd_chan_reset();
    just_applied = 0;
    if (p)
        mvk_update_app_restarted();
}

void mvk_update_set_trial_us(uint64_t us)
{
    trial_us = us < 1000000u ? 1000000u : us;
}

/* A start of the app: on trial it counts, and the first one after apply is the one
 * that sees wake reason APPLICATIONUPDATE. */
void mvk_update_app_restarted(void)
{
    just_applied = 0;
    if (!mvk_upd_port || !mvk_upd_st.trial)
        return;
    mvk_upd_st.tries++;
    just_applied = mvk_upd_st.tries == 1;
    trial_deadline = mvk_clock_now_us() + trial_us;
    mvk_upd_save();
    if (mvk_upd_st.tries > MVK_UPD_TRIAL_TRIES)
        rollback("the new app did not come up (too many starts)");
}

int mvk_update_downloading(void)
{
    return mvk_upd_port && mvk_upd_st.state == MVP_UPD_DOWNLOADING;
}

int mvk_update_just_applied(void)
{
    return just_applied;
}

void mvk_update_note_app_fault(void)
{
    if (!mvk_upd_port || !mvk_upd_st.trial)
        return;
    mvk_upd_st.tries++;
    trial_deadline = mvk_clock_now_us() + trial_us;
    mvk_upd_save();
    if (mvk_upd_st.tries > MVK_UPD_TRIAL_TRIES)
        rollback("the new app faulted at every start");
}

/* The app on trial has come up once it holds a network request and the session is up. */
void mvk_update_poll(uint64_t now_us)
{
    mvk_upd_chan_poll();
    /* tries == 0: applied, but the new app has not started yet (a port restarting in
     * place runs the old one until then, whose network must not count). */
    if (!mvk_upd_port || !mvk_upd_st.trial || mvk_upd_st.tries == 0)
        return;
    if (mvk_net_status() == MV_NETWORKSTATUS_CONNECTED) {
        mvk_upd_st.trial = 0;
        mvk_upd_st.tries = 0;
        mvk_upd_set(MVP_UPD_APPLIED, mvk_upd_st.running, "");
    } else if (now_us >= trial_deadline) {
        rollback("the new app did not reach the network in time");
    }
}

uint64_t mvk_update_next_deadline_us(void)
{
    return mvk_upd_port && mvk_upd_st.trial && mvk_upd_st.tries ? trial_deadline : UINT64_MAX;
}

enum MvStatus mvk_update_restart(void)
{
    uint32_t off = 0, len = 0;
    char why[MVK_UPD_MAX_REASON + 1];
    if (!mvk_upd_port || mvk_upd_st.state != MVP_UPD_DOWNLOADED || mvk_upd_st.trial)
        return MV_STATUS_UNAVAILABLE;
    /* Verified again: the staging area could have changed since the download. */
    if (mvk_update_verify(mvk_upd_port, mvk_upd_st.size, &off, &len, why, sizeof why) != 0) {
        mvk_upd_set(MVP_UPD_FAILED, mvk_upd_st.app_id, why);
        return MV_STATUS_UNAVAILABLE;
    }
    copy_str(mvk_upd_st.prev, sizeof mvk_upd_st.prev, mvk_upd_st.running);
    copy_str(mvk_upd_st.running, sizeof mvk_upd_st.running, mvk_upd_st.app_id);
    mvk_upd_st.trial = 1;
    mvk_upd_st.tries = 0;
    mvk_upd_save();
    if (mvk_upd_port->apply(off, len) == 0)
        return MV_STATUS_OKAY; /* the port restarts the app once this call is over */
    /* The port could not install it; the old app keeps running. */
    copy_str(mvk_upd_st.running, sizeof mvk_upd_st.running, mvk_upd_st.prev);
    mvk_upd_st.trial = 0;
    mvk_upd_set(MVP_UPD_FAILED, mvk_upd_st.app_id, "the device could not install the image");
    return MV_STATUS_INTERNALERROR;
}

/* The download of app_id is complete: verify, then tell the relay and the app. */
void mvk_upd_downloaded(void)
{
    uint32_t off = 0, len = 0;
    char why[MVK_UPD_MAX_REASON + 1];
    if (mvk_update_verify(mvk_upd_port, mvk_upd_st.size, &off, &len, why, sizeof why) != 0) {
        mvk_upd_set(MVP_UPD_FAILED, mvk_upd_st.app_id, why);
        return;
    }
    mvk_upd_set(MVP_UPD_DOWNLOADED, mvk_upd_st.app_id, "");
    mvk_sysevent_post(MV_SYSTEMNOTIFICATIONSOURCE_UPDATE, MV_EVENTTYPE_UPDATEDOWNLOADED);
}
