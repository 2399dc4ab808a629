/* Close and release calls take the app's handle by reference: the handle is read once,
 * and zeroed in the app's memory only when the kernel has let it go, so a failed call
 * leaves the app holding a handle it can still use or close again. */
#ifndef MVK_HANDLE_REF_H
#define MVK_HANDLE_REF_H

#include <stddef.h>
#include <stdint.h>

#include "mv_syscalls.h"

/* Verify: ref[0..size) writable (it is zeroed later); *h is the handle's value. */
enum MvStatus mvk_vrfy_handle_ref(const void *ref, size_t size, uint32_t *h);
/* Verifies ref, calls release(h) and zeroes *ref if that returned MV_STATUS_OKAY. */
enum MvStatus mvk_release_handle_ref(void *ref, size_t size, enum MvStatus (*release)(uint32_t));

#endif
