/* The embedded SQL migrations (generated from cloud/sql/ at build time), one array per
 * store backend from the same files. Migration i brings the database from version i to
 * i + 1 (SQLite: PRAGMA user_version; PostgreSQL: the mvr_schema table). */
#ifndef MVR_SCHEMA_H
#define MVR_SCHEMA_H

extern const char *const mvr_schema_migrations[];
extern const char *const mvr_schema_pg_migrations[];
extern const unsigned mvr_schema_count;

#endif
