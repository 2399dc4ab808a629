/* Host port entropy for the kernel's DRBG seed: the Linux getrandom() pool. */
#include <errno.h>
#include <sys/random.h>

#include "port.h"

int mvk_port_entropy(uint8_t *buf, size_t n)
{
    while (n > 0) {
        ssize_t k = getrandom(buf, n, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        buf += k;
        n -= (size_t)k;
    }
    return 0;
}
