/* Golden vectors: the hex below is the normative byte layout published in
 * proto/PROTOCOL.md ("Golden vectors"). The encoders must produce it, the decoders
 * must accept it and re-encode it identically, and the document must list exactly
 * these vectors (test golden.protocol_md_lists_the_same_vectors). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "golden.h"
#include "helpers.h"
#include "reencode.h"
#include "mvp/frame.h"
#include "mvp/msg.h"
#include "mvp/wire.h"

#ifndef MVP_PROTO_DIR
#define MVP_PROTO_DIR "proto"
#endif

struct golden_hex {
    const char *name;
    const char *hex;
};

static const struct golden_hex golden_hex[] = {
    { "hello",
      "01 00 00 00 00 00 00 1c 01 01 00 00 01 02 03 04 "
      "05 06 07 08 00 00 00 05 00 00 00 00 00 06 66 77 "
      "2d 31 2e 30" },
    { "welcome",
      "02 00 00 00 00 00 00 20 01 00 00 00 00 06 0a 24 "
      "18 1e 40 00 00 00 40 00 00 00 40 00 00 00 00 1e "
      "00 00 00 02 00 00 00 04" },
    { "open",
      "03 00 00 01 00 00 00 0e 00 00 00 00 00 00 10 00 "
      "00 04 65 63 68 6f" },
    { "open_ok",
      "04 00 00 01 00 00 00 04 00 00 40 00" },
    { "open_err",
      "05 00 00 02 00 00 00 16 00 00 00 0d 00 10 75 6e "
      "6b 6e 6f 77 6e 20 65 6e 64 70 6f 69 6e 74" },
    { "data",
      "06 00 00 01 00 00 00 05 68 65 6c 6c 6f" },
    { "window",
      "07 00 00 01 00 00 00 04 00 00 08 00" },
    { "close",
      "08 00 00 01 00 00 00 04 00 00 00 06" },
    { "log",
      "09 00 00 00 00 00 00 2e 01 02 03 04 05 06 07 08 "
      "00 02 00 00 00 05 00 00 00 00 00 0f 42 40 00 00 "
      "04 62 6f 6f 74 00 00 00 06 00 00 00 00 00 1e 84 "
      "80 01 00 00 00 03" },
    { "log_ack",
      "0a 00 00 00 00 00 00 0c 01 02 03 04 05 06 07 08 "
      "00 00 00 06" },
    { "ping",
      "0b 00 00 00 00 00 00 08 11 22 33 44 55 66 77 88" },
    { "pong",
      "0c 00 00 00 00 00 00 08 11 22 33 44 55 66 77 88" },
    { "goaway",
      "0d 00 00 00 00 00 00 11 00 00 00 00 00 00 13 88 "
      "00 07 72 65 73 74 61 72 74" },
    { "error",
      "0e 00 00 00 00 00 00 16 00 00 00 03 42 00 00 00 "
      "00 0c 75 6e 6b 6e 6f 77 6e 20 74 79 70 65" },
    { "cfg_request",
      "10 00 00 00 00 00 00 17 00 02 01 01 00 08 69 6e "
      "74 65 72 76 61 6c 00 00 00 05 74 6f 6b 65 6e" },
    { "cfg_response",
      "11 00 00 00 00 00 00 0f 00 00 02 00 00 00 00 02 "
      "36 30 01 00 00 00 00" },
    { "cfg_response_too_large",
      "11 00 00 00 00 00 00 03 01 00 00" },
    { "http_request",
      "20 00 00 00 00 00 00 32 00 00 27 10 00 03 47 45 "
      "54 00 14 68 74 74 70 73 3a 2f 2f 65 78 61 6d 70 "
      "6c 65 2e 63 6f 6d 2f 00 01 00 0b 41 63 63 65 70 "
      "74 3a 20 2a 2f 2a 00 00 00 00" },
    { "http_response",
      "21 00 00 00 00 00 00 2a 00 00 00 00 00 00 00 c8 "
      "00 01 00 18 43 6f 6e 74 65 6e 74 2d 54 79 70 65 "
      "3a 20 74 65 78 74 2f 70 6c 61 69 6e 00 00 00 02 "
      "6f 6b" },
    { "mqtt_connect",
      "30 00 00 00 00 00 00 39 01 01 07 00 22 b3 00 00 "
      "00 3c 00 06 62 72 6f 6b 65 72 00 04 64 65 76 31 "
      "00 01 75 00 01 70 01 00 00 00 00 02 43 41 00 00 "
      "01 00 00 00 00 04 77 69 6c 6c 00 00 00 03 62 79 "
      "65" },
    { "mqtt_connect_resp",
      "31 00 00 00 00 00 00 08 00 00 00 00 00 00 00 00" },
    { "mqtt_subscribe",
      "32 00 00 00 00 00 00 0e 00 00 00 07 01 01 00 01 "
      "02 00 03 61 2f 23" },
    { "mqtt_subscribe_resp",
      "33 00 00 00 00 00 00 0d 00 00 00 07 00 00 00 00 "
      "01 00 00 00 01" },
    { "mqtt_unsubscribe",
      "34 00 00 00 00 00 00 0a 00 00 00 08 01 00 03 61 "
      "2f 23" },
    { "mqtt_unsubscribe_resp",
      "35 00 00 00 00 00 00 0d 00 00 00 08 00 00 00 00 "
      "01 00 00 00 00" },
    { "mqtt_publish",
      "36 00 00 00 00 00 00 11 00 00 00 09 01 00 00 00 "
      "00 01 74 00 00 00 02 34 32" },
    { "mqtt_publish_resp",
      "37 00 00 00 00 00 00 0c 00 00 00 09 00 00 00 00 "
      "00 00 00 00" },
    { "mqtt_message",
      "38 00 00 00 00 00 00 11 00 00 00 0a 00 01 00 00 "
      "00 01 74 00 00 00 02 68 69" },
    { "mqtt_message_ack",
      "39 00 00 00 00 00 00 04 00 00 00 0a" },
    { "mqtt_lost",
      "3a 00 00 00 00 00 00 0b 00 00 00 00 00 00 13 88 "
      "00 01 74" },
    { "mqtt_disconnect",
      "3b 00 00 00 00 00 00 00" },
    { "mqtt_disconnect_resp",
      "3c 00 00 00 00 00 00 08 00 00 00 00 00 00 00 00" },
    { "upd_status",
      "40 00 00 00 00 00 00 12 01 00 00 00 00 00 20 00 "
      "00 06 41 50 30 31 32 33 00 00" },
    { "upd_status_failed",
      "40 00 00 00 00 00 00 1f 04 00 00 00 00 00 00 00 "
      "00 06 41 50 30 31 32 33 00 0d 62 61 64 20 73 69 "
      "67 6e 61 74 75 72 65" },
    { "upd_offer",
      "41 00 00 00 00 00 00 0c 00 01 00 00 00 06 41 50 "
      "30 31 32 33" },
    { "upd_fetch",
      "42 00 00 00 00 00 00 0c 00 00 20 00 00 06 41 50 "
      "30 31 32 33" },
    { "upd_chunk",
      "43 00 00 00 00 00 00 0c 00 00 20 00 00 00 00 04 "
      "4d 56 42 31" },
};
#define NHEX (sizeof(golden_hex) / sizeof(golden_hex[0]))

static const char *hex_for(const char *name)
{
    size_t i;

    for (i = 0; i < NHEX; i++)
        if (strcmp(golden_hex[i].name, name) == 0)
            return golden_hex[i].hex;
    return NULL;
}

/* Loads golden vector i into b; returns its length. */
static size_t load(size_t i, uint8_t *b, size_t cap)
{
    size_t n = t_hex2bin(golden_hex[i].hex, b, cap);

    cr_assert_neq(n, (size_t)-1, "bad hex in %s", golden_hex[i].name);
    cr_assert_geq(n, MVP_HDR_LEN);
    return n;
}

