/* Application pointer checks for the kernel: the TT-instruction based
 * cmse_check_address_range() answers "may the non-secure world read/write all of
 * [p, p+n)", which rejects secure memory and ranges that cross into it. */
#include <arm_cmse.h>
#include <stdint.h>

#include "port.h"

static int ns_range_ok(const void *p, size_t n, int flags)
{
    uintptr_t a = (uintptr_t)p;

    if (p == NULL)
        return 0;
    if (n == 0)
        n = 1; /* n == 0 checks p alone (port.h) */
    if (a + n - 1u < a)
        return 0; /* wraps around the address space */
    return cmse_check_address_range((void *)a, n, flags) != NULL;
}

int mvk_port_app_readable(const void *p, size_t n)
{
    return ns_range_ok(p, n, CMSE_NONSECURE | CMSE_MPU_READ);
}

int mvk_port_app_writable(const void *p, size_t n)
{
    return ns_range_ok(p, n, CMSE_NONSECURE | CMSE_MPU_READWRITE);
}
