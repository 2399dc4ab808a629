/* Network request, as the demos do it: ask, then wait for CONNECTED (polled; the
 * notification also arrives on TIM8_BRK). */
#include "app.h"

MvNetworkHandle net_connect(MvNotificationHandle nh)
{
    struct MvRequestNetworkParams params = {.version = 1,
                                            .v1 = {.notification_handle = nh,
                                                   .notification_tag = TAG_NETWORK}};
    MvNetworkHandle net = 0;
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;

    if (mvRequestNetwork(&params, &net) != MV_STATUS_OKAY) {
        server_log("mvstyle: network request failed");
        return 0;
    }
    for (int i = 0; i < 300; i++) {
        if (mvGetNetworkStatus(net, &status) == MV_STATUS_OKAY &&
            status == MV_NETWORKSTATUS_CONNECTED) {
            server_log("mvstyle: network connected (%lu notifications)",
                       (unsigned long)notify_count(TAG_NETWORK));
            return net;
        }
        hal_delay(100);
    }
    server_log("mvstyle: network not connected");
    return 0;
}
