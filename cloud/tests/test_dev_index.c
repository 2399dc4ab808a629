/* Unit tests for the registry of live device connections (device/dev_index.c): every
 * connection is on the all-list exactly once, a device id's chain finds all of its
 * connections and only after removal loses them, removal works at any position. */
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
        mvr_devix_add(&ix, &dcs[i]);
    }
}

static void teardown(void)
{
    free(dcs);
}

TestSuite(dev_index, .init = setup, .fini = teardown);

static int on_all(const struct dev_conn *dc)
{
    int n = 0;
    for (struct dev_conn *p = ix.all; p; p = p->next)
        n += p == dc;
    return n;
}

static int count_all(void)
{
    int n = 0;
    for (struct dev_conn *p = ix.all; p; p = p->next)
        n++;
    return n;
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
    int gone[] = {N - 1 /* head of the all-list */, N / 2, 0 /* tail */, 1};
    for (size_t k = 0; k < sizeof gone / sizeof gone[0]; k++) {
        struct dev_conn *dc = &dcs[gone[k]];
        char id[35];
        snprintf(id, sizeof id, "%s", dc->s.device_id);
        int before = matches(id);
        mvr_devix_remove(&ix, dc);
        cr_assert_eq(on_all(dc), 0);
        cr_assert_eq(matches(id), before - 1, "connection %d still indexed", gone[k]);
    }
    cr_assert_eq(count_all(), N - 4);
    for (int i = 2; i < N - 1; i++)
        if (i != N / 2)
            cr_assert_eq(matches(dcs[i].s.device_id), 1, "connection %d lost", i);
    mvr_devix_add(&ix, &dcs[N / 2]); /* a removed connection can come back */
    cr_assert_eq(matches(dcs[N / 2].s.device_id), 1);
    cr_assert_eq(count_all(), N - 3);
}
