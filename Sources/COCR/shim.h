// The C boundary to tesseract (and leptonica, which it needs); only the OCR module imports it.
#ifndef GCMAP_COCR_SHIM_H
#define GCMAP_COCR_SHIM_H
#include <tesseract/capi.h>
#endif
