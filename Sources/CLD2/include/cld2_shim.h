// A C face for Compact Language Detector 2 (Debian libcld2-dev), whose API is C++: only the
// TextProcessing module calls it, through LanguageIdentifier.
#ifndef GCMAP_CLD2_SHIM_H
#define GCMAP_CLD2_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

/// What CLD2 found in a text: its top language's ISO 639-1 code ("en", "fr", "ar", "zh";
/// "un" for unknown), the share of the text's letters in that language (0-100), and whether
/// CLD2 judged the result reliable.
typedef struct {
  char code[16];
  int percent;
  int reliable;
} gcmap_cld2_result;

/// Identifies the language of `length` bytes of valid UTF-8 plain text at `text`.
gcmap_cld2_result gcmap_cld2_detect(const char *text, int length);

#ifdef __cplusplus
}
#endif

#endif
