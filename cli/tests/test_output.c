/* Tests of output formatting (src/output.c): aligned tables, null fields,
 * log lines and gaps, escaping of control characters, JSON output; long cells cut
 * with an ellipsis, colours only when asked, local times. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mvc/output.h"

static char *buf;
static size_t len;
static FILE *f;

static void open_out(void)
{
    mvc_out_set_style(&(struct mvc_out_style){0}); /* plain: no colour, UTC, 48-char cells */
    f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
}

static const char *close_out(void)
{
    fclose(f);
    return buf;
}

static void cleanup(void)
{
    free(buf);
    buf = NULL;
}

TestSuite(output, .init = open_out, .fini = cleanup);

static json_t *load(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    cr_assert_not_null(j, "bad test JSON: %s", e.text);
    return j;
}

Test(output, config_table_is_aligned_with_header)
{
    json_t *j = load("[{\"key\":\"a\",\"value\":\"1\",\"scope\":\"account\",\"updated_at\":\"T1\"},"
                     "{\"key\":\"longer-key\",\"value\":\"two\",\"scope\":\"device\","
                     "\"updated_at\":\"T2\"}]");
    mvc_out_configs(f, j);
    cr_assert_str_eq(close_out(), "KEY         SCOPE    UPDATED  VALUE\n"
                                  "a           account  T1       1\n"
                                  "longer-key  device   T2       two\n");
    json_decref(j);
}

Test(output, devices_table_shows_booleans_and_nulls)
{
    json_t *j = load("[{\"id\":\"UV01\",\"online\":true,\"last_seen\":null,\"boot_id\":null,"
                     "\"remote_addr\":\"127.0.0.1:5\"},{\"id\":\"UV02\",\"online\":false}]");
    mvc_out_devices(f, j);
    cr_assert_str_eq(close_out(), "ID    ONLINE  LAST SEEN  BOOT  REMOTE\n"
                                  "UV01  yes     -          -     127.0.0.1:5\n"
                                  "UV02  no      -          -     -\n");
    json_decref(j);
}

Test(output, secrets_table_has_no_value_column)
{
    json_t *j = load("[{\"key\":\"s\",\"scope\":\"account\",\"updated_at\":\"T\","
                     "\"value\":\"leak\"}]");
    mvc_out_secrets(f, j);
    const char *out = close_out();
    cr_assert_null(strstr(out, "leak"), "a secret value was printed: %s", out);
    cr_assert_str_eq(out, "KEY  SCOPE    UPDATED\ns    account  T\n");
    json_decref(j);
}

Test(output, empty_list_prints_only_the_header)
{
    json_t *j = json_array();
    mvc_out_secrets(f, j);
    cr_assert_str_eq(close_out(), "KEY  SCOPE  UPDATED\n");
    json_decref(j);
}

Test(output, device_block_lists_fields)
{
    json_t *j = load("{\"id\":\"UV01\",\"created_at\":\"T\",\"online\":false}");
    mvc_out_device(f, j);
    const char *out = close_out();
    cr_assert(strstr(out, "id           UV01\n"), "got: %s", out);
    cr_assert(strstr(out, "online       no\n"), "got: %s", out);
    cr_assert(strstr(out, "remote_addr  -\n"), "got: %s", out);
    json_decref(j);
}

Test(output, log_message_line)
{
    json_t *j = load("{\"cursor\":\"00aa:3\",\"boot_id\":\"00aa\",\"seq\":3,\"kind\":\"msg\","
                     "\"message\":\"hello\",\"received_at\":\"2026-11-23T10:00:00.000001Z\"}");
    mvc_out_log(f, j);
    cr_assert_str_eq(close_out(), "2026-11-23T10:00:00.000001Z 00aa:3 hello\n");
    json_decref(j);
}

Test(output, log_gap_line)
{
    json_t *j = load("{\"boot_id\":\"00aa\",\"seq\":4,\"kind\":\"gap\",\"message\":null,"
                     "\"dropped\":17,\"received_at\":\"T\"}");
    mvc_out_log(f, j);
    cr_assert_str_eq(close_out(), "T 00aa:4 [gap: 17 records dropped on the device]\n");
    json_decref(j);
}

Test(output, control_characters_are_escaped)
{
    json_t *j = load("{\"boot_id\":\"b\",\"seq\":1,\"kind\":\"msg\",\"received_at\":\"T\","
                     "\"message\":\"a\\u001b[2Jb\\nc\\td\\u007f\"}");
    mvc_out_log(f, j);
    cr_assert_str_eq(close_out(), "T b:1 a\\x1b[2Jb\\x0ac\td\\x7f\n");
    json_decref(j);
}

