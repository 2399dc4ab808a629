/* Rate limit for mvdevice's connection-failure lines: a relay that stays down makes
 * conn fail on every backoff step, and the terminal should get one line, not hundreds.
 * Pure logic (time passed in), so it is unit-tested without sleeping. */
#ifndef MVK_HOST_DIAG_LIMIT_H
#define MVK_HOST_DIAG_LIMIT_H

#include <stdint.h>

/* The same failure again is printed at most once per this interval... */
#define MVK_HOST_DIAG_REPEAT_US (30u * 1000000ull)
/* ...a different one at once, but never two lines closer than this. */
#define MVK_HOST_DIAG_MIN_GAP_US (1u * 1000000ull)

struct mvk_host_diag_limit {
    int printed;          /* a line was printed before */
    uint64_t last_us;     /* when */
    int last_kind;        /* and for which failure */
    int32_t last_detail;
    uint32_t suppressed;  /* failures held back since */
};

/* 1 if the failure (kind, detail) at now_us should be printed; then *held_back is the
 * number of failures suppressed since the previous line (and the count restarts). */
int mvk_host_diag_should_print(struct mvk_host_diag_limit *l, int kind, int32_t detail,
                               uint64_t now_us, uint32_t *held_back);

#endif
