/* The registry of live device connections: a dense array of all (for the 1 Hz sweep) and
 * a hash index by device id, both with O(1) insert and removal, so a connect, a
 * disconnect, a HELLO (closing an older session of the same device) or an "online?"
 * question costs the same at 20,000 devices as at 10; scanning every connection for each
 * of them would make a reconnect storm quadratic.
 *
 * Each array entry carries the time the sweep must next look at its connection: the
 * sweep reads the array (16 bytes a connection, in order) and touches only the
 * connections that are due. Touching every connection's memory each second (a cache and
 * TLB miss each, ~400 ns on the development VM) was a third of the relay's idle CPU at
 * 10,000 devices; an idle device is due once per PING interval. */
#ifndef MVR_DEV_INDEX_H
#define MVR_DEV_INDEX_H

#include <stdint.h>

struct dev_conn;

#define MVR_DEVIX_BUCKETS 16384u /* power of two; chains stay short up to ~100k devices */

struct mvr_devix_ent {
    struct dev_conn *dc;
    int64_t due_us; /* the sweep looks at dc once now >= due_us; 0: at the next sweep */
};

struct mvr_devix {
    struct mvr_devix_ent *all; /* every connection, n of them (order is irrelevant) */
    uint32_t n, cap;
    struct dev_conn *bucket[MVR_DEVIX_BUCKETS]; /* chains by device id */
};

/* Adds dc (its session's device_id set), due at the next sweep; -1 when out of memory. */
int mvr_devix_add(struct mvr_devix *ix, struct dev_conn *dc);
/* Removes dc: the last entry moves into its place. */
void mvr_devix_remove(struct mvr_devix *ix, struct dev_conn *dc);
/* Makes dc due at the next sweep (something happened on it). */
void mvr_devix_wake(struct mvr_devix *ix, const struct dev_conn *dc);
/* First connection of device_id's chain (then dc->hnext); compare ids, chains are shared. */
struct dev_conn *mvr_devix_chain(struct mvr_devix *ix, const char *device_id);
/* Frees the array (the registry is empty). */
void mvr_devix_free(struct mvr_devix *ix);

#endif
