/* Private helpers shared by the payload codecs in proto/src (not installed).
 * Encoders return the encoded length as int; payloads are far below INT_MAX. */
#ifndef MVP_SRC_CODEC_H
#define MVP_SRC_CODEC_H

#include "mvp/wire.h"

static inline int mvp_w_result(const struct mvp_wbuf *w)
{
    int rc = mvp_w_done(w);

    return rc ? rc : (int)w->len;
}

#endif
