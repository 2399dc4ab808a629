/* Application-side stubs of the bring-up calls: pack the arguments into 7 words and
 * cross into the secure world through the one gateway. The generator's an505 stub
 * mode will produce these for every call in syscall.tbl. */
#include "an505_nr.h"
#include "gateway.h"
#include "mv_bringup.h"

enum MvStatus mvNoOp(void)
{
    uintptr_t a[AN505_SYSCALL_ARGS] = {0};

    return (enum MvStatus)mvk_an505_syscall(AN505_NR_mvNoOp, a);
}

enum MvStatus mvGetMicroseconds(uint64_t *usec)
{
    uintptr_t a[AN505_SYSCALL_ARGS] = {(uintptr_t)usec};

    return (enum MvStatus)mvk_an505_syscall(AN505_NR_mvGetMicroseconds, a);
}

enum MvStatus mvServerLog(const uint8_t *message, uint16_t length)
{
    uintptr_t a[AN505_SYSCALL_ARGS] = {(uintptr_t)message, length};

    return (enum MvStatus)mvk_an505_syscall(AN505_NR_mvServerLog, a);
}
