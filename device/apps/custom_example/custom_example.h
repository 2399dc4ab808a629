/* The example application that uses the custom call. */
#ifndef CUSTOM_EXAMPLE_H
#define CUSTOM_EXAMPLE_H

#include <stdint.h>

/* Results the kernel writes; must live in application memory. */
struct custom_example_out {
    uint64_t now_us;
    uint32_t sum;
    uint8_t bytes[2];
};

/* Runs the example once; 0 if every call behaved as documented, else the failing step. */
int custom_example_run(struct custom_example_out *out);

#endif
