import Foundation
import GCMapCore
import TextProcessing

/// What `gcmap extract` prints: passages as text, or pages and passages as JSON.
///
/// Text shows each passage with its page reference and heading, the form an analyst quotes
/// from. JSON is deterministic (sorted keys, no timestamps) so that outputs can be diffed.
public enum ExtractListing {
  public static func text(_ result: ExtractedText) -> String {
    var out = "# \(result.source.id): \(result.pages.count) pages, "
    out += "\(result.passages.count) passages\n"
    var lastHeading: String?
    for passage in result.passages {
      if let heading = passage.heading, heading != lastHeading {
        out += "\n## \(heading)\n"
        lastHeading = heading
      }
      out += "\n[\(passage.pageReference)] \(passage.text)\n"
    }
    return out
  }

  /// The pages before normalization, each under a "=== page N" line.
  public static func rawText(_ result: ExtractedText) -> String {
    result.rawPages.map { "=== page \($0.number)\n\($0.text)\n" }.joined(separator: "\n")
  }

  private struct JSONDocument: Encodable {
    var id: String
    var path: String
    var sha256: String
    var size: Int
    var pageCount: Int
    var warnings: [String]
  }

  private struct JSONPage: Encodable {
    var number: Int
    var text: String
    /// Present for a page read by OCR: its words' mean confidence (0–100).
    var ocrConfidence: Double?
  }

  private struct Listing: Encodable {
    var document: JSONDocument
    var normalization: [Normalizer.StageReport]?
    var pages: [JSONPage]
    var passages: [Passage]?
    var offsets: String
  }

  /// Pages with their text and passages with offsets; with `raw`, the pages before
  /// normalization and no passages.
  public static func json(_ result: ExtractedText, raw: Bool) throws -> String {
    let pages = raw ? result.rawPages : result.pages
    let listing = Listing(
      document: JSONDocument(
        id: result.source.id, path: result.source.path, sha256: result.source.sha256,
        size: result.source.size, pageCount: pages.count, warnings: result.warnings.map(\.message)),
      normalization: raw ? nil : result.normalization,
      pages: pages.map {
        JSONPage(number: $0.number, text: $0.text, ocrConfidence: $0.ocrConfidence)
      },
      passages: raw ? nil : result.passages,
      offsets:
        "start and end count Unicode code points in pages[page].text and pages[endPage].text; "
        + "end is exclusive; passage text folds line breaks into spaces and leaves out the "
        + "footnotes a paragraph continued on the next page spans")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(listing), as: UTF8.self) + "\n"
  }
}
