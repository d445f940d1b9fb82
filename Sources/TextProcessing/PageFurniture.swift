import Foundation
import GCMapCore

/// Removes running headers, footers, side tabs and page numbers.
///
/// A line is furniture when its text, with digits folded ("Page 3" ~ "Page 7"), recurs on
/// several pages in the page margins: the top or bottom 15% of the page, the outer 12% strips,
/// or set vertically. Recurring means on at least 2 pages of a document of up to 8 pages and 3
/// of a longer one, so that alternating even/odd headers count and a title page may lack them.
/// A lone number (or "Page 4", "4 of 20", "- 4 -") in a margin is a page number. Without
/// geometry (plain text) the first and last two lines of each page stand for the margins.
/// Limits: a header that sits in the body area of the page, or one that differs in words from
/// page to page (chapter titles), stays.
public struct PageFurniture: NormalizationStage {
  public let name = "furniture"

  public init() {}

  public func apply(to pages: [Page]) -> StageResult {
    var pagesPerKey: [String: Set<Int>] = [:]
    for page in pages {
      for (index, line) in page.lines.enumerated() where Self.inMargin(line, index, page) {
        pagesPerKey[Self.key(line.text), default: []].insert(page.number)
      }
    }
    let needed = pages.count <= 8 ? 2 : 3
    let repeated = Set(pagesPerKey.filter { $0.value.count >= needed && !$0.key.isEmpty }.keys)
    var removed = 0
    let cleaned = pages.map { page in
      var copy = page
      var kept: [TextLine] = []
      var pendingBlock = false
      for (index, line) in page.lines.enumerated() {
        let margin = Self.inMargin(line, index, page)
        if margin && (repeated.contains(Self.key(line.text)) || Self.isPageNumber(line.text)) {
          removed += 1
          pendingBlock = pendingBlock || line.startsBlock
          continue
        }
        var line = line
        line.startsBlock = line.startsBlock || pendingBlock
        pendingBlock = false
        kept.append(line)
      }
      copy.lines = kept
      return copy
    }
    return StageResult(pages: cleaned, changes: removed)
  }

  /// The line's text with digit runs folded to "#", spaces collapsed, lowercase.
  static func key(_ text: String) -> String {
    if let key = asciiKey(text) { return key }
    var out = ""
    var lastWasDigit = false
    var lastWasSpace = true
    for character in text.lowercased() {
      if character.isNumber {
        if !lastWasDigit { out.append("#") }
        lastWasDigit = true
        lastWasSpace = false
      } else if character.isWhitespace {
        if !lastWasSpace { out.append(" ") }
        lastWasSpace = true
        lastWasDigit = false
      } else {
        out.append(character)
        lastWasDigit = false
        lastWasSpace = false
      }
    }
    return out.trimmingBlanks
  }

  /// `key` for all-ASCII text, on its bytes; nil for other text.
  private static func asciiKey(_ text: String) -> String? {
    let utf8 = text.utf8
    guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count)
    var lastWasDigit = false
    var lastWasSpace = true
    for byte in utf8 {
      if byte &- 0x30 < 10 {
        if !lastWasDigit { out.append(UInt8(ascii: "#")) }
        lastWasDigit = true
        lastWasSpace = false
      } else if byte == 0x20 || byte &- 0x09 < 5 {
        if !lastWasSpace { out.append(0x20) }
        lastWasSpace = true
        lastWasDigit = false
      } else {
        out.append(byte &- 0x41 < 26 ? byte | 0x20 : byte)
        lastWasDigit = false
        lastWasSpace = false
      }
    }
    if out.last == 0x20 { out.removeLast() }
    return String(decoding: out, as: UTF8.self)
  }

  /// Compiled once: a computed property would parse the pattern on every call.
  nonisolated(unsafe) private static let pageNumberPattern: Regex<Substring> =
    #/^(?i)(?:[-–—|·•\s]*)(?:(?:page|p\.|pág\.?|página|pagina|seite)\s*)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/|de|sur|von)\s*\d{1,4})?(?:[-–—|·•\s]*)$/#

  static func isPageNumber(_ text: String) -> Bool {
    let trimmed = text.trimmingBlanks
    return !trimmed.isEmpty && trimmed.count <= 24
      && (try? pageNumberPattern.wholeMatch(in: trimmed)) != nil
  }

  static func inMargin(_ line: TextLine, _ index: Int, _ page: Page) -> Bool {
    guard let box = line.box, let width = page.width, let height = page.height, width > 0,
      height > 0
    else {
      return index < 2 || index >= page.lines.count - 2
    }
    if line.isVertical { return true }
    return box.y1 <= 0.15 * height || box.y0 >= 0.85 * height || box.x1 <= 0.12 * width
      || box.x0 >= 0.88 * width
  }
}
