/* Host port storage for updates: DIR/update/staged.mvb (the download), DIR/update/state
 * (the kernel's struct mvk_upd_state, written atomically), DIR/update/app.so (the
 * installed app) and app.prev.so (the one a rollback restores; absent = the factory
 * --app). The trusted key is DIR/update.pub.pem, provisioned with the identity. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mvp/bundle.h"
#include "update.h"
#include "update_host.h"

#define PATH_CAP 4096
#define PUBKEY_CAP 4096u
#define MAX_BUNDLE (8u * 1024u * 1024u)

static char dir[PATH_CAP], staged[PATH_CAP + 16], state_path[PATH_CAP + 16],
    app_path[PATH_CAP + 16], prev_path[PATH_CAP + 16];
static char **saved_argv;
static uint8_t pubkey[PUBKEY_CAP];
static size_t pubkey_len;
static struct mvk_upd_state loaded;
static int have_state;

/* DIR/update/ is created on the first write, so a device that never updates (or an
 * identity directory that does not exist, which identity.c reports) leaves no trace. */
static int ensure_dir(void)
{
    return mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

/* The staging file stays open during a download and for its verification (which reads
 * it piece by piece: an open per piece showed in perf, bench/README.md); a download from
 * offset 0 starts a new file. */
static int stage_fd = -1;

/* Consecutive chunks are gathered here and written STAGE_BUF at a time: one 64 KiB
 * pwrite into the page cache costs about half of eight 8 KiB ones (a memcpy more, far
 * less per call in ext4; bench/README.md, host_ota). Whatever reads the file or records
 * progress flushes first (stage_read, state_save, apply), so the saved offset is never
 * ahead of the file; a failed flush fails the next write. */
#define STAGE_BUF (64u * 1024u)
static uint8_t sbuf[STAGE_BUF];
static uint32_t sbuf_off, sbuf_len; /* file offset of sbuf[0], bytes held */
static int stage_err;

static int stage_flush(void)
{
    if (sbuf_len &&
        (stage_fd < 0 || pwrite(stage_fd, sbuf, sbuf_len, sbuf_off) != (ssize_t)sbuf_len))
        stage_err = 1;
    sbuf_len = 0;
    return stage_err ? -1 : 0;
}

static int stage_write(uint32_t off, const uint8_t *p, uint32_t n)
{
    if (off == 0) {
        sbuf_len = 0; /* a new download: what the old one left unwritten is moot */
        stage_err = 0;
        if (stage_fd >= 0)
            close(stage_fd);
        stage_fd = -1;
    }
    if (stage_fd < 0 && ensure_dir() == 0)
        stage_fd = open(staged, O_RDWR | O_CREAT | O_CLOEXEC | (off == 0 ? O_TRUNC : 0), 0600);
    if (stage_fd < 0)
        return -1;
    if ((sbuf_len && off != sbuf_off + sbuf_len) || n > STAGE_BUF - sbuf_len)
        (void)stage_flush();
    if (stage_err)
        return -1;
    if (n >= STAGE_BUF)
        return pwrite(stage_fd, p, n, off) == (ssize_t)n ? 0 : -1;
    if (!sbuf_len)
        sbuf_off = off;
    memcpy(sbuf + sbuf_len, p, n);
    sbuf_len += n;
    return 0;
}

static int stage_read(uint32_t off, uint8_t *p, uint32_t n)
{
    if (stage_flush() != 0)
        return -1;
    if (stage_fd < 0)
        stage_fd = open(staged, O_RDWR | O_CLOEXEC);
    return stage_fd >= 0 && pread(stage_fd, p, n, off) == (ssize_t)n ? 0 : -1;
}

/* tmp + rename: a crash leaves the old state or the new one, never half of each. */
static int write_atomic(const char *path, const void *p, size_t n)
{
    char tmp[PATH_CAP + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    int ok = write(fd, p, n) == (ssize_t)n;
    if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int state_save(const struct mvk_upd_state *s)
{
    /* A download's offset must not be saved ahead of the file; any other state (a
     * failure of the staging writes included) is saved all the same. */
    if (stage_flush() != 0 && s->state == MVP_UPD_DOWNLOADING)
        return -1;
    return ensure_dir() == 0 ? write_atomic(state_path, s, sizeof *s) : -1;
}

/* The device restarts: the same mvdevice, arguments and identity, a fresh kernel. */
static int reboot(void)
{
    sigset_t none;
    fprintf(stderr, "mvdevice: restarting the device for an update\n");
    fflush(stderr);
    /* The caller may hold the kernel lock with signals blocked, and a signal mask
     * survives exec: the new device starts with a clean one, as after a real reset. */
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    execv("/proc/self/exe", saved_argv);
    fprintf(stderr, "mvdevice: cannot restart: %s\n", strerror(errno));
    return -1;
}

/* Copies the image out of the staged bundle into app.new.so. */
static int extract(uint32_t off, uint32_t len, const char *out)
{
    uint8_t buf[65536];
    int in = open(staged, O_RDONLY | O_CLOEXEC), rc = -1;
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
    while (in >= 0 && fd >= 0 && len > 0) {
        uint32_t k = len < sizeof buf ? len : (uint32_t)sizeof buf;
        if (pread(in, buf, k, off) != (ssize_t)k || write(fd, buf, k) != (ssize_t)k)
            break;
        off += k;
        len -= k;
    }
    if (len == 0 && fd >= 0 && fsync(fd) == 0)
        rc = 0;
    if (in >= 0)
        close(in);
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    return rc;
}

static int apply(uint32_t img_off, uint32_t img_len)
{
    char tmp[PATH_CAP + 32];
    snprintf(tmp, sizeof tmp, "%s/app.new.so", dir);
    if (stage_flush() != 0 || extract(img_off, img_len, tmp) != 0) {
        unlink(tmp);
        return -1;
    }
    /* Keep what runs now for a rollback: the installed app, or none (= factory). */
    if (access(app_path, F_OK) == 0 ? rename(app_path, prev_path) != 0
                                    : unlink(prev_path) != 0 && errno != ENOENT)
        return -1;
    if (rename(tmp, app_path) != 0)
        return -1;
    /* The bundle is installed: drop it now rather than when the next download truncates
     * it at its first chunk, where freeing its pages (often still dirty: nothing syncs
     * the staging file) cost up to 3 ms of the transfer (bench/README.md, host_ota). */
    if (stage_fd >= 0)
        close(stage_fd);
    stage_fd = -1;
    (void)unlink(staged);
    return reboot();
}

static int rollback(void)
{
    if (access(prev_path, F_OK) == 0 ? rename(prev_path, app_path) != 0
                                     : unlink(app_path) != 0 && errno != ENOENT)
        return -1;
    return reboot();
}

static const struct mvk_update_port host_port = {.port_id = MVP_PORT_HOST,
                                                 .max_bundle = MAX_BUNDLE,
                                                 .stage_write = stage_write,
                                                 .stage_read = stage_read,
                                                 .state_save = state_save,
                                                 .apply = apply,
                                                 .rollback = rollback};
static struct mvk_update_port port;

static void load_pubkey(const char *identity_dir)
{
    char p[PATH_CAP + 32];
    snprintf(p, sizeof p, "%s/update.pub.pem", identity_dir);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, pubkey, PUBKEY_CAP - 1) : -1;
    if (fd >= 0)
        close(fd);
    pubkey_len = n > 0 ? (size_t)n + 1 : 0;
    if (n > 0)
        pubkey[n] = '\0';
}

int mvk_host_update_boot(const char *identity_dir, const char *factory_app, char **argv,
                         const char **app, char *err, size_t errlen)
{
    saved_argv = argv;
    *app = factory_app;
    if ((size_t)snprintf(dir, sizeof dir, "%s/update", identity_dir) >= sizeof dir) {
        snprintf(err, errlen, "identity path too long");
        return -1;
    }
    snprintf(staged, sizeof staged, "%s/staged.mvb", dir);
    snprintf(state_path, sizeof state_path, "%s/state", dir);
    snprintf(app_path, sizeof app_path, "%s/app.so", dir);
    snprintf(prev_path, sizeof prev_path, "%s/app.prev.so", dir);
    load_pubkey(identity_dir);
    int fd = open(state_path, O_RDONLY | O_CLOEXEC);
    have_state = fd >= 0 && read(fd, &loaded, sizeof loaded) == (ssize_t)sizeof loaded;
    if (fd >= 0)
        close(fd);
    if (access(app_path, F_OK) == 0)
        *app = app_path;
    return 0;
}

void mvk_host_update_attach(void)
{
    port = host_port;
    port.pubkey_pem = pubkey_len ? pubkey : NULL;
    port.pubkey_len = pubkey_len;
    mvk_update_attach(&port, have_state ? &loaded : NULL);
}
