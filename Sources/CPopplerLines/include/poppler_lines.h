// A page's text lines from poppler's own text layout (TextOutputDev), in logical order.
//
// poppler-glib reads text only through selections, which lose a right-to-left page's first
// and last lines; this shim asks poppler's core for every line of the page, each with its
// box and its text as pdftotext writes it (right-to-left runs in reading order). Only
// PDFText imports it, for pages that hold right-to-left text.
#ifndef GCMAP_POPPLER_LINES_H
#define GCMAP_POPPLER_LINES_H

#ifdef __cplusplus
extern "C" {
#endif

/// One line of a page: its box (points, origin at the top left), how many of its characters
/// are set in a bold font, and its text (UTF-8, owned by the line list).
typedef struct {
  double x0, y0, x1, y1;
  int characters;
  int bold_characters;
  char *text;
} gcmap_text_line;

typedef struct {
  gcmap_text_line *lines;
  int count;
} gcmap_text_lines;

/// Opens `path` (with `password`, or NULL); NULL if poppler cannot open it.
void *gcmap_lines_open(const char *path, const char *password);

/// The lines of 1-based page `page`, flow by flow, block by block; 0 lines if there is no
/// such page. Free with `gcmap_lines_free`.
gcmap_text_lines gcmap_lines_page(void *document, int page);

void gcmap_lines_free(gcmap_text_lines lines);

void gcmap_lines_close(void *document);

#ifdef __cplusplus
}
#endif

#endif
