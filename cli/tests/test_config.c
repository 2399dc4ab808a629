/* Tests of settings resolution (src/config.c): flag > environment > file >
 * default, file syntax and its errors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mvc/config.h"

static struct mvc_config c;
static char err[512];
static char path[64];

static const char *write_cfg(const char *text)
{
    strcpy(path, "/tmp/mvc_cfg_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void cleanup(void)
{
    if (path[0])
        unlink(path);
    path[0] = '\0';
}

TestSuite(config, .fini = cleanup);

Test(config, defaults_when_nothing_is_set)
{
    struct mvc_config_sources s = {.file = "/nonexistent/mvcli/config"};
    cr_assert_eq(mvc_config_resolve(&c, &s, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(c.url, MVC_DEFAULT_URL);
    cr_assert_str_eq(c.token, "");
    cr_assert_str_eq(c.cacert, "");
}

Test(config, file_values_are_read_with_comments_and_blanks)
{
    struct mvc_config_sources s = {
        .file = write_cfg("# mvcli\n\n  url = https://f:1/  \ntoken=ftok\ncacert = /f/ca.pem\n")};
    cr_assert_eq(mvc_config_resolve(&c, &s, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(c.url, "https://f:1", "trailing slash must be dropped");
    cr_assert_str_eq(c.token, "ftok");
    cr_assert_str_eq(c.cacert, "/f/ca.pem");
}

Test(config, env_overrides_file)
{
    struct mvc_config_sources s = {.file = write_cfg("url = https://f:1\ntoken = ftok\n"),
                                   .env_url = "https://e:2",
                                   .env_token = "etok"};
    cr_assert_eq(mvc_config_resolve(&c, &s, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(c.url, "https://e:2");
    cr_assert_str_eq(c.token, "etok");
}

Test(config, flag_overrides_env_and_file)
{
    struct mvc_config_sources s = {.file = write_cfg("url = https://f:1\ncacert = fca\n"),
                                   .env_url = "https://e:2",
                                   .env_cacert = "eca",
                                   .flag_url = "https://g:3",
                                   .flag_cacert = "gca"};
    cr_assert_eq(mvc_config_resolve(&c, &s, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(c.url, "https://g:3");
    cr_assert_str_eq(c.cacert, "gca");
}

Test(config, empty_env_does_not_override)
{
    struct mvc_config_sources s = {.file = write_cfg("token = ftok\n"), .env_token = ""};
    cr_assert_eq(mvc_config_resolve(&c, &s, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(c.token, "ftok");
}

Test(config, malformed_line_is_an_error_with_line_number)
{
    struct mvc_config_sources s = {.file = write_cfg("url = x\nthis is wrong\n")};
    cr_assert_eq(mvc_config_resolve(&c, &s, err, sizeof(err)), -1);
    cr_assert(strstr(err, ":2:"), "got: %s", err);
}

Test(config, unknown_setting_is_an_error)
{
    struct mvc_config_sources s = {.file = write_cfg("tokn = x\n")};
    cr_assert_eq(mvc_config_resolve(&c, &s, err, sizeof(err)), -1);
    cr_assert(strstr(err, "unknown setting 'tokn'"), "got: %s", err);
}

Test(config, too_long_flag_value_is_an_error)
{
    static char big[MVC_CONFIG_VALUE_MAX + 10];
    memset(big, 'a', sizeof(big) - 1);
    struct mvc_config_sources s = {.flag_token = big};
    cr_assert_eq(mvc_config_resolve(&c, &s, err, sizeof(err)), -1);
    cr_assert(strstr(err, "too long"), "got: %s", err);
}

Test(config, sources_from_env_prefers_mvcli_config)
{
    char buf[256];
    struct mvc_config_sources s = {0};
    setenv("MVCLI_CONFIG", "/x/cfg", 1);
    setenv("MVCLI_URL", "https://env:9", 1);
    mvc_config_sources_from_env(&s, buf, sizeof(buf));
    cr_assert_str_eq(s.file, "/x/cfg");
    cr_assert_str_eq(s.env_url, "https://env:9");
    unsetenv("MVCLI_CONFIG");
    setenv("HOME", "/home/u", 1);
    mvc_config_sources_from_env(&s, buf, sizeof(buf));
    cr_assert_str_eq(s.file, "/home/u/.config/mvcli/config");
}

Test(config, quoted_values_mean_the_text_inside)
{
    struct mvc_config_sources s = {
        .file = write_cfg("url = \"https://q:1\"\ntoken = 'tok en'\ncacert = \"\"\n")};
    cr_assert_eq(mvc_config_resolve(&c, &s, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(c.url, "https://q:1");
    cr_assert_str_eq(c.token, "tok en");
    cr_assert_str_eq(c.cacert, "");
}

Test(config, unmatched_quote_is_an_error_with_line_number)
{
    struct mvc_config_sources s = {.file = write_cfg("\nurl = \"https://q:1\n")};
    cr_assert_eq(mvc_config_resolve(&c, &s, err, sizeof(err)), -1);
    cr_assert(strstr(err, ":2: unmatched quote"), "got: %s", err);
}
