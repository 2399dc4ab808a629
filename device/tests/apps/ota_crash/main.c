/* OTA test application, version 3, which faults at every start (see ../ota_app.h). */
#define OTA_VERSION 3
#define OTA_CRASH 1
#include "../ota_app.h"

APP_PORT_MAIN(ota_crash, ota_main)
