/* The MQTT bridge: the channel service behind MV_CHANNELTYPE_MQTT. Each channel gets
 * one libmosquitto client on the relay's loop, to a broker on the allow list. */
#ifndef MVR_MQTT_BRIDGE_H
#define MVR_MQTT_BRIDGE_H

#include <uv.h>

#include "mvr/mqtt_config.h"
#include "svc/svc.h"

struct mvr_mqtt_bridge;

/* cfg must outlive the bridge. NULL when out of memory. */
struct mvr_mqtt_bridge *mvr_mqtt_bridge_new(uv_loop_t *loop, const struct mvr_mqtt_config *cfg);
const struct mvr_svc *mvr_mqtt_bridge_svc(struct mvr_mqtt_bridge *b);
/* After every channel is closed (the sessions are gone). */
void mvr_mqtt_bridge_free(struct mvr_mqtt_bridge *b);

#endif
