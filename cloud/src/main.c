/* mvrelay entry point: configuration (file, then flags) and the server run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvr/config.h"
#include "mvr/log.h"
#include "mvr/server.h"

int main(int argc, char **argv)
{
    static struct mvr_config cfg;
    char err[1024];
    const char *lvl = getenv("MVR_LOG_LEVEL");
    mvr_config_defaults(&cfg);
    if (lvl && !strcmp(lvl, "debug"))
        mvr_log_set_level(MVR_DEBUG);
    for (int i = 1; i < argc; i++) {
        const char *file = !strncmp(argv[i], "--config=", 9) ? argv[i] + 9
                           : !strcmp(argv[i], "--config") && i + 1 < argc ? argv[i + 1]
                                                                          : NULL;
        if (file && mvr_config_file(&cfg, file, err, sizeof err)) {
            fprintf(stderr, "mvrelay: %s\n", err);
            return 1;
        }
    }
    int rc = mvr_config_args(&cfg, argc, argv, err, sizeof err);
    if (rc == 1)
        return 0;
    if (rc < 0) {
        fprintf(stderr, "mvrelay: %s\n", err);
        return 1;
    }
    return mvr_server_run(&cfg);
}
