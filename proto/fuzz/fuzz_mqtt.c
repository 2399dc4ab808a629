/* libFuzzer target: every MQTT channel message body; the first byte picks the type. */
#include "fuzz_common.h"
#include "mvp/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t type;

    if (size < 1)
        return 0;
    type = (uint8_t)(MVP_MSG_MQTT_CONNECT +
                     data[0] % (MVP_MSG_MQTT_DISCONNECT_RESP - MVP_MSG_MQTT_CONNECT + 1));
    fuzz_roundtrip(type, data + 1, size - 1);
    return 0;
}
