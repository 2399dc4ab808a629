/* Tests of percent-encoding (src/url.c) for keys that would otherwise
 * change a URL's meaning, and of its bounds. */
#include <criterion/criterion.h>
#include <string.h>

#include "mvc/url.h"

Test(url, unreserved_characters_pass_through)
{
    char out[64];
    cr_assert_eq(mvc_url_escape("Az09-._~", out, sizeof(out)), 0);
    cr_assert_str_eq(out, "Az09-._~");
}

Test(url, reserved_characters_are_encoded)
{
    char out[64];
    cr_assert_eq(mvc_url_escape("a/b?c#d%e f:+", out, sizeof(out)), 0);
    cr_assert_str_eq(out, "a%2Fb%3Fc%23d%25e%20f%3A%2B");
}

Test(url, output_that_does_not_fit_is_refused)
{
    char out[4];
    cr_assert_eq(mvc_url_escape("abc", out, sizeof(out)), 0);
    cr_assert_str_eq(out, "abc");
    cr_assert_eq(mvc_url_escape("abcd", out, sizeof(out)), -1);
    cr_assert_eq(mvc_url_escape("a/", out, sizeof(out)), -1, "%%2F needs 3 more bytes");
}
