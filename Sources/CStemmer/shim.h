// Snowball's libstemmer; only the TextProcessing module imports it.
#ifndef GCMAP_CSTEMMER_SHIM_H
#define GCMAP_CSTEMMER_SHIM_H
#include <libstemmer.h>
#endif
