/* mvdevice: the host port's entry point. Loads the identity, boots the kernel, loads the
 * application object (its segments become app memory), then runs two threads: the kernel
 * loop and the application, which also takes its interrupts and restarts after a fault.
 * SIGINT/SIGTERM close the session and exit 0. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "conn.h"
#include "host.h"
#include "identity.h"
#include "kernel.h"
#include "port.h"
#include "update.h"
#include "update_host.h"

struct opts {
    const char *relay, *identity, *app;
    long trial_s; /* --update-trial, 0: the kernel's default */
};

static void usage(FILE *f)
{
    fprintf(f, "usage: mvdevice --relay wss://HOST:PORT --identity DIR [--app NAME]\n"
               "       mvdevice --list-apps\n"
               "  --relay URL      relay device endpoint (path /v1/device is implied)\n"
               "  --identity DIR   identity directory from `mvcli devices provision --out`\n"
               "  --app NAME       application to run: apps/NAME.so next to mvdevice, or a\n"
               "                   path to an application object (default: demo)\n"
               "  --update-trial S an updated app must reach the network within S seconds of\n"
               "                   each start or is rolled back (1..86400, default 30)\n");
}

static int parse_trial(const char *arg, long *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (end == arg || *end != '\0' || v < 1 || v > 86400)
        return -1;
    *out = v;
    return 0;
}

/* 0 to run, 1 if done (help/list printed), 2 on a usage error (main exits 1 for it, as
 * mvcli and mvrelay do). */
static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        {"relay", required_argument, 0, 'r'}, {"identity", required_argument, 0, 'i'},
        {"app", required_argument, 0, 'a'},   {"list-apps", no_argument, 0, 'l'},
        {"help", no_argument, 0, 'h'},        {"version", no_argument, 0, 'V'},
        {"update-trial", required_argument, 0, 't'}, {0, 0, 0, 0}};
    char names[512];
    int c;

    *o = (struct opts){0, 0, "demo", 0};
    while ((c = getopt_long(argc, argv, "", longopts, 0)) != -1) {
        switch (c) {
        case 'r': o->relay = optarg; break;
        case 'i': o->identity = optarg; break;
        case 'a': o->app = optarg; break;
        case 't':
            if (parse_trial(optarg, &o->trial_s) != 0) {
                fprintf(stderr, "mvdevice: --update-trial: '%s' is not 1..86400 seconds\n",
                        optarg);
                return 2;
            }
            break;
        case 'l':
            mvk_host_app_list(names, sizeof names);
            printf("%s\n", names);
            return 1;
        case 'h': usage(stdout); return 1;
        case 'V': printf("mvdevice %s\n", MV_VERSION); return 1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || !o->relay || !o->identity) {
        fprintf(stderr, "mvdevice: %s\n",
                optind < argc ? "unexpected argument" : "--relay and --identity are required");
        usage(stderr);
        return 2;
    }
    return 0;
}

static int start(const struct opts *o, pthread_t *loop)
{
    if (mvk_host_kernel_lock_init() != 0 || mvk_kernel_init() != 0) {
        fprintf(stderr, "mvdevice: kernel init failed (no entropy or eventfd)\n");
        return -1;
    }
    if (o->trial_s > 0)
        mvk_update_set_trial_us((uint64_t)o->trial_s * 1000000u);
    mvk_host_update_attach(); /* may roll back an app that never came up (re-exec) */
    mvk_host_diag_install();
    if (mvk_host_nvic_init() != 0 || mvk_host_fault_init() != 0) {
        fprintf(stderr, "mvdevice: cannot install signal handlers\n");
        return -1;
    }
    if (pthread_create(loop, 0, mvk_host_loop_main, 0) != 0 || mvk_host_app_start() != 0) {
        fprintf(stderr, "mvdevice: cannot start threads\n");
        return -1;
    }
    fprintf(stderr, "mvdevice: device %s app %s relay %s\n", mvk_port_identity()->device_id,
            o->app, o->relay);
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    char err[512], names[256];
    sigset_t sigs;
    pthread_t loop;
    int rc = parse(argc, argv, &o), sig = 0;

    /* Exit status: 0 done, 1 for any usage or setup error (as mvcli and mvrelay). */
    if (rc != 0)
        return rc == 1 ? 0 : 1;
    /* An installed update replaces the --app (the factory app) until rolled back. */
    if (mvk_host_update_boot(o.identity, o.app, argv, &o.app, err, sizeof err) != 0) {
        fprintf(stderr, "mvdevice: update storage: %s\n", err);
        return 1;
    }
    if (mvk_host_app_load(o.app, err, sizeof err) != 0) {
        mvk_host_app_list(names, sizeof names);
        fprintf(stderr, "mvdevice: unknown app '%s' (%s; available in %s: %s)\n", o.app, err,
                mvk_host_app_dir(), names);
        return 1;
    }
    if (mvk_host_identity_load(o.identity, o.relay, err, sizeof err) != 0) {
        fprintf(stderr, "mvdevice: identity %s: %s\n", o.identity, err);
        return 1;
    }
    /* Only this thread takes the signals: block them before any thread starts. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, 0);
    signal(SIGPIPE, SIG_IGN);
    if (start(&o, &loop) != 0)
        return 1;
    sigwait(&sigs, &sig);
    fprintf(stderr, "mvdevice: signal %d, stopping\n", sig);
    mvk_host_loop_stop();
    pthread_join(loop, 0);
    mvk_host_kernel_enter();
    mvk_conn_set_wanted(0);
    mvk_conn_poll(mvk_port_now_us());
    return 0;
}
