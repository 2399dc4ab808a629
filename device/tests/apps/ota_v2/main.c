/* OTA test application, version 2 (see ../ota_app.h). */
#define OTA_VERSION 2
#include "../ota_app.h"

APP_PORT_MAIN(ota_v2, ota_main)
