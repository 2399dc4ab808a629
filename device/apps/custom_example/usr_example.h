/* The custom system call of the example: the application's view. The generator reads
 * this prototype (through custom.tbl) to produce the stub and the kernel declaration. */
#ifndef USR_EXAMPLE_H
#define USR_EXAMPLE_H

#include <stdint.h>

#include "mv_syscalls.h"

/* *sum = a + b; MV_STATUS_PARAMETERFAULT for a bad pointer, MV_STATUS_INPUTTOOLONG if
 * the sum does not fit 32 bits (nothing written then). */
enum MvStatus usr_add_checked(uint32_t a, uint32_t b, uint32_t *sum);

/* A "common" call (custom.tbl): *sum = the sum of data[0..len), the same function for
 * the application and the kernel. MV_STATUS_PARAMETERFAULT for a bad pointer. */
enum MvStatus example_checksum(const uint8_t *data, uint32_t len, uint32_t *sum);

#endif