Test(golden, every_builder_has_a_vector_and_vice_versa)
{
    size_t i;

    cr_assert_eq(golden_count, NHEX);
    for (i = 0; i < golden_count; i++)
        cr_assert_not_null(hex_for(golden_vecs[i].name), "%s", golden_vecs[i].name);
}

Test(golden, encoders_produce_the_vectors)
{
    uint8_t want[1024], got[1024];
    char a[4096], b[4096];
    size_t i, n;
    int len;

    for (i = 0; i < golden_count; i++) {
        n = t_hex2bin(hex_for(golden_vecs[i].name), want, sizeof(want));
        len = golden_vecs[i].build(got, sizeof(got));
        cr_assert_eq((size_t)len, n, "%s: length %d, want %zu", golden_vecs[i].name, len, n);
        cr_assert_eq(memcmp(got, want, n), 0, "%s:\n got %s\nwant %s", golden_vecs[i].name,
                     t_bin2hex(got, n, a, sizeof(a)), t_bin2hex(want, n, b, sizeof(b)));
    }
}

Test(golden, decoders_accept_and_reencode_identically)
{
    uint8_t in[1024], out[1024];
    size_t i, n;
    int len;

    for (i = 0; i < NHEX; i++) {
        n = load(i, in, sizeof(in));
        len = t_reencode(in, n, out, sizeof(out));
        cr_assert_eq((size_t)len, n, "%s: %s", golden_hex[i].name, mvp_strerror(len));
        cr_assert_eq(memcmp(in, out, n), 0, "%s", golden_hex[i].name);
    }
}

Test(golden, every_truncated_payload_is_refused)
{
    uint8_t in[1024], out[1024];
    size_t i, n, len;

    for (i = 0; i < NHEX; i++) {
        n = load(i, in, sizeof(in));
        if (in[0] == MVP_DATA)
            continue; /* opaque bytes: every length is valid */
        for (len = 0; len < n - MVP_HDR_LEN; len++)
            cr_assert_eq(t_reencode_payload(in[0], in + MVP_HDR_LEN, len, out, sizeof(out)),
                         -MVP_E_TRUNCATED, "%s cut at %zu", golden_hex[i].name, len);
    }
}

