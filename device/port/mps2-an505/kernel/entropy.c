/* mvk_port_entropy() on mps2-an505: the shared seeded entropy (device/port/common/
 * seeded_entropy.c) over the provisioned seed and the SysTick count. The one place to
 * change for hardware with a TRNG. */
#include "an505.h"
#include "port.h"
#include "prov_identity.h"
#include "seeded_entropy.h"

int mvk_port_entropy(uint8_t *buf, size_t n)
{
    return mvk_seeded_entropy(port_prov_seed(), an505_ticks, buf, n);
}
