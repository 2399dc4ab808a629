/* What the kernel needs from a port (host, mps2-an505, later riscv-virt).
 * Every port implements all of these; the kernel calls nothing platform-specific
 * outside this header. */
#ifndef MVK_PORT_H
#define MVK_PORT_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic microseconds since boot. */
uint64_t mvk_port_now_us(void);

/* 1 if the application may read (resp. write) every byte of [p, p+n); 0 otherwise,
 * including for NULL, wrapped ranges and kernel memory. n == 0 checks p alone. */
int mvk_port_app_readable(const void *p, size_t n);
int mvk_port_app_writable(const void *p, size_t n);

/* 1 if irq may be used by the application as its notification interrupt. */
int mvk_port_irq_valid(uint32_t irq);
/* Pend the application's interrupt irq (delivered when the app can take it). */
void mvk_port_raise_irq(uint32_t irq);

/* Optional services: the kernel has weak defaults returning -1 (NULL), and the calls
 * built on them then answer MV_STATUS_UNAVAILABLE (PERIPHERALACCESSFAULT), so a port
 * without one never pretends.
 * Fast interrupts: irq (valid for the application) is in the low-latency class (fast)
 * and enabled in the interrupt controller so that it may pre-empt the kernel (live);
 * fast = 0 makes it an ordinary IRQ again, disabled. 0, or -1 if the port has none. */
int mvk_port_fastirq(uint32_t irq, int fast, int live);
/* The system LED on (1) or off (0); 0, or -1 if the port has none. */
int mvk_port_system_led(int on);
/* The application-visible register at address reg (peek/poke allow list) and the bits
 * of it the application may change; NULL if the address is not on the list. */
volatile uint32_t *mvk_port_periph_reg(uint32_t reg, uint32_t *writable_mask);

/* Fill buf with n bytes of entropy for the DRBG seed; 0 or -1. */
int mvk_port_entropy(uint8_t *buf, size_t n);

/* Device identity, loaded by the port into kernel memory at boot. PEM strings are
 * NUL-terminated and the *_len fields include the terminator (as mbedTLS wants). */
struct mvk_identity {
    char device_id[35];      /* "UV" + 32 hex + NUL */
    const uint8_t *key_pem;  /* device private key */
    size_t key_pem_len;
    const uint8_t *cert_pem; /* device certificate (CN = device_id) */
    size_t cert_pem_len;
    const uint8_t *ca_pem;   /* CA that signed the relay's server certificate */
    size_t ca_pem_len;
    char relay_host[128];    /* for TLS server name check */
    uint16_t relay_port;
};
const struct mvk_identity *mvk_port_identity(void);

/* The byte pipe to the relay: a TCP connection on the host, a UART bridged to TCP by
 * QEMU on the emulated board. Non-blocking. */
enum { MVK_LINK_AGAIN = -1, MVK_LINK_CLOSED = -2 };
/* Starts a new connection (closing any old one); 0 if started, -1 if it failed now. */
int mvk_port_link_open(void);
/* 1 once connected, 0 while connecting, MVK_LINK_CLOSED if it failed or dropped. */
int mvk_port_link_status(void);
/* Bytes sent/received (> 0), MVK_LINK_AGAIN, or MVK_LINK_CLOSED. */
long mvk_port_link_send(const uint8_t *p, size_t n);
long mvk_port_link_recv(uint8_t *p, size_t n);
void mvk_port_link_close(void);

/* Firmware version sent to the relay in HELLO (shown in its session log line):
 * "mvisor-<port>/" MVK_FW_VERSION, at most MVP_MAX_FW_VERSION (64) bytes, static. */
#define MVK_FW_VERSION "0.1.0"
const char *mvk_port_fw_version(void);

#endif
