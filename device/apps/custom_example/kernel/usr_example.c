/* Kernel side of the example's custom and common calls: compiled into the kernel only
 * when custom.tbl is selected. Each verifies its pointers like any mv* handler, then
 * works. */
#include <stdint.h>
#include <string.h>

#include "appmem.h"
#include "mvk_sys_decl.h"

enum MvStatus mvk_usr_add_checked(uint32_t a, uint32_t b, uint32_t *sum)
{
    uint32_t r;

    if (!mvk_app_wr(sum, sizeof *sum))
        return MV_STATUS_PARAMETERFAULT;
    if (a > UINT32_MAX - b)
        return MV_STATUS_INPUTTOOLONG;
    r = a + b;
    memcpy(sum, &r, sizeof r);
    return MV_STATUS_OKAY;
}

enum MvStatus mvk_example_checksum(const uint8_t *data, uint32_t len, uint32_t *sum)
{
    uint32_t r = 0;

    if (!mvk_app_wr(sum, sizeof *sum) || !mvk_app_rd(data, len))
        return MV_STATUS_PARAMETERFAULT;
    for (uint32_t i = 0; i < len; i++)
        r += data[i];
    memcpy(sum, &r, sizeof r);
    return MV_STATUS_OKAY;
}
