/* mvdevice: the host port's entry point. Loads the identity, boots the kernel, maps
 * the app's memory regions, then runs three threads: the kernel loop, IRQ delivery and
 * the selected application. SIGINT/SIGTERM close the session and exit 0. */
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

struct opts {
    const char *relay, *identity, *app;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: mvdevice --relay wss://HOST:PORT --identity DIR [--app NAME]\n"
               "       mvdevice --list-apps\n"
               "  --relay URL      relay device endpoint (path /v1/device is implied)\n"
               "  --identity DIR   identity directory from `mvcli devices provision --out`\n"
               "  --app NAME       application to run (default: demo)\n");
}

/* 0 to run, 1 if done (help/list printed), 2 on a usage error. */
static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        {"relay", required_argument, 0, 'r'}, {"identity", required_argument, 0, 'i'},
        {"app", required_argument, 0, 'a'},   {"list-apps", no_argument, 0, 'l'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    char names[512];
    int c;

    *o = (struct opts){0, 0, "demo"};
    while ((c = getopt_long(argc, argv, "", longopts, 0)) != -1) {
        switch (c) {
        case 'r': o->relay = optarg; break;
        case 'i': o->identity = optarg; break;
        case 'a': o->app = optarg; break;
        case 'l':
            mvk_host_app_list(names, sizeof names);
            printf("%s\n", names);
            return 1;
        case 'h': usage(stdout); return 1;
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

static void *app_main(void *arg)
{
    void (*entry)(void) = (void (*)(void))arg;

    entry();
    return 0;
}

static int start(const struct opts *o, void (*entry)(void), pthread_t *loop)
{
    mvk_host_register_app_statics();
    if (mvk_host_kernel_lock_init() != 0 || mvk_kernel_init() != 0) {
        fprintf(stderr, "mvdevice: kernel init failed (no entropy or eventfd)\n");
        return -1;
    }
    mvk_host_diag_install();
    if (pthread_create(loop, 0, mvk_host_loop_main, 0) != 0 || mvk_host_irq_start() != 0 ||
        mvk_host_start_app_thread(app_main, (void *)entry) != 0) {
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
    char err[256];
    void (*entry)(void);
    sigset_t sigs;
    pthread_t loop;
    int rc = parse(argc, argv, &o), sig = 0;

    if (rc != 0)
        return rc == 1 ? 0 : 2;
    entry = mvk_host_app_find(o.app);
    if (!entry) {
        mvk_host_app_list(err, sizeof err);
        fprintf(stderr, "mvdevice: unknown app '%s' (available: %s)\n", o.app, err);
        return 2;
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
    if (start(&o, entry, &loop) != 0)
        return 1;
    sigwait(&sigs, &sig);
    fprintf(stderr, "mvdevice: signal %d, stopping\n", sig);
    mvk_host_loop_stop();
    pthread_join(loop, 0);
    mvk_host_kernel_enter();
    mvk_conn_set_wanted(0);
    mvk_conn_poll(mvk_port_now_us());
    mvk_host_irq_stop();
    return 0;
}
