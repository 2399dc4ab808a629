/* mvk_port_entropy() on riscv-virt: the shared seeded entropy (device/port/common/
 * seeded_entropy.c, as on mps2-an505) over the provisioned seed and mtime. */
#include "port.h"
#include "prov_identity.h"
#include "rv.h"
#include "seeded_entropy.h"

int mvk_port_entropy(uint8_t *buf, size_t n)
{
    return mvk_seeded_entropy(port_prov_seed(), rv_mtime, buf, n);
}
