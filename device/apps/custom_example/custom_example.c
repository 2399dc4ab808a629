/* Example application for custom system calls: calls usr_add_checked (ABI custom) and
 * example_checksum (ABI common: called by its own name, mapped to its stub by the
 * linker) next to a standard Microvisor call, as any application would. */
#include "custom_example.h"

#include "usr_example.h"

int custom_example_run(struct custom_example_out *out)
{
    uint32_t *scratch = &out->sum;

    if (mvGetMicroseconds(&out->now_us) != MV_STATUS_OKAY)
        return 1;
    if (usr_add_checked(40, 2, scratch) != MV_STATUS_OKAY || *scratch != 42)
        return 2;
    if (usr_add_checked(0xffffffffu, 1, scratch) != MV_STATUS_INPUTTOOLONG || *scratch != 42)
        return 3;
    if (usr_add_checked(1, 2, (uint32_t *)0) != MV_STATUS_PARAMETERFAULT)
        return 4;
    out->bytes[0] = 40;
    out->bytes[1] = 2;
    if (example_checksum(out->bytes, 2, scratch) != MV_STATUS_OKAY || *scratch != 42)
        return 5;
    if (example_checksum((const uint8_t *)0, 2, scratch) != MV_STATUS_PARAMETERFAULT)
        return 6;
    return 0;
}
