// zlib (Debian's zlib1g-dev, already a system dependency of the server), for gzip of responses and static files.
// deflateInit2 is a macro, which Swift cannot call: this wraps it.
#ifndef HEMICYCLE_CZLIB_SHIM_H
#define HEMICYCLE_CZLIB_SHIM_H

#include <zlib.h>

/// Starts a gzip stream (a gzip header and trailer around deflate, window 32 KiB, memory level 8) at `level` (1-9).
static inline int hemicycle_gzip_init(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

#endif
