// Wraps CLD2::ExtDetectLanguageSummary for Swift (see include/cld2_shim.h).
#include "cld2_shim.h"

#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <cld2/public/compact_lang_det.h>
#include <cstring>

extern "C" gcmap_cld2_result gcmap_cld2_detect(const char *text, int length) {
  gcmap_cld2_result result;
  std::memset(&result, 0, sizeof result);
  CLD2::Language languages[3];
  int percents[3] = {0, 0, 0};
  int textBytes = 0;
  bool reliable = false;
  CLD2::Language top = CLD2::ExtDetectLanguageSummary(
      text, length, true, languages, percents, &textBytes, &reliable);
  const char *code = CLD2::LanguageCode(top);
  std::strncpy(result.code, code ? code : "un", sizeof result.code - 1);
  result.percent = percents[0];
  result.reliable = reliable ? 1 : 0;
  return result;
}
