/* OTA test application, version 1 (see ../ota_app.h). */
#define OTA_VERSION 1
#include "../ota_app.h"

APP_PORT_MAIN(ota_v1, ota_main)
