/* The host port's update storage (update_host.c), through the callbacks it attaches:
 * staging writes are gathered in memory and written 64 KiB at a time, so everything that
 * reads the staging file or records progress must find the bytes staged so far in it. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "update.h"
#include "update_host.h"
#include "update_priv.h"

#define CHUNK 8164u /* the relay's chunk size: not a divisor of the 64 KiB buffer */

static char dir[64], staged[128];
static uint8_t bundle[200u * 1024u];
static const struct mvk_update_port *port;

static void setup(void)
{
    const char *app = NULL;
    char err[128];
    static char *argv[] = {"mvdevice", NULL};
    snprintf(dir, sizeof dir, "/tmp/mv-updhost.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(staged, sizeof staged, "%s/update/staged.mvb", dir);
    for (size_t i = 0; i < sizeof bundle; i++)
        bundle[i] = (uint8_t)(i * 7u + (i >> 9));
    cr_assert_eq(mvk_host_update_boot(dir, "factory", argv, &app, err, sizeof err), 0, "%s", err);
    mvk_host_update_attach();
    port = mvk_upd_port;
    cr_assert_not_null(port);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Bytes of the staging file as another reader (a copy of the disk) sees them. */
static size_t file_bytes(uint8_t *out, size_t cap)
{
    int fd = open(staged, O_RDONLY);
    cr_assert_geq(fd, 0);
    ssize_t n = pread(fd, out, cap, 0);
    close(fd);
    cr_assert_geq(n, 0);
    return (size_t)n;
}

static uint32_t stage_upto(uint32_t from, uint32_t to)
{
    for (uint32_t off = from; off < to; off += CHUNK) {
        uint32_t n = to - off < CHUNK ? to - off : CHUNK;
        cr_assert_eq(port->stage_write(off, bundle + off, n), 0, "write at %u", off);
    }
    return to;
}

TestSuite(update_host, .init = setup, .fini = teardown);

Test(update_host, a_saved_offset_is_never_ahead_of_the_staging_file)
{
    static uint8_t got[sizeof bundle];
    struct mvk_upd_state st = {.magic = MVK_UPD_STATE_MAGIC, .state = MVP_UPD_DOWNLOADING};
    st.offset = stage_upto(0, 5 * CHUNK); /* less than the buffer: nothing written yet */
    cr_assert_eq(port->state_save(&st), 0);
    cr_assert_geq(file_bytes(got, sizeof got), st.offset, "offset saved ahead of the file");
    cr_assert_eq(memcmp(got, bundle, st.offset), 0);
    st.offset = stage_upto(st.offset, 19 * CHUNK + 100); /* across a 64 KiB flush */
    cr_assert_eq(port->state_save(&st), 0);
    cr_assert_eq(file_bytes(got, sizeof got), st.offset);
    cr_assert_eq(memcmp(got, bundle, st.offset), 0);
}

Test(update_host, reads_see_every_staged_byte)
{
    uint8_t got[3 * CHUNK];
    uint32_t end = stage_upto(0, 11 * CHUNK); /* one flush of 64 KiB, the rest held */
    cr_assert_eq(port->stage_read(end - sizeof got, got, sizeof got), 0);
    cr_assert_eq(memcmp(got, bundle + end - sizeof got, sizeof got), 0);
}

Test(update_host, a_restart_at_zero_drops_what_the_old_download_held)
{
    static uint8_t got[sizeof bundle];
    stage_upto(0, 3 * CHUNK);
    memset(bundle, 0x5a, CHUNK); /* a new bundle starts */
    cr_assert_eq(port->stage_write(0, bundle, CHUNK), 0);
    cr_assert_eq(port->stage_read(0, got, CHUNK), 0);
    cr_assert_eq(memcmp(got, bundle, CHUNK), 0);
    cr_assert_eq(file_bytes(got, sizeof got), CHUNK, "the old download's bytes were written");
}

/* A staging write that fails when its buffer is flushed (here: past a file size limit)
 * fails the next write, and a download's offset is not saved past it; the failure
 * itself is (each test runs in its own process, so the limit stays here). */
Test(update_host, a_failed_flush_fails_the_download_but_not_the_failure_report)
{
    struct rlimit lim = {100u * 1024u, 100u * 1024u};
    struct mvk_upd_state st = {.magic = MVK_UPD_STATE_MAGIC, .state = MVP_UPD_DOWNLOADING};
    signal(SIGXFSZ, SIG_IGN);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int failed = 0;
    for (uint32_t off = 0; off < 20 * CHUNK && !failed; off += CHUNK)
        failed = port->stage_write(off, bundle + off, CHUNK) != 0;
    st.offset = 20 * CHUNK;
    cr_assert(failed || port->state_save(&st) != 0, "the write past the limit went unnoticed");
    cr_assert_neq(port->state_save(&st), 0, "a download's offset saved past a failed write");
    st.state = MVP_UPD_FAILED;
    cr_assert_eq(port->state_save(&st), 0, "the failure was not saved");
}
