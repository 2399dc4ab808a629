/* The embedded SQL migrations (generated from cloud/sql/ at build time).
 * Migration i brings the database from user_version i to i + 1. */
#ifndef MVR_SCHEMA_H
#define MVR_SCHEMA_H

extern const char *const mvr_schema_migrations[];
extern const unsigned mvr_schema_count;

#endif
