/* IP-address subjectAltNames, which mbedTLS 2.28 neither lists nor checks: a relay
 * reached as wss://192.0.2.7 is verified against the certificate's IP SANs. */
#ifndef MVK_TLS_SAN_H
#define MVK_TLS_SAN_H

#include <stddef.h>
#include <stdint.h>

/* Parses a dotted-quad IPv4 literal ("127.0.0.1"; no leading zeros beyond "0", no
 * other forms); 0 with the address in out, or -1 when s is not one (a host name). */
int mvk_tls_parse_ipv4(const char *s, uint8_t out[4]);

/* 1 when the certificate extensions (mbedtls_x509_crt.v3_ext: the Extensions SEQUENCE)
 * carry a subjectAltName iPAddress equal to ip (4 or 16 bytes), else 0. Malformed DER
 * answers 0. */
int mvk_tls_san_has_ip(const uint8_t *ext, size_t ext_len, const uint8_t *ip, size_t ip_len);

#endif
