/* Unit tests for mvrelay's configuration: defaults, ADDR:PORT parsing, the config file
 * and flag precedence. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mvr/config.h"
#include "mvr/log.h"

Test(config, defaults_are_loopback)
{
    struct mvr_config c;
    mvr_config_defaults(&c);
    cr_assert_str_eq(c.listen_addr, "127.0.0.1");
    cr_assert_eq(c.listen_port, 7443);
    cr_assert_eq(c.api_port, 7444);
    cr_assert_eq(c.ping_interval_s, 30);
}

Test(config, hostport_parsing)
{
    char a[64];
    int p;
    cr_assert_eq(mvr_parse_hostport("127.0.0.1:9000", a, sizeof a, &p), 0);
    cr_assert_str_eq(a, "127.0.0.1");
    cr_assert_eq(p, 9000);
    cr_assert_eq(mvr_parse_hostport("127.0.0.1", a, sizeof a, &p), -1);
    cr_assert_eq(mvr_parse_hostport(":80", a, sizeof a, &p), -1);
    cr_assert_eq(mvr_parse_hostport("h:0", a, sizeof a, &p), -1);
    cr_assert_eq(mvr_parse_hostport("h:65536", a, sizeof a, &p), -1);
    cr_assert_eq(mvr_parse_hostport("h:12x", a, sizeof a, &p), -1);
    cr_assert_eq(mvr_parse_hostport("[::1]:7443", a, sizeof a, &p), 0);
    cr_assert_str_eq(a, "::1");
    cr_assert_eq(p, 7443);
    cr_assert_eq(mvr_parse_hostport("[fe80::1%lo]:1", a, sizeof a, &p), 0);
    cr_assert_str_eq(a, "fe80::1%lo");
    cr_assert_eq(mvr_parse_hostport("[::1]", a, sizeof a, &p), -1);
    cr_assert_eq(mvr_parse_hostport("[]:80", a, sizeof a, &p), -1);
    cr_assert_eq(mvr_parse_hostport("[::1]80", a, sizeof a, &p), -1);
    cr_assert_eq(mvr_parse_hostport("[::1:80", a, sizeof a, &p), -1);
}

Test(config, file_then_flags_override)
{
    char path[] = "/tmp/mvr_cfg_XXXXXX", err[256];
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("# relay\ndata_dir = /tmp/x\nlisten = 127.0.0.1:1000\nserver_name = relay.lan\n"
          "ping_interval_s = 5\n", f);
    fclose(f);
    struct mvr_config c;
    mvr_config_defaults(&c);
    cr_assert_eq(mvr_config_file(&c, path, err, sizeof err), 0, "%s", err);
    char *argv[] = {"mvrelay", "--config", path, "--listen", "127.0.0.1:2000", NULL};
    cr_assert_eq(mvr_config_args(&c, 5, argv, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(c.data_dir, "/tmp/x");
    cr_assert_eq(c.listen_port, 2000);
    cr_assert_eq(c.n_names, 1);
    cr_assert_str_eq(c.names[0], "relay.lan");
    cr_assert_eq(c.ping_interval_s, 5);
    unlink(path);
}

Test(config, flags_name_file_keys)
{
    char err[256];
    struct mvr_config c;
    mvr_config_defaults(&c);
    char *argv[] = {"mvrelay", "--data-dir", "/d", "--api-listen=127.0.0.2:9",
                    "--ping-interval", "7", NULL};
    cr_assert_eq(mvr_config_args(&c, 6, argv, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(c.data_dir, "/d");
    cr_assert_str_eq(c.api_addr, "127.0.0.2");
    cr_assert_eq(c.api_port, 9);
    cr_assert_eq(c.ping_interval_s, 7);
}

Test(config, shedding_flags)
{
    char err[256];
    struct mvr_config c;
    mvr_config_defaults(&c);
    cr_assert_eq(c.max_sessions, 0);
    cr_assert_eq(c.accept_rate, 0);
    cr_assert_eq(c.overload_retry_ms, 10000);
    char *argv[] = {"mvrelay", "--data-dir", "/d", "--max-sessions", "5000",
                    "--accept-rate=200", "--overload-retry-ms", "0", NULL};
    cr_assert_eq(mvr_config_args(&c, 8, argv, err, sizeof err), 0, "%s", err);
    cr_assert_eq(c.max_sessions, 5000);
    cr_assert_eq(c.accept_rate, 200);
    cr_assert_eq(c.overload_retry_ms, 0);
    char *bad[] = {"mvrelay", "--data-dir", "/d", "--max-sessions", "-1", NULL};
    cr_assert_eq(mvr_config_args(&c, 5, bad, err, sizeof err), -1);
}

Test(config, max_handshakes)
{
    char err[256];
    struct mvr_config c;
    mvr_config_defaults(&c);
    cr_assert_eq(c.max_handshakes, 32);
    char *argv[] = {"mvrelay", "--data-dir", "/d", "--max-handshakes", "0", NULL};
    cr_assert_eq(mvr_config_args(&c, 5, argv, err, sizeof err), 0, "%s", err);
    cr_assert_eq(c.max_handshakes, 0);
    char *argv2[] = {"mvrelay", "--data-dir", "/d", "--max-handshakes=8", NULL};
    cr_assert_eq(mvr_config_args(&c, 4, argv2, err, sizeof err), 0, "%s", err);
    cr_assert_eq(c.max_handshakes, 8);
    char *bad[] = {"mvrelay", "--data-dir", "/d", "--max-handshakes", "x", NULL};
    cr_assert_eq(mvr_config_args(&c, 5, bad, err, sizeof err), -1);
}

Test(config, max_pending_per_address)
{
    char err[256];
    struct mvr_config c;
    mvr_config_defaults(&c);
    cr_assert_eq(c.max_pending_per_address, 64);
    char *argv[] = {"mvrelay", "--data-dir", "/d", "--max-pending-per-address", "5000", NULL};
    cr_assert_eq(mvr_config_args(&c, 5, argv, err, sizeof err), 0, "%s", err);
    cr_assert_eq(c.max_pending_per_address, 5000);
    char *bad[] = {"mvrelay", "--data-dir", "/d", "--max-pending-per-address", "-1", NULL};
    cr_assert_eq(mvr_config_args(&c, 5, bad, err, sizeof err), -1);
}

Test(config, bad_inputs_are_errors)
{
    char err[256];
    struct mvr_config c;
    mvr_config_defaults(&c);
    char *no_dir[] = {"mvrelay", NULL};
    cr_assert_eq(mvr_config_args(&c, 1, no_dir, err, sizeof err), -1);
    char *unknown[] = {"mvrelay", "--data-dir", "/tmp/x", "--bogus", "1", NULL};
    cr_assert_eq(mvr_config_args(&c, 5, unknown, err, sizeof err), -1);
    cr_assert(strstr(err, "--bogus: unknown option"), "%s", err);
    char *single_dash[] = {"mvrelay", "-listen", "1.2.3.4:5", NULL};
    cr_assert_eq(mvr_config_args(&c, 3, single_dash, err, sizeof err), -1);
    char *missing[] = {"mvrelay", "--data-dir", NULL};
    cr_assert_eq(mvr_config_args(&c, 2, missing, err, sizeof err), -1);
    char *badname[] = {"mvrelay", "--data-dir", "/x", "--server-name", "a,b", NULL};
    cr_assert_eq(mvr_config_args(&c, 5, badname, err, sizeof err), -1);
    cr_assert_eq(mvr_config_file(&c, "/nonexistent/file", err, sizeof err), -1);
}

Test(log, untrusted_values_cannot_break_lines)
{
    char out[64];
    mvr_log_esc("ok\n\"x\\", 6, out, sizeof out);
    cr_assert_str_eq(out, "ok\\x0a\\x22x\\x5c");
    mvr_log_esc("abcdefgh", 8, out, 6);
    cr_assert_eq(strlen(out), 1); /* truncated, never a partial escape */
}

