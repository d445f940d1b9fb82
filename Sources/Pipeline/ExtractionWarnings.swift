import Foundation
import GCMapCore

/// The problems a document's pages have, as failures or as warnings that name the pages.
extension DocumentExtraction {
  /// The warning of pages left unread because OCR could not render them in time.
  func slowPagesWarning(_ skipped: [Int]) -> [Warning] {
    guard !skipped.isEmpty else { return [] }
    let one = skipped.count == 1
    return [
      Warning(
        category: "ocr-slow-pages",
        message: "page\(one ? "" : "s") \(Self.describe(skipped)) could not be "
          + "rendered for OCR in \(Int(ocr.secondsPerPage)) s and \(one ? "was" : "were") left "
          + "unread (costly drawing, such as shadings computed point by point)")
    ]
  }

  /// Fails a document with no pages or no text at all; warns of a truncated file, pages
  /// poppler could not read, pages without text (a text layer or words OCR could read) and
  /// pages OCR read with low confidence.
  static func checkPages(
    _ path: String, _ pages: [Page], pageCount: Int, truncated: Bool, unreadable: [Int],
    ocr: OCRSettings, warnings: inout [Warning]
  ) throws(ExtractionFailure) -> [Page] {
    let withText = pages.filter { !$0.lines.isEmpty }.count
    if pageCount == 0 && !truncated {
      throw ExtractionFailure(
        path: path, category: "no-pages", reason: "no pages: the PDF holds no page at all")
    }
    if pageCount == 0 || withText == 0 {
      if truncated { throw ExtractionFailure(path: path, problem: .truncated) }
      let one = pageCount == 1
      if ocr.mode == .off {
        throw ExtractionFailure(
          path: path, category: "no-text",
          reason: "no text layer: "
            + (one ? "its one page has no" : "none of its \(pageCount) pages has")
            + " extractable text (read it with --ocr auto)")
      }
      throw ExtractionFailure(
        path: path, category: "no-text",
        reason: "no text: "
          + (one
            ? "its one page has no text layer and no words OCR can read"
            : "none of its \(pageCount) pages has a text layer or words OCR can read")
          + " (blank, or pictures without words)")
    }
    if truncated {
      warnings.append(
        Warning(
          category: "truncated",
          message: "truncated: the file ends before the PDF's end-of-file marker; "
            + "\(withText) of \(pageCount) pages could be read"))
    }
    if !unreadable.isEmpty {
      warnings.append(
        Warning(
          category: "damaged-pages",
          message: "damaged pages: \(describe(unreadable)) could not be read"))
    }
    let empty = pages.filter { $0.lines.isEmpty }.map(\.number).filter { !unreadable.contains($0) }
    if !empty.isEmpty {
      let plural = empty.count == 1 ? "" : "s"
      warnings.append(
        Warning(
          category: "no-text-pages",
          message: ocr.mode == .off
            ? "no text layer on page\(plural) \(describe(empty)) "
              + "(scanned pages need --ocr auto; the other pages were analysed)"
            : "no text on page\(plural) \(describe(empty)): no text layer and no words OCR "
              + "can read (blank, or pictures without words); the other pages were analysed"))
    }
    warnings += lowConfidence(pages, ocr: ocr)
    return pages
  }

  /// The warning listing pages OCR read with a mean word confidence under the threshold.
  public static func lowConfidence(_ pages: [Page], ocr: OCRSettings) -> [Warning] {
    let low = pages.filter { ($0.ocrConfidence ?? 100) < ocr.lowConfidence }.map(\.number)
    guard !low.isEmpty else { return [] }
    return [
      Warning(
        category: "ocr-low-confidence",
        message: "OCR read page\(low.count == 1 ? "" : "s") \(describe(low)) with low confidence "
          + "(mean word confidence under \(Int(ocr.lowConfidence))): their text was used; check "
          + "their passages (source ocr in passages.csv)")
    ]
  }

  /// "3, 5-7" for [3, 5, 6, 7].
  static func describe(_ numbers: [Int]) -> String {
    var parts: [String] = []
    var index = 0
    while index < numbers.count {
      var end = index
      while end + 1 < numbers.count, numbers[end + 1] == numbers[end] + 1 { end += 1 }
      parts.append(end == index ? "\(numbers[index])" : "\(numbers[index])-\(numbers[end])")
      index = end + 1
    }
    return parts.joined(separator: ", ")
  }
}