Test(golden, a_trailing_byte_is_refused)
{
    uint8_t in[1024], out[1024];
    size_t i, n;

    for (i = 0; i < NHEX; i++) {
        n = load(i, in, sizeof(in));
        if (in[0] == MVP_DATA)
            continue;
        in[n] = 0;
        cr_assert_eq(t_reencode_payload(in[0], in + MVP_HDR_LEN, n + 1 - MVP_HDR_LEN, out,
                                        sizeof(out)),
                     -MVP_E_TRAILING, "%s", golden_hex[i].name);
    }
}

Test(golden, encoders_fail_cleanly_at_every_small_capacity)
{
    uint8_t in[1024], out[1024];
    size_t i, n, cap;
    int rc;

    for (i = 0; i < NHEX; i++) {
        n = load(i, in, sizeof(in));
        for (cap = 0; cap < n; cap++) {
            memset(out, 0xee, sizeof(out));
            rc = t_reencode(in, n, out, cap);
            cr_assert_eq(rc, -MVP_E_NOSPACE, "%s cap %zu: %d", golden_hex[i].name, cap, rc);
            cr_assert_eq(out[cap], 0xee, "%s wrote past cap %zu", golden_hex[i].name, cap);
        }
    }
}

Test(golden, reader_splits_the_concatenated_vectors_at_every_byte)
{
    static uint8_t stream[8192];
    uint8_t buf[1024];
    size_t lens[64], i, n = 0, cut, k, used, len;
    struct mvp_reader r;
    struct mvp_frame f;
    const uint8_t *p;
    int rc;

    for (i = 0; i < NHEX; i++) {
        lens[i] = load(i, stream + n, sizeof(stream) - n);
        n += lens[i];
    }
    for (cut = 0; cut <= n; cut++) {
        mvp_reader_init(&r, buf, sizeof(buf), MVP_MAX_MSG_PAYLOAD);
        k = 0;
        for (int part = 0; part < 2; part++) {
            p = part ? stream + cut : stream;
            len = part ? n - cut : cut;
            while (len) {
                rc = mvp_reader_feed(&r, p, len, &used, &f);
                cr_assert_geq(rc, 0);
                p += used;
                len -= used;
                if (rc == 1) {
                    cr_assert_eq(f.hdr.len + MVP_HDR_LEN, lens[k], "cut %zu frame %zu", cut, k);
                    k++;
                }
            }
        }
        cr_assert_eq(k, NHEX, "cut %zu", cut);
    }
}

/* Parses the ```golden blocks of PROTOCOL.md: "name: hex..." lines, continued by
 * lines that start with a space. Returns the number of vectors found. */
static size_t parse_doc(FILE *fp, char names[][64], char hex[][1024], size_t max)
{
    char line[512];
    int in_block = 0;
    size_t n = 0;
    char *colon;

    while (fgets(line, sizeof(line), fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "```", 3) == 0) {
            in_block = !in_block && strcmp(line, "```golden") == 0;
            continue;
        }
        if (!in_block || line[0] == '\0')
            continue;
        if (line[0] == ' ' && n > 0) {
            strncat(hex[n - 1], line, 1023 - strlen(hex[n - 1]));
            continue;
        }
        colon = strchr(line, ':');
        cr_assert_not_null(colon, "bad golden line: %s", line);
        cr_assert_lt(n, max);
        *colon = '\0';
        cr_assert_lt(strlen(line), 64, "golden name too long: %s", line);
        memcpy(names[n], line, strlen(line) + 1);
        memcpy(hex[n], colon + 1, strlen(colon + 1) + 1); /* < 512 < 1024 */
        n++;
    }
    return n;
}

Test(golden, protocol_md_lists_the_same_vectors)
{
    static char names[64][64], hex[64][1024];
    uint8_t a[1024], b[1024];
    FILE *fp = fopen(MVP_PROTO_DIR "/PROTOCOL.md", "r");
    size_t n, i, la, lb;
    const char *want;

    cr_assert_not_null(fp, "cannot open %s/PROTOCOL.md", MVP_PROTO_DIR);
    n = parse_doc(fp, names, hex, 64);
    fclose(fp);
    cr_assert_eq(n, NHEX, "PROTOCOL.md has %zu vectors, the test %zu", n, NHEX);
    for (i = 0; i < n; i++) {
        want = hex_for(names[i]);
        cr_assert_not_null(want, "PROTOCOL.md vector %s is not tested", names[i]);
        la = t_hex2bin(hex[i], a, sizeof(a));
        lb = t_hex2bin(want, b, sizeof(b));
        cr_assert_neq(la, (size_t)-1, "bad hex for %s in PROTOCOL.md", names[i]);
        cr_assert(la == lb && memcmp(a, b, la) == 0, "PROTOCOL.md differs for %s", names[i]);
    }
}
