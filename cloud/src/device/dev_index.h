/* The registry of live device connections: a list of all (for the 1 Hz sweep) and a hash
 * index by device id, both with O(1) insert and removal, so a connect, a disconnect, a
 * HELLO (closing an older session of the same device) or an "online?" question costs the
 * same at 20,000 devices as at 10; scanning every connection for each of them would make
 * a reconnect storm quadratic. */
#ifndef MVR_DEV_INDEX_H
#define MVR_DEV_INDEX_H

struct dev_conn;

#define MVR_DEVIX_BUCKETS 16384u /* power of two; chains stay short up to ~100k devices */

struct mvr_devix {
    struct dev_conn *all;                       /* every connection (list order is irrelevant) */
    struct dev_conn *bucket[MVR_DEVIX_BUCKETS]; /* chains by device id */
};

/* Adds dc (its session's device_id set). */
void mvr_devix_add(struct mvr_devix *ix, struct dev_conn *dc);
void mvr_devix_remove(struct mvr_devix *ix, struct dev_conn *dc);
/* First connection of device_id's chain (then dc->hnext); compare ids, chains are shared. */
struct dev_conn *mvr_devix_chain(struct mvr_devix *ix, const char *device_id);

#endif
