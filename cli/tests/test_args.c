/* Tests of command-line parsing (src/args.c): every command with its
 * operands and options, and the usage errors (which main turns into exit 1). */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "mvc/args.h"

#define DEV "UV0123456789abcdef0123456789abcdef"
#define ARGC(v) ((int)(sizeof(v) / sizeof(v[0])))

static struct mvc_args a;
static char err[256];

static int parse(int argc, char *const argv[])
{
    return mvc_args_parse(argc, argv, &a, err, sizeof(err));
}

#define OK(...)                                                                                 \
    do {                                                                                        \
        char *const v_[] = {"mvcli", __VA_ARGS__};                                              \
        cr_assert_eq(parse(ARGC(v_), v_), 0, "unexpected error: %s", err);                      \
    } while (0)

#define FAILS(substr, ...)                                                                      \
    do {                                                                                        \
        char *const v_[] = {"mvcli", __VA_ARGS__};                                              \
        cr_assert_eq(parse(ARGC(v_), v_), -1, "accepted a bad command line");                   \
        cr_assert(strstr(err, substr), "message '%s' lacks '%s'", err, substr);                 \
    } while (0)

Test(args, relative_since_becomes_a_utc_time)
{
    char want[2][32];
    struct tm tm;
    /* Not time(NULL): glibc serves it from the coarse clock, which can lag the
     * CLOCK_REALTIME the CLI reads by a tick just after a second boundary. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    time_t t0 = ts.tv_sec - 600;
    OK("logs", "get", DEV, "--since", "10m");
    clock_gettime(CLOCK_REALTIME, &ts);
    time_t t1 = ts.tv_sec - 600;
    gmtime_r(&t0, &tm);
    strftime(want[0], sizeof want[0], "%Y-%m-%dT%H:%M:%S.", &tm);
    gmtime_r(&t1, &tm);
    strftime(want[1], sizeof want[1], "%Y-%m-%dT%H:%M:%S.", &tm);
    cr_assert(!strncmp(a.since, want[0], 20) || !strncmp(a.since, want[1], 20), "%s", a.since);
    cr_assert_eq(strlen(a.since), 27, "microseconds and Z: %s", a.since);
    cr_assert_eq(a.since[26], 'Z');
    OK("logs", "get", DEV, "--since", "2d");
    OK("logs", "stream", DEV, "--since", "seq:0123456789abcdef:4");
    cr_assert_str_eq(a.since, "seq:0123456789abcdef:4", "a cursor passes unchanged");
    OK("logs", "get", DEV, "--since", "10x");
    cr_assert_str_eq(a.since, "10x", "not a duration: the relay judges it");
}

Test(args, logs_stream_with_since_and_json)
{
    OK("logs", "stream", DEV, "--since", "2026-01-01T00:00:00Z", "--json");
    cr_assert_eq(a.cmd, MVC_CMD_LOGS_STREAM);
    cr_assert_str_eq(a.device, DEV);
    cr_assert_str_eq(a.since, "2026-01-01T00:00:00.000000Z");
    cr_assert(a.json);
}

Test(args, since_in_other_shapes_becomes_rfc3339_utc)
{
    OK("logs", "get", DEV, "--since", "2026-01-01 10:30");
    cr_assert_str_eq(a.since, "2026-01-01T10:30:00.000000Z", "no offset: UTC by default");
    OK("logs", "get", DEV, "--since", "2026-01-01T10:30:00.5+02:00");
    cr_assert_str_eq(a.since, "2026-01-01T08:30:00.500000Z");
    OK("logs", "get", DEV, "--since", "2026-01-01");
    cr_assert_str_eq(a.since, "2026-01-01T00:00:00.000000Z");
}

Test(args, until_absolute_and_relative)
{
    OK("logs", "get", DEV, "--until", "2026-01-01T00:00:10Z");
    cr_assert(a.has_until);
    cr_assert_eq(a.until_t.sec, 1767225610);
    time_t before = time(NULL);
    OK("logs", "get", DEV, "--since=2h", "--until=1h");
    cr_assert(a.until_t.sec >= before - 3600 && a.until_t.sec <= time(NULL) - 3600);
    FAILS("--until must be a time", "logs", "get", DEV, "--until", "yesterday");
    FAILS("before --since", "logs", "get", DEV, "--since", "1h", "--until", "2h");
    FAILS("--tail excludes --until", "logs", "get", DEV, "-n", "5", "--until", "1h");
    FAILS("does not apply", "logs", "stream", DEV, "--until", "1h");
}

Test(args, display_options_apply_to_every_command)
{
    OK("devices", "list", "--no-color", "--local", "--no-trunc");
    cr_assert(a.no_color && a.local && a.no_trunc);
    OK("config", "list");
    cr_assert(!a.no_color && !a.local && !a.no_trunc);
    FAILS("takes no value", "config", "list", "--no-color=1");
}

Test(args, completion_commands_need_a_known_shell)
{
    OK("completion", "bash");
    cr_assert_eq(a.cmd, MVC_CMD_COMPLETION_BASH);
    OK("completion", "zsh");
    cr_assert_eq(a.cmd, MVC_CMD_COMPLETION_ZSH);
    FAILS("unknown command 'completion fish'", "completion", "fish");
}

Test(args, logs_get_with_limit_in_equals_form)
{
    OK("logs", "get", "--limit=250", DEV);
    cr_assert_eq(a.cmd, MVC_CMD_LOGS_GET);
    cr_assert_eq(a.limit, 250);
    cr_assert_str_eq(a.device, DEV);
}

Test(args, config_commands_at_both_scopes)
{
    OK("config", "set", "k", "v");
    cr_assert_eq(a.cmd, MVC_CMD_CONFIG_SET);
    cr_assert_str_eq(a.key, "k");
    cr_assert_str_eq(a.value, "v");
    cr_assert_null(a.device);
    OK("config", "get", "--device", DEV, "k");
    cr_assert_eq(a.cmd, MVC_CMD_CONFIG_GET);
    cr_assert_str_eq(a.device, DEV);
    OK("config", "list");
    cr_assert_eq(a.cmd, MVC_CMD_CONFIG_LIST);
    OK("config", "delete", "k", "--device", DEV);
    cr_assert_eq(a.cmd, MVC_CMD_CONFIG_DELETE);
    cr_assert_str_eq(a.key, "k");
}

Test(args, secret_commands_and_stdin_dash)
{
    OK("secret", "set", "s", "-");
    cr_assert_eq(a.cmd, MVC_CMD_SECRET_SET);
    cr_assert_str_eq(a.value, "-");
    OK("secret", "list", "--device", DEV);
    cr_assert_eq(a.cmd, MVC_CMD_SECRET_LIST);
    OK("secret", "delete", "s");
    cr_assert_eq(a.cmd, MVC_CMD_SECRET_DELETE);
}

Test(args, devices_commands)
{
    OK("devices", "list");
    cr_assert_eq(a.cmd, MVC_CMD_DEVICES_LIST);
    OK("devices", "show", DEV);
    cr_assert_eq(a.cmd, MVC_CMD_DEVICES_SHOW);
    cr_assert_str_eq(a.key, DEV);
    OK("devices", "provision", "--out", "/tmp/x", "--csr", "c.pem");
    cr_assert_eq(a.cmd, MVC_CMD_DEVICES_PROVISION);
    cr_assert_str_eq(a.out, "/tmp/x");
    cr_assert_str_eq(a.csr, "c.pem");
}

Test(args, global_options_anywhere)
{
    OK("--url", "https://h:1", "devices", "--token=t", "list", "--cacert", "ca.pem", "--json");
    cr_assert_str_eq(a.url, "https://h:1");
    cr_assert_str_eq(a.token, "t");
    cr_assert_str_eq(a.cacert, "ca.pem");
    cr_assert(a.json);
}

Test(args, double_dash_ends_options)
{
    OK("config", "set", "k", "--", "--not-an-option");
    cr_assert_str_eq(a.value, "--not-an-option");
}

Test(args, help_everywhere_even_on_partial_lines)
{
    OK("--help");
    cr_assert(a.help);
    cr_assert_eq(a.cmd, MVC_CMD_NONE);
    OK("config", "-h");
    cr_assert(a.help);
    cr_assert_eq(a.group, MVC_GROUP_CONFIG);
    OK("config", "set", "--help");
    cr_assert(a.help);
    cr_assert_eq(a.cmd, MVC_CMD_CONFIG_SET);
    OK("logs", "stream", "--help");
    cr_assert_eq(a.cmd, MVC_CMD_LOGS_STREAM);
}

Test(args, usage_errors_name_the_problem)
{
    FAILS("missing command", "--json");
    FAILS("unknown command 'frob'", "frob");
    FAILS("missing subcommand", "config");
    FAILS("unknown command 'config frob'", "config", "frob");
    FAILS("missing argument", "config", "set", "k");
    FAILS("too many arguments", "config", "get", "a", "b");
    FAILS("missing argument", "logs", "get");
    FAILS("unknown option '--frob'", "devices", "list", "--frob");
    FAILS("unknown option '-x'", "devices", "list", "-x");
    FAILS("needs a value", "devices", "list", "--url");
    FAILS("takes no value", "devices", "list", "--json=1");
    FAILS("does not apply", "devices", "list", "--device", DEV);
    FAILS("does not apply", "config", "list", "--limit", "3");
    FAILS("does not apply", "logs", "stream", DEV, "--limit", "3");
}

Test(args, limit_must_be_in_range)
{
    FAILS("--limit must be", "logs", "get", DEV, "--limit", "0");
    FAILS("--limit must be", "logs", "get", DEV, "--limit", "12x");
    FAILS("--limit must be", "logs", "get", DEV, "--limit", "99999999999");
    OK("logs", "get", DEV, "--limit", "1000000");
    cr_assert_eq(a.limit, MVC_LOGS_LIMIT_MAX);
}

Test(args, device_ids_and_keys_are_validated)
{
    FAILS("not a device id", "logs", "get", "UV123");
    FAILS("not a device id", "devices", "show", "UV0123456789ABCDEF0123456789abcdef");
    FAILS("not a device id", "config", "list", "--device", "XX0123456789abcdef0123456789abcdef");
    FAILS("invalid key", "config", "get", "has space");
    FAILS("invalid key", "secret", "set", "", "v");
    char key[MVC_KEY_MAX + 2];
    memset(key, 'k', sizeof(key) - 1);
    key[sizeof(key) - 1] = '\0';
    FAILS("invalid key", "config", "get", key);
    key[MVC_KEY_MAX] = '\0';
    OK("config", "get", key);
}

Test(args, value_length_is_bounded)
{
    static char v[MVC_VALUE_MAX + 2];
    memset(v, 'v', MVC_VALUE_MAX + 1);
    FAILS("value too long", "config", "set", "k", v);
    v[MVC_VALUE_MAX] = '\0';
    OK("config", "set", "k", v);
}

Test(args, usage_text_names_the_command)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    OK("secret", "set", "--help");
    mvc_args_usage(f, &a);
    fclose(f);
    cr_assert(strstr(buf, "usage: mvcli secret set"), "got: %s", buf);
    cr_assert(strstr(buf, "--token"), "global options missing");
    free(buf);
}

Test(args, apps_bundle_takes_version_as_the_app_version)
{
    OK("apps", "bundle", "--key", "k.pem", "--version", "2.1", "app.so", "-o", "app.mvb");
    cr_assert_eq(a.cmd, MVC_CMD_APPS_BUNDLE);
    cr_assert_not(a.version, "--version on apps bundle is not the program's version");
    cr_assert_str_eq(a.app_version, "2.1");
    cr_assert_str_eq(a.sign_key, "k.pem");
    cr_assert_str_eq(a.out, "app.mvb");
    cr_assert_str_eq(a.key, "app.so");
    FAILS("needs --key", "apps", "bundle", "--version", "2", "app.so", "-o", "x");
    FAILS("does not apply", "apps", "list", "--key", "k.pem");
}

Test(args, apps_and_deploy_commands)
{
    OK("apps", "upload", "app.mvb");
    cr_assert_eq(a.cmd, MVC_CMD_APPS_UPLOAD);
    OK("apps", "keygen", "--out", "me");
    cr_assert_eq(a.cmd, MVC_CMD_APPS_KEYGEN);
    OK("devices", "deploy", DEV, "AP0123");
    cr_assert_eq(a.cmd, MVC_CMD_DEVICES_DEPLOY);
    cr_assert_str_eq(a.value, "AP0123");
    FAILS("not a device id", "devices", "deploy", "UVx", "AP0123");
    OK("--version");
    cr_assert(a.version);
}
