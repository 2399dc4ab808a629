/* libFuzzer target for the update channel service (svc/update.c): a session that has
 * said HELLO and opened the update channel gets the fuzzer's bytes as the channel's DATA
 * stream (typed messages: UPD_STATUS, UPD_FETCH, anything else), against an in-memory
 * store whose device is targeted at a bundle on disk. Grants of credit (WINDOW) and
 * ticks are interleaved so paced and credit-bound chunk output is exercised too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mvp/ctrl.h"
#include "mvp/update.h"
#include "mvr/datadir.h"
#include "mvr/log.h"
#include "mvr/session.h"
#include "mvr/store_apps.h"
#include "svc/svc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mvr_datadir dd;
static struct mvr_svc_update_cfg cfg;
static struct mvr_svc svc;
static struct mvr_session_env env;
static const char *DEV = "UV00000000000000000000000000000001";
static const char *APP = "AP0123456789abcdef0123456789abcdef";

static char bundle_path[4200], apps_path[4200];

/* The bundle and its folders go when the fuzzer exits. */
static void cleanup(void)
{
    unlink(bundle_path);
    rmdir(apps_path);
    rmdir(dd.dir);
}

static void init(void)
{
    static const uint8_t key[32] = {2};
    char err[128];
    snprintf(dd.dir, sizeof dd.dir, "/tmp/mvr-fuzz-upd-%d", (int)getpid());
    mkdir(dd.dir, 0700);
    snprintf(apps_path, sizeof apps_path, "%s/apps", dd.dir);
    mkdir(apps_path, 0700);
    snprintf(bundle_path, sizeof bundle_path, "%s/apps/%s.mvb", dd.dir, APP);
    atexit(cleanup);
    FILE *f = fopen(bundle_path, "wb");
    for (int i = 0; f && i < 50000; i++)
        fputc(i & 0xff, f);
    if (!f || fclose(f) != 0 || mvr_store_open(":memory:", key, &dd.store, err, sizeof err))
        abort();
    mvr_store_device_create(dd.store, DEV, 1);
    struct mvr_app a = {.size = 50000, .image_size = 1, .created_at = 1};
    snprintf(a.id, sizeof a.id, "%s", APP);
    mvr_store_app_add(dd.store, &a);
    mvr_store_update_target(dd.store, DEV, APP, 1);
    mvr_log_set_level((enum mvr_level)(MVR_ERROR + 1));
    cfg = (struct mvr_svc_update_cfg){&dd, 0};
    svc = mvr_svc_update_make(&cfg);
    env = (struct mvr_session_env){.store = dd.store, .ping_interval_s = 30,
                                   .initial_window = MVR_INITIAL_WINDOW, .svc_update = &svc};
}

static int feed(struct mvr_session *s, uint8_t type, uint16_t chan, const uint8_t *p, size_t n,
                int64_t now)
{
    static uint8_t f[16 + MVP_MAX_FRAME_PAYLOAD];
    int fl = mvp_frame_encode(type, 0, chan, p, (uint32_t)n, f, sizeof f);
    return fl < 0 ? 0 : mvr_session_feed(s, f, (size_t)fl, now);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct mvr_session s;
    uint8_t b[64];
    if (!dd.store)
        init();
    cfg.rate = size && (data[0] & 1) ? 3000 : 0; /* paced or not */
    mvr_session_init(&s, &env, DEV, "fuzz", 1);
    struct mvp_hello hello = {.ver_min = 1, .ver_max = 1, .boot_id = 9, .log_next_seq = 1};
    int n = mvp_hello_encode(&hello, b, sizeof b);
    struct mvp_open o = {.chan_type = MVP_CHAN_UPDATE, .window = 4096};
    int on = mvp_open_encode(&o, b + 32, 32);
    if (n < 0 || on < 0 || feed(&s, MVP_HELLO, 0, b, (size_t)n, 1))
        goto out;
    mvr_store_settle(dd.store); /* WELCOME is sent from the store call's completion */
    if (feed(&s, MVP_OPEN, 1, b + 32, (size_t)on, 1))
        goto out;
    int64_t now = 2;
    for (size_t off = 1; off < size;) {
        size_t k = size - off < 4096 ? size - off : 4096;
        if (feed(&s, MVP_DATA, 1, data + off, k, now++))
            break;
        off += k;
        uint8_t w[4];
        if (mvp_window_encode(8192, w, sizeof w) == 4 && feed(&s, MVP_WINDOW, 1, w, 4, now++))
            break;
        mvr_store_settle(dd.store); /* the service's store calls complete */
        mvr_session_tick(&s, now * 1000000);
        struct mvr_out *q;
        while ((q = mvr_session_pop(&s)) != NULL)
            free(q);
    }
out:
    mvr_session_free(&s);
    mvr_store_settle(dd.store); /* completions of a closed channel only free */
    return 0;
}
