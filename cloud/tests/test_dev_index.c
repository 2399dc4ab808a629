/* Unit tests for the registry of live device connections (device/dev_index.c): every
 * connection is in the all-array exactly once, at the position it records, a device id's
 * chain finds all of its connections and only after removal loses them, removal works at
 * any position, and waking a connection makes it due without touching the others. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_priv.h"

#define N 3000

static struct mvr_devix ix;
static struct dev_conn *dcs;

static void setup(void)
{
    memset(&ix, 0, sizeof ix);
    dcs = calloc(N, sizeof *dcs);
    for (int i = 0; i < N; i++) {
        /* ids 0 and 1 share a device id, as two connections of one device do */
        snprintf(dcs[i].s.device_id, sizeof dcs[i].s.device_id, "UV%032x", i == 1 ? 0 : i);
        cr_assert_eq(mvr_devix_add(&ix, &dcs[i]), 0);
    }
}

static void teardown(void)
{
    mvr_devix_free(&ix);
    free(dcs);
}

TestSuite(dev_index, .init = setup, .fini = teardown);

static int on_all(const struct dev_conn *dc)
{
    int n = 0;
    for (uint32_t i = 0; i < ix.n; i++)
        n += ix.all[i].dc == dc;
    return n;
}

/* Also checks that every entry's connection knows its position (removal relies on it). */
static int count_all(void)
{
    for (uint32_t i = 0; i < ix.n; i++)
        cr_assert_eq(ix.all[i].dc->ix, i, "entry %u", i);
    return (int)ix.n;
}

static int matches(const char *id)
{
    int n = 0;
    for (struct dev_conn *p = mvr_devix_chain(&ix, id); p; p = p->hnext)
        n += !strcmp(p->s.device_id, id);
    return n;
}

Test(dev_index, every_connection_listed_once_and_found_by_id)
{
    cr_assert_eq(count_all(), N);
    for (int i = 2; i < N; i++) {
        cr_assert_eq(on_all(&dcs[i]), 1);
        cr_assert_eq(matches(dcs[i].s.device_id), 1, "connection %d", i);
    }
    cr_assert_eq(matches(dcs[0].s.device_id), 2, "both connections of one device");
    cr_assert_eq(matches("UV" "ffffffffffffffffffffffffffffffff"), 0);
}

Test(dev_index, removal_at_head_middle_and_tail)
{
    int gone[] = {N - 1 /* the last entry */, N / 2, 0 /* the first */, 1};
    for (size_t k = 0; k < sizeof gone / sizeof gone[0]; k++) {
        struct dev_conn *dc = &dcs[gone[k]];
        char id[35];
        snprintf(id, sizeof id, "%s", dc->s.device_id);
        int before = matches(id);
        mvr_devix_remove(&ix, dc);
        cr_assert_eq(on_all(dc), 0);
        cr_assert_eq(count_all(), N - 1 - (int)k);
        cr_assert_eq(matches(id), before - 1, "connection %d still indexed", gone[k]);
    }
    cr_assert_eq(count_all(), N - 4);
    for (int i = 2; i < N - 1; i++)
        if (i != N / 2)
            cr_assert_eq(matches(dcs[i].s.device_id), 1, "connection %d lost", i);
    cr_assert_eq(mvr_devix_add(&ix, &dcs[N / 2]), 0); /* a removed one can come back */
    cr_assert_eq(matches(dcs[N / 2].s.device_id), 1);
    cr_assert_eq(count_all(), N - 3);
}

Test(dev_index, wake_makes_one_connection_due)
{
    for (uint32_t i = 0; i < ix.n; i++)
        ix.all[i].due_us = 1000 + i;
    mvr_devix_remove(&ix, &dcs[7]); /* the last entry moves, with its due time */
    cr_assert_eq(ix.all[dcs[N - 1].ix].due_us, 1000 + N - 1);
    mvr_devix_wake(&ix, &dcs[N - 1]);
    mvr_devix_wake(&ix, &dcs[9]);
    int due = 0;
    for (uint32_t i = 0; i < ix.n; i++)
        due += ix.all[i].due_us == 0;
    cr_assert_eq(due, 2);
    cr_assert_eq(ix.all[dcs[9].ix].due_us, 0);
    cr_assert_eq(ix.all[dcs[N - 1].ix].due_us, 0);
    cr_assert_eq(mvr_devix_add(&ix, &dcs[7]), 0);
    cr_assert_eq(ix.all[dcs[7].ix].due_us, 0, "a new connection is due at once");
}
