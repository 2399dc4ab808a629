/* WAL checkpoints off the commit path (SQLite). SQLite's automatic checkpoint runs inside
 * the COMMIT that takes the WAL past 1000 pages: it copies those pages into the database
 * file and fsyncs it, and every device whose batch is in that group waits for it. With
 * many devices a group dirties a few leaf pages per device, so that was every few
 * commits. Here the writer's connection has no automatic checkpoint; after each commit
 * its WAL hook wakes a checkpointer thread with its own connection, which runs PASSIVE
 * checkpoints (they never block the writer, which keeps appending meanwhile).
 * A PASSIVE checkpoint running next to a busy writer rarely catches the WAL's very end, and
 * SQLite only starts the WAL over when a write begins with everything copied: so once the
 * WAL passes CKPT_HARD_FRAMES the writer checkpoints once itself, between its own commits
 * (only the frames since the thread's last pass are left), and its next transaction
 * starts the WAL over. The WAL stays bounded even if the thread falls behind. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include "mvr/log.h"
#include "store/store_priv.h"

/* WAL frames (pages) after which the thread checkpoints: SQLite's own default. */
#define CKPT_FRAMES 1000
/* WAL frames after which the writer checkpoints itself (16k pages: 64 MiB of WAL). */
#define CKPT_HARD_FRAMES 16000

struct mvr_ckpt {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int want, stop;
    sqlite3 *db;
};

static void *ckpt_main(void *arg)
{
    struct mvr_ckpt *c = arg;
    prctl(PR_SET_NAME, "mvr-ckpt");
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->want && !c->stop)
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->stop)
            break;
        c->want = 0;
        pthread_mutex_unlock(&c->mu);
        int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            mvr_log(MVR_WARN, "store checkpoint failed", "err=\"%s\"", sqlite3_errmsg(c->db));
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* On the writer thread, after each commit; frames: the WAL's length. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
    struct mvr_ckpt *c = arg;
    if (frames >= CKPT_HARD_FRAMES) {
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        return SQLITE_OK;
    }
    if (frames >= CKPT_FRAMES) {
        pthread_mutex_lock(&c->mu);
        c->want = 1;
        pthread_cond_signal(&c->cv);
        pthread_mutex_unlock(&c->mu);
    }
    return SQLITE_OK;
}

int mvr_ckpt_start(struct mvr_ckpt **out, sqlite3 *writer_db, const char *path, int flags,
                   char *err, size_t errlen)
{
    struct mvr_ckpt *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    int rc = mvr_st_connect(path, flags, 1000, &c->db, err, errlen);
    if (rc == 0 && (rc = pthread_create(&c->th, NULL, ckpt_main, c)) != 0)
        snprintf(err, errlen, "cannot start the store's checkpoint thread");
    if (rc != 0) {
        sqlite3_close(c->db);
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
        free(c);
        return -1;
    }
    /* Replaces the automatic checkpoint (sqlite3_wal_autocheckpoint sets the same hook). */
    sqlite3_wal_hook(writer_db, wal_hook, c);
    *out = c;
    return 0;
}

void mvr_ckpt_stop(struct mvr_ckpt *c, sqlite3 *writer_db)
{
    if (!c)
        return;
    if (writer_db) /* the writer connection may still commit (close): checkpoint inline */
        sqlite3_wal_autocheckpoint(writer_db, CKPT_FRAMES);
    pthread_mutex_lock(&c->mu);
    c->stop = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->th, NULL);
    sqlite3_close(c->db);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
}
