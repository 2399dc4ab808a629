/* Where mvcli finds the relay: URL, token and CA, resolved from flags, then
 * the environment, then the config file, then built-in defaults. The sources
 * are passed in explicitly so that the precedence can be unit-tested. */
#ifndef MVC_CONFIG_H
#define MVC_CONFIG_H

#include <stddef.h>

#define MVC_DEFAULT_URL "https://127.0.0.1:7444"
#define MVC_CONFIG_VALUE_MAX 4096

struct mvc_config {
    char url[MVC_CONFIG_VALUE_MAX];
    char token[MVC_CONFIG_VALUE_MAX];
    char cacert[MVC_CONFIG_VALUE_MAX]; /* empty: the system's CA store */
};

/* One candidate per setting from each source; NULL where the source is silent. */
struct mvc_config_sources {
    const char *flag_url, *flag_token, *flag_cacert;
    const char *env_url, *env_token, *env_cacert;
    const char *file; /* config file path; a missing file is not an error */
};

/* Fills *c. Returns 0, or -1 with a message in err when the file is
 * unreadable or malformed, or a value is too long. */
int mvc_config_resolve(struct mvc_config *c, const struct mvc_config_sources *s, char *err,
                       size_t errlen);

/* Fills the env_* and file members from the process environment
 * (MVCLI_URL, MVCLI_TOKEN, MVCLI_CACERT, MVCLI_CONFIG, HOME). path is the
 * caller's buffer for the default file name. */
void mvc_config_sources_from_env(struct mvc_config_sources *s, char *path, size_t pathlen);

#endif
