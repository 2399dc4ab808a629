/* The relay process: one libuv loop running libwebsockets (device + API vhosts), the
 * store, signals and the 1 Hz housekeeping timer. */
#ifndef MVR_SERVER_H
#define MVR_SERVER_H

#include "mvr/config.h"

/* Runs until SIGINT/SIGTERM; returns the process exit code. */
int mvr_server_run(const struct mvr_config *cfg);

#endif
