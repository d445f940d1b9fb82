// Reads a page's lines with poppler's core text layout (see include/poppler_lines.h).
#include "poppler_lines.h"

#include <GlobalParams.h>
#include <PDFDoc.h>
#include <TextOutputDev.h>
#include <goo/GooString.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace {

std::once_flag parametersOnce;

/// poppler-glib sets up poppler's global parameters when it opens its first document; this
/// shim may run first in a process, so it does the same, once.
void ensureGlobalParameters() {
  std::call_once(parametersOnce, [] {
    if (!globalParams) globalParams = std::make_unique<GlobalParams>();
  });
}

bool isBoldName(const GooString *name) {
  if (name == nullptr) return false;
  std::string lower(name->c_str());
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char *marker : {"bold", "black", "heavy", "semibold", "demi"}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

/// An Arabic short vowel or other mark set over or under a letter (harakat, tanween, shadda,
/// sukun, superscript alef).
bool isArabicMark(Unicode scalar) {
  return (scalar >= 0x064B && scalar <= 0x065F) || scalar == 0x0670;
}

/// poppler's text layout without Arabic marks.
///
/// Why: a mark is a glyph of its own, drawn over its letter with no advance; poppler's layout
/// puts it before its letter and breaks the word after the letter, even starts a line of its
/// own for a letter with a raised mark ("وتُستحدث" comes out as "و", "ُت" on another line and
/// "ستحدث"). Dropped here, the letters lay out as unvocalized text does. gcmap ignores marks
/// when matching anyway; quotes of vocalized text lose their marks (official texts carry few).
class MarklessTextOutputDev : public TextOutputDev {
 public:
  MarklessTextOutputDev() : TextOutputDev(nullptr, false, 0, false, false) {}

  void drawChar(GfxState *state, double x, double y, double dx, double dy, double originX,
                double originY, CharCode c, int nBytes, const Unicode *u, int uLen) override {
    if (u != nullptr && uLen > 0) {
      Unicode kept[16];
      int count = 0;
      for (int index = 0; index < uLen && count < 16; ++index) {
        if (!isArabicMark(u[index])) kept[count++] = u[index];
      }
      if (count == 0) return;
      if (count < uLen) {
        TextOutputDev::drawChar(state, x, y, dx, dy, originX, originY, c, nBytes, kept, count);
        return;
      }
    }
    TextOutputDev::drawChar(state, x, y, dx, dy, originX, originY, c, nBytes, u, uLen);
  }

  // A span's /ActualText would bring its marks back past drawChar: its glyphs' own text is used.
  void beginActualText(GfxState *, const GooString *) override {}
  void endActualText(GfxState *) override {}
};

}  // namespace

extern "C" void *gcmap_lines_open(const char *path, const char *password) {
  ensureGlobalParameters();
  std::optional<GooString> secret;
  if (password != nullptr) secret = GooString(password);
  auto document = new PDFDoc(std::make_unique<GooString>(path), secret, secret);
  if (!document->isOk()) {
    delete document;
    return nullptr;
  }
  return document;
}

extern "C" gcmap_text_lines gcmap_lines_page(void *handle, int page) {
  gcmap_text_lines result = {nullptr, 0};
  auto document = static_cast<PDFDoc *>(handle);
  if (document == nullptr || page < 1 || page > document->getNumPages()) return result;
  MarklessTextOutputDev device;
  if (!device.isOk()) return result;
  // The crop box, at 72 dpi, as poppler-glib lays out a page's text.
  document->displayPage(&device, page, 72, 72, 0, false, true, false);
  TextPage *text = device.takeText();
  if (text == nullptr) return result;
  std::vector<gcmap_text_line> lines;
  for (const TextFlow *flow = text->getFlows(); flow; flow = flow->getNext()) {
    for (const TextBlock *block = flow->getBlocks(); block; block = block->getNext()) {
      for (const TextLine *line = block->getLines(); line; line = line->getNext()) {
        gcmap_text_line out;
        std::memset(&out, 0, sizeof out);
        out.x0 = out.y0 = 1e30;
        out.x1 = out.y1 = -1e30;
        int words = 0;
        for (const TextWord *word = line->getWords(); word; word = word->getNext()) {
          double x0, y0, x1, y1;
          word->getBBox(&x0, &y0, &x1, &y1);
          out.x0 = std::min(out.x0, x0);
          out.y0 = std::min(out.y0, y0);
          out.x1 = std::max(out.x1, x1);
          out.y1 = std::max(out.y1, y1);
          words += 1;
          for (int index = 0; index < word->getLength(); ++index) {
            out.characters += 1;
            if (isBoldName(word->getFontName(index))) out.bold_characters += 1;
          }
        }
        if (words == 0) continue;
        // The line's text as poppler writes it for an area: right-to-left runs reordered
        // into reading order. The area is the line's box, shrunk vertically so that the
        // lines above and below stay out.
        double margin = 0.3 * (out.y1 - out.y0);
        // Widened by a point on each side: the alef of a lam-alef ligature can be a glyph of no
        // width on the line's left edge, which the area must hold, not touch.
        GooString *found = text->getText(out.x0 - 1, out.y0 + margin, out.x1 + 1, out.y1 - margin,
                                         eolUnix);
        std::string value = found ? found->toStr() : std::string();
        delete found;
        while (!value.empty() && (value.back() == '\n' || value.back() == '\f')) value.pop_back();
        out.text = static_cast<char *>(std::malloc(value.size() + 1));
        if (out.text == nullptr) continue;
        std::memcpy(out.text, value.c_str(), value.size() + 1);
        lines.push_back(out);
      }
    }
  }
  text->decRefCnt();
  if (lines.empty()) return result;
  result.lines =
      static_cast<gcmap_text_line *>(std::malloc(lines.size() * sizeof(gcmap_text_line)));
  if (result.lines == nullptr) {
    for (auto &line : lines) std::free(line.text);
    return result;
  }
  std::memcpy(result.lines, lines.data(), lines.size() * sizeof(gcmap_text_line));
  result.count = static_cast<int>(lines.size());
  return result;
}

extern "C" void gcmap_lines_free(gcmap_text_lines lines) {
  for (int index = 0; index < lines.count; ++index) std::free(lines.lines[index].text);
  std::free(lines.lines);
}

extern "C" void gcmap_lines_close(void *handle) { delete static_cast<PDFDoc *>(handle); }
