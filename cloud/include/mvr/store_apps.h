/* Store: uploaded application bundles and per-device update state (docs/ota.md).
 * Kept apart from store.h so the apps feature stays one small unit of the store. */
#ifndef MVR_STORE_APPS_H
#define MVR_STORE_APPS_H

#include <stdint.h>

#include "mvr/store.h"

struct mvr_app {
    char id[35];       /* "AP" + 32 hex */
    char name[33];
    char version[33];
    char port[16];
    int64_t size;      /* whole bundle */
    int64_t image_size;
    char sha256[65];   /* of the image, hex */
    int64_t created_at;
};

/* A device's update row; state "" when the device was never targeted. */
struct mvr_update {
    char target_app[35]; /* "" = none */
    char state[16];      /* pending, idle, downloading, downloaded, applied, failed,
                          * rolled back */
    char app_id[65];     /* the bundle the state is about */
    int64_t offset;
    char reason[256];
    int64_t updated_at;
};

typedef int (*mvr_app_cb)(void *ctx, const struct mvr_app *a);

struct mvr_datadir;
/* DATA_DIR/apps/<id>.mvb, where the bundle's bytes live (rest_apps.c); 0 or -1. */
int mvr_app_path(const struct mvr_datadir *dd, const char *id, char *out, size_t cap);

int mvr_store_app_add(struct mvr_store *st, const struct mvr_app *a);
int mvr_store_app_get(struct mvr_store *st, const char *id, struct mvr_app *a);
int mvr_store_app_list(struct mvr_store *st, const char *after, unsigned limit, mvr_app_cb cb,
                       void *ctx);
/* MVR_ST_EXISTS while a device still targets the app. */
int mvr_store_app_delete(struct mvr_store *st, const char *id);

/* Sets the target (app_id NULL clears it) and resets the state to "pending". */
int mvr_store_update_target(struct mvr_store *st, const char *device, const char *app_id,
                            int64_t now);
/* The device's row; MVR_ST_NOTFOUND when it has none. */
int mvr_store_update_get(struct mvr_store *st, const char *device, struct mvr_update *u);
/* Records what the device reported (keeps the target). */
int mvr_store_update_report(struct mvr_store *st, const char *device, const char *state,
                            const char *app_id, int64_t offset, const char *reason,
                            int64_t now);

#endif
