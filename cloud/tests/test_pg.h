/* Helpers for running store tests on PostgreSQL (cloud/tests/test_store_pg.c). */
#ifndef MVR_TEST_PG_H
#define MVR_TEST_PG_H

#include <stddef.h>
#include <stdint.h>

/* Empties the database at url (drops and recreates schema public). */
void test_pg_reset(const char *url);
/* Runs sql on its own connection; copies the first row's first column (binary form) into
 * out when out is set. Returns the copied length. */
size_t test_pg_sql(const char *url, const char *sql, uint8_t *out, size_t cap);

#endif
