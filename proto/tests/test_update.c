/* Unit tests for proto/src/update.c: the update channel messages' limits and refusals
 * (golden vectors and truncation sweeps are in test_golden.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "mvp/update.h"
#include "mvp/wire.h"

Test(update, status_refuses_unknown_state_and_reserved)
{
    uint8_t b[64];
    struct mvp_upd_status m = { .state = MVP_UPD_STATE_MAX + 1 };

    cr_assert_eq(mvp_upd_status_encode(&m, b, sizeof b), -MVP_E_INVALID);
    m.state = MVP_UPD_IDLE;
    int n = mvp_upd_status_encode(&m, b, sizeof b);
    cr_assert_eq(n, 12);
    b[1] = 1;
    cr_assert_eq(mvp_upd_status_decode(b, (size_t)n, &m), -MVP_E_INVALID);
    b[1] = 0;
    b[0] = 6;
    cr_assert_eq(mvp_upd_status_decode(b, (size_t)n, &m), -MVP_E_INVALID);
}

Test(update, app_id_must_be_printable_and_bounded)
{
    uint8_t b[128], id[MVP_UPD_MAX_APP_ID + 1];
    struct mvp_upd_fetch f = { .offset = 1, .app_id = (const uint8_t *)"A B", .app_id_len = 3 };

    cr_assert_eq(mvp_upd_fetch_encode(&f, b, sizeof b), -MVP_E_INVALID);
    f.app_id_len = 0;
    cr_assert_eq(mvp_upd_fetch_encode(&f, b, sizeof b), -MVP_E_INVALID);
    memset(id, 'A', sizeof id);
    f.app_id = id;
    f.app_id_len = MVP_UPD_MAX_APP_ID + 1;
    cr_assert_eq(mvp_upd_fetch_encode(&f, b, sizeof b), -MVP_E_TOO_LONG);
    f.app_id_len = MVP_UPD_MAX_APP_ID;
    cr_assert_gt(mvp_upd_fetch_encode(&f, b, sizeof b), 0);
}

Test(update, offer_and_chunk_limits)
{
    uint8_t b[MVP_UPD_MAX_CHUNK + 64];
    static uint8_t data[MVP_UPD_MAX_CHUNK + 1];
    struct mvp_upd_offer o = { .size = MVP_UPD_MAX_BUNDLE + 1, .app_id = (const uint8_t *)"X",
                               .app_id_len = 1 };
    struct mvp_upd_chunk c = { .offset = 0, .data = data, .len = MVP_UPD_MAX_CHUNK + 1 };

    cr_assert_eq(mvp_upd_offer_encode(&o, b, sizeof b), -MVP_E_TOO_LONG);
    o.size = 0;
    cr_assert_eq(mvp_upd_offer_encode(&o, b, sizeof b), -MVP_E_INVALID);
    cr_assert_eq(mvp_upd_chunk_encode(&c, b, sizeof b), -MVP_E_TOO_LONG);
    c.len = MVP_UPD_MAX_CHUNK;
    int n = mvp_upd_chunk_encode(&c, b, sizeof b);
    cr_assert_eq(n, 8 + MVP_UPD_MAX_CHUNK);
    cr_assert_eq(mvp_upd_chunk_decode(b, (size_t)n, &c), 0);
    /* An empty chunk would let a relay stall a download forever without progress. */
    uint8_t empty[8] = { 0 };
    cr_assert_eq(mvp_upd_chunk_decode(empty, sizeof empty, &c), -MVP_E_INVALID);
}
