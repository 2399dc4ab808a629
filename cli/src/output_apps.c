/* Output of the OTA commands: the apps table and the update lines of `devices show`.
 * Values come from the relay; a device's reason text is escaped before printing. */
#include <string.h>

#include "mvc/output.h"

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "-";
}

void mvc_out_apps(FILE *f, const json_t *apps)
{
    size_t i;
    json_t *a;
    fprintf(f, "%-34s  %-16s  %-12s  %-6s  %9s  %s\n", "ID", "NAME", "VERSION", "PORT", "SIZE",
            "CREATED");
    json_array_foreach(apps, i, a)
    {
        fprintf(f, "%-34s  %-16s  %-12s  %-6s  %9" JSON_INTEGER_FORMAT "  %s\n", str(a, "id"),
                str(a, "name"), str(a, "version"), str(a, "port"),
                json_integer_value(json_object_get(a, "size")), str(a, "created_at"));
    }
}

void mvc_out_update(FILE *f, const json_t *device)
{
    const json_t *u = json_object_get(device, "update");
    fprintf(f, "%-12s %s\n", "target_app", str(device, "target_app"));
    if (!json_is_object(u)) {
        fprintf(f, "%-12s -\n", "update");
        return;
    }
    const char *state = str(u, "state");
    fprintf(f, "%-12s %s", "update", state);
    if (!strcmp(state, "downloading"))
        fprintf(f, " (offset %" JSON_INTEGER_FORMAT ")",
                json_integer_value(json_object_get(u, "offset")));
    fprintf(f, " %s", str(u, "app_id"));
    const char *why = json_string_value(json_object_get(u, "reason"));
    if (why) {
        fputs(": ", f);
        mvc_out_escaped(f, why);
    }
    fprintf(f, "\n%-12s %s\n", "update_at", str(u, "updated_at"));
}
