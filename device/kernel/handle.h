/* Typed handles: random non-zero 32-bit values from the DRBG mapped to a kernel object
 * (type + pool index). Every system call looks its handles up here, so a stale, forged
 * or wrong-type handle is refused with MV_STATUS_INVALIDHANDLE. */
#ifndef MVK_HANDLE_H
#define MVK_HANDLE_H

#include <stdint.h>

enum mvk_htype {
    MVK_H_FREE = 0,
    MVK_H_NOTIFY,
    MVK_H_NETWORK,
    MVK_H_CHANNEL,
    MVK_H_SYSEVENT,
    MVK_H_FLASH,
};

void mvk_handle_init(void);
/* Allocates a handle for (type, index). 0 on success, -1 if the table is full or the
 * DRBG failed. */
int mvk_handle_alloc(enum mvk_htype type, uint32_t index, uint32_t *out);
/* 0 and *index if h is live and of this type, -1 otherwise. */
int mvk_handle_lookup(uint32_t h, enum mvk_htype type, uint32_t *index);
/* Forgets h (no-op if unknown). */
void mvk_handle_free(uint32_t h);
/* Converts an API handle (a pointer-sized opaque value) to its 32-bit value; 0 (never
 * valid) if it does not fit. */
uint32_t mvk_handle_value(const void *api_handle);
/* The API representation of a handle value. */
void *mvk_handle_ptr(uint32_t h);

#endif
