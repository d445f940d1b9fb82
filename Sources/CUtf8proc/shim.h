// The C boundary to utf8proc (Debian libutf8proc-dev): NFKC and case and accent folding.
// Only the TextProcessing module imports it, in UnicodeMapping.swift.
#ifndef GCMAP_CUTF8PROC_SHIM_H
#define GCMAP_CUTF8PROC_SHIM_H
#include <utf8proc.h>
#endif
