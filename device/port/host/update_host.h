/* Host port storage for over-the-air updates (docs/ota.md "Host port"): everything lives
 * in DIR/update/ beside the identity DIR, and a device "reboot" re-executes mvdevice
 * with the same arguments, so the same identity comes back up with the new app. */
#ifndef MVK_UPDATE_HOST_H
#define MVK_UPDATE_HOST_H

#include <stddef.h>

/* Before the app is loaded: reads DIR/update/state and DIR/update.pub.pem and picks the
 * application to load: the installed bundle's DIR/update/app.so, else factory_app (the
 * --app argument). argv is kept for the re-exec. 0, or -1 with a message. */
int mvk_host_update_boot(const char *identity_dir, const char *factory_app, char **argv,
                         const char **app, char *err, size_t errlen);
/* After mvk_kernel_init: hands the storage callbacks and the loaded state to the kernel
 * (which may roll back, re-executing mvdevice, right here). */
void mvk_host_update_attach(void);

#endif
