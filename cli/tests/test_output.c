/* Tests of output formatting (src/output.c): aligned tables, null fields,
 * log lines and gaps, escaping of control characters, JSON output. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvc/output.h"

static char *buf;
static size_t len;
static FILE *f;

static void open_out(void)
{
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
