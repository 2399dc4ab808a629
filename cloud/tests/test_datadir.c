/* Unit tests for the data dir: first start creates every file with the right modes,
 * a second start reuses them, and half-present or corrupt files are refused. */
#include <criterion/criterion.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mvr/datadir.h"
#include "mvr/util.h"

static char base[] = "/tmp/mvr_dd_XXXXXX";
static char dir[128];

static void setup(void)
{
    strcpy(base, "/tmp/mvr_dd_XXXXXX");
    cr_assert_not_null(mkdtemp(base));
    snprintf(dir, sizeof dir, "%s/data", base);
}

static void teardown(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", base);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(datadir, .init = setup, .fini = teardown);

static mode_t mode_of(const char *name)
{
    char p[256];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    cr_assert_eq(stat(p, &sb), 0, "%s missing", name);
    return sb.st_mode & 0777;
}

Test(datadir, first_start_creates_files_with_modes)
{
    struct mvr_datadir dd;
    char err[256];
    const char *names[] = {"relay.example"};
    cr_assert_eq(mvr_datadir_open(&dd, dir, NULL, names, 1, err, sizeof err), 0, "%s", err);
    mvr_datadir_close(&dd);
    cr_assert_eq(mode_of("."), 0700);
    cr_assert_eq(mode_of("ca.key"), 0600);
    cr_assert_eq(mode_of("server.key"), 0600);
    cr_assert_eq(mode_of("secrets.key"), 0600);
    cr_assert_eq(mode_of("admin.token"), 0600);
    cr_assert_eq(mode_of("ca.pem"), 0644);
    cr_assert_eq(mode_of("relay.db"), 0600);
}

/* Server names that are addresses become IP SANs, the others DNS SANs. */
Test(datadir, server_names_become_dns_or_ip_sans)
{
    struct mvr_datadir dd;
    char err[256], p[256];
    const char *names[] = {"relay.example", "192.0.2.7", "2001:db8::1"};
    cr_assert_eq(mvr_datadir_open(&dd, dir, NULL, names, 3, err, sizeof err), 0, "%s", err);
    mvr_datadir_close(&dd);
    snprintf(p, sizeof p, "%s/server.pem", dir);
    FILE *f = fopen(p, "r");
    cr_assert_not_null(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    cr_assert_not_null(x);
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    cr_assert_not_null(gens);
    int dns = 0, ip4 = 0, ip6 = 0;
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        if (g->type == GEN_DNS && !strcmp((const char *)ASN1_STRING_get0_data(g->d.dNSName),
                                          "relay.example"))
            dns = 1;
        if (g->type == GEN_IPADD && ASN1_STRING_length(g->d.iPAddress) == 4 &&
            !memcmp(ASN1_STRING_get0_data(g->d.iPAddress), "\xc0\x00\x02\x07", 4))
            ip4 = 1;
        if (g->type == GEN_IPADD && ASN1_STRING_length(g->d.iPAddress) == 16)
            ip6 = 1;
        if (g->type == GEN_DNS)
            cr_assert(strcmp((const char *)ASN1_STRING_get0_data(g->d.dNSName), "192.0.2.7"),
                      "an address listed as a DNS name");
    }
    GENERAL_NAMES_free(gens);
    X509_free(x);
    cr_assert(dns && ip4 && ip6, "dns=%d ip4=%d ip6=%d", dns, ip4, ip6);
}

Test(datadir, restart_reuses_ca_and_token)
{
    struct mvr_datadir dd;
    char err[256], p[256], *a = NULL, *b = NULL, *t1 = NULL, *t2 = NULL;
    size_t n;
    cr_assert_eq(mvr_datadir_open(&dd, dir, NULL, NULL, 0, err, sizeof err), 0, "%s", err);
    mvr_datadir_close(&dd);
    snprintf(p, sizeof p, "%s/ca.pem", dir);
    cr_assert_eq(mvr_read_file(p, 65536, &a, &n), 0);
    snprintf(p, sizeof p, "%s/admin.token", dir);
    cr_assert_eq(mvr_read_file(p, 256, &t1, &n), 0);
    cr_assert_eq(mvr_datadir_open(&dd, dir, NULL, NULL, 0, err, sizeof err), 0, "%s", err);
    mvr_datadir_close(&dd);
    snprintf(p, sizeof p, "%s/ca.pem", dir);
    cr_assert_eq(mvr_read_file(p, 65536, &b, &n), 0);
    snprintf(p, sizeof p, "%s/admin.token", dir);
    cr_assert_eq(mvr_read_file(p, 256, &t2, &n), 0);
    cr_assert_str_eq(a, b);
    cr_assert_str_eq(t1, t2);
    free(a);
    free(b);
    free(t1);
    free(t2);
}

Test(datadir, ca_cert_without_key_is_refused)
{
    struct mvr_datadir dd;
    char err[256], p[256];
    cr_assert_eq(mvr_datadir_open(&dd, dir, NULL, NULL, 0, err, sizeof err), 0, "%s", err);
    mvr_datadir_close(&dd);
    snprintf(p, sizeof p, "%s/ca.key", dir);
    cr_assert_eq(unlink(p), 0);
    cr_assert_eq(mvr_datadir_open(&dd, dir, NULL, NULL, 0, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "ca.key"), "%s", err);
}

Test(datadir, wrong_size_secrets_key_is_refused)
{
    struct mvr_datadir dd;
    char err[256], p[256];
    cr_assert_eq(mvr_datadir_open(&dd, dir, NULL, NULL, 0, err, sizeof err), 0, "%s", err);
    mvr_datadir_close(&dd);
    snprintf(p, sizeof p, "%s/secrets.key", dir);
    cr_assert_eq(mvr_write_file(p, "short", 5, 0600), 0);
    cr_assert_eq(mvr_datadir_open(&dd, dir, NULL, NULL, 0, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "secrets.key"), "%s", err);
}
