/* The application API as the non-secure image sees it: the real mv_syscalls.h once
 * the API header exists, otherwise the few declarations the bring-up calls need
 * (same names, values and signatures as the Microvisor API). */
#ifndef AN505_MV_BRINGUP_H
#define AN505_MV_BRINGUP_H

#include <stdint.h>

#if __has_include("mv_syscalls.h")
#include "mv_syscalls.h"
#else
enum MvStatus {
    MV_STATUS_OKAY = 0,
    MV_STATUS_PARAMETERFAULT = 2,
    MV_STATUS_UNAVAILABLE = 0xa,
    MV_STATUS_LOGMESSAGETOOLONG = 0x19,
    MV_STATUS_MAX = 0xffffffff
};
enum MvStatus mvNoOp(void);
enum MvStatus mvGetMicroseconds(uint64_t *usec);
enum MvStatus mvServerLog(const uint8_t *message, uint16_t length);
#endif

#endif
