/* libFuzzer target for the provisioning blob parser (secure/prov.c): any input must be
 * rejected or yield an identity whose pointers and lengths stay inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prov.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mvk_identity id;
    const uint8_t *seed = NULL;
    uint8_t *copy = malloc(size ? size : 1);

    if (copy == NULL)
        return 0;
    memcpy(copy, data, size); /* exact-size heap copy: ASan catches any overread */
    if (an505_prov_parse(copy, size, &id, &seed) == 0) {
        if (id.ca_pem + id.ca_pem_len > copy + size || seed + AN505_PROV_SEED_LEN > copy + size)
            abort();
        if (id.key_pem[id.key_pem_len - 1] != '\0' || strlen(id.device_id) != 34 ||
            strlen(id.relay_host) == 0)
            abort();
    }
    free(copy);
    return 0;
}
