// The C boundary to poppler-glib; only the PDFText module imports it.
#ifndef GCMAP_CPOPPLER_SHIM_H
#define GCMAP_CPOPPLER_SHIM_H
#include <poppler.h>
#endif
