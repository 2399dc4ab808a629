/* Test doubles for the connection tests: a scripted plaintext relay behind the
 * mvk_conn_io interface, a recording kernel session, and port/rand stubs. */
#ifndef CONN_FAKES_H
#define CONN_FAKES_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "conn_io.h"

#define FAKE_BUF 65536u
#define FAKE_MAX_FRAMES 64u
#define FAKE_FW_VERSION "mvisor-test/1.2.3" /* what the fake port names its firmware */

/* --- scripted relay (fake_relay.c) --- */
struct fake_frame {
    uint8_t type, flags;
    uint16_t chan;
    uint32_t len;
    uint8_t payload[256];
};

struct fake_relay {
    int open_rc;         /* what io->open returns */
    int handshake_steps; /* io->handshake returns 1 this many times, then hs_result */
    int hs_result;
    int32_t last_error; /* what io->last_error returns (0: no TLS error, link failed) */
    int closed;        /* io recv/send report MVK_LINK_CLOSED */
    size_t send_limit; /* bytes io->send accepts before AGAIN (SIZE_MAX: unlimited) */
    int opens, closes;
    /* device -> relay */
    uint8_t up[FAKE_BUF];
    size_t up_len;
    /* relay -> device */
    uint8_t down[FAKE_BUF];
    size_t down_len, down_off;
};
extern struct fake_relay fr;
extern const struct mvk_conn_io fake_io;

void fake_relay_reset(void);
/* Answers the device's upgrade request (consumed from fr.up) with a valid 101;
 * 0, or -1 if no complete request is there. `extra` is appended to the head. */
int fake_relay_accept(const char *extra);
/* Queues raw bytes / an unmasked binary WebSocket frame holding one proto frame. */
void fake_relay_push(const uint8_t *p, size_t n);
void fake_relay_frame(uint8_t type, uint16_t chan, const uint8_t *payload, uint32_t len);
void fake_relay_welcome(uint32_t ping_interval_s, uint32_t max_payload);
/* Parses every masked WebSocket frame the device sent (after the upgrade) into proto
 * frames (appended to out, returns how many); -1 on malformed device output. */
int fake_relay_read(struct fake_frame *out, size_t cap);
/* WebSocket opcodes of frames the device sent since the last read (for close checks). */
extern uint8_t fake_relay_ops[FAKE_MAX_FRAMES];
extern size_t fake_relay_nops;

/* --- session (fake_session.c) --- */
struct fake_session {
    int ups, downs, writables;
    struct mvp_welcome last_welcome;
    struct fake_frame frames[FAKE_MAX_FRAMES];
    size_t nframes;
    uint32_t log_next_seq;
    int send_on_up;    /* mvk_session_up sends a LOG-like frame when set */
    int drop_on_frame; /* mvk_session_frame calls mvk_conn_set_wanted(0) */
};
extern struct fake_session fs;
void fake_session_reset(void);

/* --- rand (fake_port.c) --- */
extern uint32_t fake_rand_value;

#endif
