// The C boundary to zlib (Debian zlib1g-dev), for the workbook's ZIP container: raw deflate
// and CRC-32. Only the Reports module imports it.
#ifndef GCMAP_CZLIB_SHIM_H
#define GCMAP_CZLIB_SHIM_H
#include <zlib.h>
#endif
