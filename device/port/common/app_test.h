/* Checks the emulated boards' port test applications (apps/boot_test, apps/sys_test)
 * share: one result line per check on the application console, as the e2e scripts
 * grep them. Each application keeps its own failure count (where it lives differs:
 * some must survive the kernel's restart of the application). */
#ifndef MV_PORT_APP_TEST_H
#define MV_PORT_APP_TEST_H

#include <stdint.h>

/* Prints "ok   WHAT" or "FAIL WHAT"; returns ok. */
int app_test_report(int ok, const char *what);
/* mvGetMicroseconds: OKAY, never backwards, advancing; reports the three checks and
 * returns how many failed. */
uint32_t app_test_time(void);

#endif
