/* Shared by update.c (state machine) and update_chan.c (the channel). Not for other
 * modules: they use update.h. */
#ifndef MVK_UPDATE_PRIV_H
#define MVK_UPDATE_PRIV_H

#include "update.h"

extern const struct mvk_update_port *mvk_upd_port;
extern struct mvk_upd_state mvk_upd_st;

/* Persists mvk_upd_st through the port. */
void mvk_upd_save(void);
/* Sets state, app id and reason, persists, and queues an UPD_STATUS. */
void mvk_upd_set(uint8_t state, const char *app_id, const char *reason);
/* All size bytes are staged: verify and report. */
void mvk_upd_downloaded(void);

/* update_chan.c */
void mvk_upd_chan_reset(void);
void mvk_upd_chan_status_changed(void);
/* From mvk_update_poll: verifies a fully staged bundle once its last progress is out. */
void mvk_upd_chan_poll(void);

#endif