Test(output, table_cells_are_escaped_too)
{
    json_t *j = load("[{\"key\":\"k\",\"value\":\"x\\u001by\",\"scope\":\"account\","
                     "\"updated_at\":\"T\"}]");
    mvc_out_configs(f, j);
    cr_assert(strstr(close_out(), "x\\x1by"), "got: %s", buf);
    json_decref(j);
}

Test(output, json_line_is_compact_and_ordered)
{
    json_t *j = load("{\"b\":1,\"a\":[1,2]}");
    mvc_out_json_line(f, j);
    cr_assert_str_eq(close_out(), "{\"b\":1,\"a\":[1,2]}\n");
    json_decref(j);
}

Test(output, json_is_indented)
{
    json_t *j = load("{\"a\":1}");
    mvc_out_json(f, j);
    cr_assert_str_eq(close_out(), "{\n  \"a\": 1\n}\n");
    json_decref(j);
}

static json_t *long_config(void)
{
    char text[512];
    snprintf(text, sizeof text,
             "[{\"key\":\"%s\",\"value\":\"%s\",\"scope\":\"account\",\"updated_at\":\"T\"}]",
             "k-0123456789012345678901234567890123456789012345678901234567890123456789",
             "v-0123456789012345678901234567890123456789012345678901234567890123456789");
    return load(text);
}

Test(output, long_cells_are_cut_with_an_ellipsis)
{
    json_t *j = long_config();
    mvc_out_configs(f, j);
    const char *out = close_out();
    /* KEY cut to 48 characters (45 + "..."), the column padded to that width. */
    cr_assert(strstr(out, "\nk-0123456789012345678901234567890123456789012...  account"),
              "got: %s", out);
    cr_assert(strstr(out, "v-0123456789012345678901234567890123456789012...\n"), "got: %s", out);
    json_decref(j);
}

Test(output, utf8_ellipsis_is_one_character)
{
    mvc_out_set_style(&(struct mvc_out_style){.utf8 = true});
    json_t *j = long_config();
    mvc_out_configs(f, j);
    const char *out = close_out();
    cr_assert(strstr(out, "\nk-012345678901234567890123456789012345678901234\u2026  account"),
              "got: %s", out);
    json_decref(j);
}

Test(output, no_trunc_keeps_whole_values)
{
    mvc_out_set_style(&(struct mvc_out_style){.no_trunc = true});
    json_t *j = long_config();
    mvc_out_configs(f, j);
    const char *out = close_out();
    cr_assert(strstr(out, "0123456789012345678901234567890123456789012345678901234567890123456789\n"),
              "got: %s", out);
    cr_assert_null(strstr(out, "..."));
    json_decref(j);
}

Test(output, last_column_fits_the_terminal)
{
    mvc_out_set_style(&(struct mvc_out_style){.width = 60});
    json_t *j = load("[{\"key\":\"k\",\"value\":\"0123456789012345678901234567890123456789\","
                     "\"scope\":\"account\",\"updated_at\":\"2026-11-23T10:00:00.000001Z\"}]");
    mvc_out_configs(f, j);
    const char *out = close_out();
    /* 3 + 2 + 7 + 2 + 27 + 2 = 43 columns before VALUE: 17 left for it. */
    cr_assert(strstr(out, "  01234567890123...\n"), "got: %s", out);
    json_decref(j);
}

Test(output, colour_only_when_enabled)
{
    json_t *j = load("{\"boot_id\":\"b\",\"seq\":1,\"kind\":\"msg\",\"received_at\":\"T\","
                     "\"message\":\"m\"}");
    mvc_out_log(f, j);
    cr_assert_null(strstr(close_out(), "\033["), "colour without being asked: %s", buf);
    free(buf);
    buf = NULL;
    mvc_out_set_style(&(struct mvc_out_style){.color = true});
    f = open_memstream(&buf, &len);
    mvc_out_log(f, j);
    cr_assert_str_eq(close_out(), "\033[2mT\033[0m \033[36mb:1\033[0m m\n");
    json_decref(j);
}

Test(output, local_times_carry_their_offset)
{
    setenv("TZ", "UTC-2", 1); /* POSIX: two hours east of UTC, no tz database needed */
    tzset();
    mvc_out_set_style(&(struct mvc_out_style){.local = true});
    json_t *j = load("{\"boot_id\":\"b\",\"seq\":1,\"kind\":\"msg\","
                     "\"received_at\":\"2026-11-23T23:30:00.000250Z\",\"message\":\"m\"}");
    mvc_out_log(f, j);
    cr_assert_str_eq(close_out(), "2026-11-24T01:30:00.000250+02:00 b:1 m\n");
    json_decref(j);
}
