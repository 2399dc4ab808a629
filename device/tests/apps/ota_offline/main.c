/* OTA test application, version 4, which runs but never asks for the network, so it never
 * comes up: the trial's time limit rolls it back (see ../ota_app.h). */
#define OTA_VERSION 4
#define OTA_OFFLINE 1
#include "../ota_app.h"

APP_PORT_MAIN(ota_offline, ota_main)
