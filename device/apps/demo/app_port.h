/* Compatibility forwarder: the app shim moved to device/include/mv_app_port.h. Kept only
 * because the mps2-an505 port's appshim/app_port.c still includes "app_port.h" (with
 * -Idevice/apps/demo); remove it once that file includes mv_app_port.h. */
#ifndef APP_PORT_H
#define APP_PORT_H

#include "mv_app_port.h"

#endif
