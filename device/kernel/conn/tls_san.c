/* Walks the certificate's extensions to its subjectAltName and compares iPAddress
 * entries ([7] OCTET STRING of 4 or 16 bytes) with the address the relay URL named.
 * Every step goes through mbedTLS's bounds-checked ASN.1 readers. */
#include "tls_san.h"

#include <string.h>

#include "mbedtls/asn1.h"

#define SAN_OID "\x55\x1d\x11" /* id-ce-subjectAltName 2.5.29.17 */
#define GN_IPADDRESS (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7)

int mvk_tls_parse_ipv4(const char *s, uint8_t out[4])
{
    for (int i = 0; i < 4; i++) {
        unsigned v = 0, digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 4) {
            if (digits == 1 && v == 0)
                return -1; /* "01": octal in some parsers, refused here */
            v = v * 10u + (unsigned)(*s++ - '0');
            digits++;
        }
        if (digits == 0 || v > 255u || *s != (i < 3 ? '.' : '\0'))
            return -1;
        out[i] = (uint8_t)v;
        s++;
    }
    return 0;
}

/* In GeneralNames (a SEQUENCE's content from p to end), 1 if an iPAddress equals ip. */
static int names_have_ip(unsigned char *p, const unsigned char *end, const uint8_t *ip,
                         size_t ip_len)
{
    size_t len;
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
        return 0;
    end = p + len;
    while (p < end) {
        unsigned char tag = *p++;
        if (mbedtls_asn1_get_len(&p, end, &len))
            return 0;
        if (tag == GN_IPADDRESS && len == ip_len && memcmp(p, ip, ip_len) == 0)
            return 1;
        p += len;
    }
    return 0;
}

int mvk_tls_san_has_ip(const uint8_t *ext, size_t ext_len, const uint8_t *ip, size_t ip_len)
{
    unsigned char *p = (unsigned char *)(uintptr_t)ext; /* the readers only advance p */
    const unsigned char *end = p + ext_len;
    size_t len;
    int crit;
    if (!ext || mbedtls_asn1_get_tag(&p, end, &len,
                                     MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
        return 0;
    end = p + len;
    while (p < end) {
        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
            return 0;
        const unsigned char *next = p + len;
        if (mbedtls_asn1_get_tag(&p, next, &len, MBEDTLS_ASN1_OID))
            return 0;
        int is_san = len == sizeof SAN_OID - 1 && memcmp(p, SAN_OID, len) == 0;
        p += len;
        if (mbedtls_asn1_get_bool(&p, next, &crit) != 0 && p >= next)
            return 0;
        if (mbedtls_asn1_get_tag(&p, next, &len, MBEDTLS_ASN1_OCTET_STRING))
            return 0;
        if (is_san)
            return names_have_ip(p, p + len, ip, ip_len);
        p = (unsigned char *)(uintptr_t)next;
    }
    return 0;
}
