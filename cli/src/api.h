/* REST API calls for mvcli: JSON in, JSON out, and the API's error body
 * turned into a printed "code: message" plus exit status 2. */
#ifndef MVC_API_H
#define MVC_API_H

#include <jansson.h>

#include "http.h"

/* Performs METHOD path with an optional JSON body (not stolen). On success
 * returns MVC_EXIT_OK and *out gets a new reference to the response JSON
 * (NULL for an empty body, e.g. 204); the caller owns it. Otherwise returns
 * MVC_EXIT_API or MVC_EXIT_CONN after printing the reason. */
int mvc_api_call(struct mvc_http *h, const char *method, const char *path, json_t *body,
                 json_t **out);

/* Prints an API error from status and body (the {"code","message"} object
 * when it parses) to stderr, with a hint for the usual causes. */
void mvc_api_print_error(long status, const char *body);

/* GETs every page of a paginated list (page_token / meta.next_page_token)
 * and returns {"<field>": [all items]} in *out (caller owns it). */
int mvc_api_list_all(struct mvc_http *h, const char *path, const char *field, json_t **out);

#endif