static void write_cfg(char *path, const char *text)
{
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
}

Test(config, quoted_values_mean_the_text_inside)
{
    char path[] = "/tmp/mvr_cfg_XXXXXX", err[256];
    write_cfg(path, "data_dir = \"/tmp/with space\"\nserver_name = 'relay.lan'\n"
                    "listen = \"127.0.0.1:1000\"\n");
    struct mvr_config c;
    mvr_config_defaults(&c);
    cr_assert_eq(mvr_config_file(&c, path, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(c.data_dir, "/tmp/with space");
    cr_assert_str_eq(c.names[0], "relay.lan");
    cr_assert_eq(c.listen_port, 1000);
    unlink(path);
}

Test(config, file_errors_name_file_and_line)
{
    char p1[] = "/tmp/mvr_cfg_XXXXXX", p2[] = "/tmp/mvr_cfg_XXXXXX", p3[] = "/tmp/mvr_cfg_XXXXXX";
    char err[512], want[128];
    struct mvr_config c;
    write_cfg(p1, "# ok\ndata_dir = /tmp/x\nlisten = \"127.0.0.1:1000\n");
    mvr_config_defaults(&c);
    cr_assert_eq(mvr_config_file(&c, p1, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:3: unmatched double quote", p1);
    cr_assert(strstr(err, want), "got: %s", err);
    write_cfg(p2, "\n\nlisten_addr = 1.2.3.4:5\n");
    cr_assert_eq(mvr_config_file(&c, p2, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:3: unknown setting: listen_addr", p2);
    cr_assert(strstr(err, want), "got: %s", err);
    write_cfg(p3, "listen = 127.0.0.1\n");
    cr_assert_eq(mvr_config_file(&c, p3, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:1: listen: expected ADDR:PORT", p3);
    cr_assert(strstr(err, want), "got: %s", err);
    unlink(p1), unlink(p2), unlink(p3);
}
