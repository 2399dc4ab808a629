/* Human-readable names for proto error codes, for logs and ERROR frames. */
#include "mvp/wire.h"

const char *mvp_strerror(int err)
{
    if (err < 0)
        err = -err;
    switch (err) {
    case MVP_OK: return "ok";
    case MVP_E_TRUNCATED: return "truncated input";
    case MVP_E_TOO_LONG: return "length exceeds limit";
    case MVP_E_UNKNOWN_TYPE: return "unknown type";
    case MVP_E_BAD_VERSION: return "no common protocol version";
    case MVP_E_TRAILING: return "trailing bytes";
    case MVP_E_NOSPACE: return "output buffer too small";
    case MVP_E_INVALID: return "invalid field value";
    case MVP_E_TOO_MANY: return "too many items";
    default: return "unknown error";
    }
}
