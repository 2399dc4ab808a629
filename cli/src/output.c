/* Output formatting for mvcli: tables whose columns come from JSON fields,
 * one-line log records, and escaping of untrusted text (device log messages,
 * config values) so that control sequences are shown, not executed. */
#include "mvc/output.h"

#include <stdbool.h>
#include <string.h>

#define CELL_MAX 4200 /* a config value (4096) escaped stays readable, longer is cut */
#define COLS_MAX 6

struct col {
    const char *hdr;
    const char *field;
};

void mvc_out_json(FILE *f, const json_t *j)
{
    json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
}

void mvc_out_json_line(FILE *f, const json_t *j)
{
    json_dumpf(j, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fputc('\n', f);
}

void mvc_out_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
}

/* Escapes s like mvc_out_escaped into buf, cutting it to fit len. */
static void escape_into(char *buf, size_t len, const char *s)
{
    size_t o = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool esc = (c < 0x20 && c != '\t') || c == 0x7f;
        if (o + (esc ? 4 : 1) >= len)
            break;
        if (esc)
            o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
        else
            buf[o++] = (char)c;
    }
    buf[o] = '\0';
}

/* Renders a JSON scalar as cell text into buf (escaped, bounded). */
static const char *cell(const json_t *v, char *buf, size_t len)
{
    if (json_is_string(v)) {
        escape_into(buf, len, json_string_value(v));
        return buf;
    }
    if (json_is_true(v))
        return "yes";
    if (json_is_false(v))
        return "no";
    if (json_is_integer(v)) {
        snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
    }
    return "-";
}

/* The last column is not padded, so lines carry no trailing blanks. */
static void put_cell(FILE *f, const char *text, size_t width, bool last)
{
    if (last)
        fprintf(f, "%s\n", text);
    else
        fprintf(f, "%-*s  ", (int)width, text);
}

static void table(FILE *f, const json_t *rows, const struct col *cols, size_t ncols)
{
    size_t w[COLS_MAX] = {0};
    char buf[CELL_MAX];
    size_t i;
    const json_t *row;

    for (size_t c = 0; c < ncols; c++)
        w[c] = strlen(cols[c].hdr);
    json_array_foreach (rows, i, row) {
        for (size_t c = 0; c < ncols; c++) {
            size_t n = strlen(cell(json_object_get(row, cols[c].field), buf, sizeof(buf)));
            if (n > w[c])
                w[c] = n;
        }
    }
    for (size_t c = 0; c < ncols; c++)
        put_cell(f, cols[c].hdr, w[c], c + 1 == ncols);
    json_array_foreach (rows, i, row) {
        for (size_t c = 0; c < ncols; c++)
            put_cell(f, cell(json_object_get(row, cols[c].field), buf, sizeof(buf)), w[c],
                     c + 1 == ncols);
    }
}

void mvc_out_devices(FILE *f, const json_t *devices)
{
    static const struct col cols[] = {{"ID", "id"},
                                      {"ONLINE", "online"},
                                      {"LAST SEEN", "last_seen"},
                                      {"BOOT", "boot_id"},
                                      {"REMOTE", "remote_addr"}};
    table(f, devices, cols, sizeof(cols) / sizeof(cols[0]));
}

void mvc_out_device(FILE *f, const json_t *device)
{
    static const char *fields[] = {"id",      "created_at", "online",
                                   "last_seen", "boot_id",  "remote_addr"};
    char buf[CELL_MAX];
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        fprintf(f, "%-12s %s\n", fields[i],
                cell(json_object_get(device, fields[i]), buf, sizeof(buf)));
    mvc_out_update(f, device);
}

void mvc_out_configs(FILE *f, const json_t *configs)
{
    static const struct col cols[] = {
        {"KEY", "key"}, {"SCOPE", "scope"}, {"UPDATED", "updated_at"}, {"VALUE", "value"}};
    table(f, configs, cols, sizeof(cols) / sizeof(cols[0]));
}

void mvc_out_secrets(FILE *f, const json_t *secrets)
{
    static const struct col cols[] = {
        {"KEY", "key"}, {"SCOPE", "scope"}, {"UPDATED", "updated_at"}};
    table(f, secrets, cols, sizeof(cols) / sizeof(cols[0]));
}

void mvc_out_log(FILE *f, const json_t *rec)
{
    char t[CELL_MAX], b[CELL_MAX];
    const char *kind = json_string_value(json_object_get(rec, "kind"));
    fprintf(f, "%s %s:%s ", cell(json_object_get(rec, "received_at"), t, sizeof(t)),
            cell(json_object_get(rec, "boot_id"), b, sizeof(b)),
            cell(json_object_get(rec, "seq"), (char[32]){0}, 32));
    if (kind && strcmp(kind, "gap") == 0) {
        json_t *d = json_object_get(rec, "dropped");
        fprintf(f, "[gap: %" JSON_INTEGER_FORMAT " records dropped on the device]\n",
                json_is_integer(d) ? json_integer_value(d) : 0);
        return;
    }
    const char *msg = json_string_value(json_object_get(rec, "message"));
    mvc_out_escaped(f, msg ? msg : "");
    fputc('\n', f);
}
