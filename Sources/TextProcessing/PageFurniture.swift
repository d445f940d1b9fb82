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
/// A line's numbers must recur too: each is the same on another page ("2025", a chapter) or
/// keeps the same distance to the page number on another page (the page number itself), so
/// footnotes at a page's foot that differ only in their note number ("243 FGD with returnees
/// in Somalia." on p. 73, "277 ..." on p. 78) are not furniture.
/// Limits: a header that sits in the body area of the page, or one that differs in words from
/// page to page (chapter titles), stays.
public struct PageFurniture: NormalizationStage {
  public let name = "furniture"

  public init() {}

  public func apply(to pages: [Page]) -> StageResult {
    var occurrencesPerKey: [String: [Occurrence]] = [:]
    for page in pages {
      for (index, line) in page.lines.enumerated() where Self.inMargin(line, index, page) {
        let key = Self.key(line.text)
        guard !key.isEmpty else { continue }
        occurrencesPerKey[key, default: []].append(
          Occurrence(page: page.number, numbers: Self.numbers(line.text, key: key)))
      }
    }
    let needed = pages.count <= 8 ? 2 : 3
    var furniture: Set<FurnitureLine> = []
    for (key, occurrences) in occurrencesPerKey {
      let recurring = Self.recurring(occurrences)
      guard Set(recurring.map(\.page)).count >= needed else { continue }
      for occurrence in recurring {
        furniture.insert(
          FurnitureLine(key: key, page: occurrence.page, numbers: occurrence.numbers))
      }
    }
    var removed = 0
    let cleaned = pages.map { page in
      var copy = page
      var kept: [TextLine] = []
      var pendingBlock = false
      for (index, line) in page.lines.enumerated() {
        let margin = Self.inMargin(line, index, page)
        if margin
          && (Self.isPageNumber(line.text) || Self.isFurniture(line.text, page.number, furniture))
        {
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

  /// A margin line's place: its page and the numbers in it.
  struct Occurrence: Hashable {
    let page: Int
    let numbers: [Substring]
  }

  /// A margin line found to recur, as its key, page and numbers.
  struct FurnitureLine: Hashable {
    let key: String
    let page: Int
    let numbers: [Substring]
  }

  private static func isFurniture(_ text: String, _ page: Int, _ furniture: Set<FurnitureLine>)
    -> Bool
  {
    guard !furniture.isEmpty else { return false }
    let key = key(text)
    return furniture.contains(FurnitureLine(key: key, page: page, numbers: numbers(text, key: key)))
  }

  /// The occurrences of one key whose every number recurs on another page: the same number
  /// ("2025", "Chapter 3") or the same distance to the page number (a printed page number,
  /// whatever the front matter's offset). Note numbers grow from note to note and recur in
  /// neither way.
  static func recurring(_ occurrences: [Occurrence]) -> [Occurrence] {
    guard let runs = occurrences.first?.numbers.count, runs > 0 else { return occurrences }
    let comparable = occurrences.filter { $0.numbers.count == runs }
    var pagesPerValue: [[Substring: Set<Int>]] = Array(repeating: [:], count: runs)
    var pagesPerOffset: [[Int: Set<Int>]] = Array(repeating: [:], count: runs)
    for occurrence in comparable {
      for (run, number) in occurrence.numbers.enumerated() {
        pagesPerValue[run][number, default: []].insert(occurrence.page)
        if let offset = offset(number, occurrence.page) {
          pagesPerOffset[run][offset, default: []].insert(occurrence.page)
        }
      }
    }
    return comparable.filter { occurrence in
      occurrence.numbers.enumerated().allSatisfy { run, number in
        (pagesPerValue[run][number]?.count ?? 0) >= 2
          || offset(number, occurrence.page).map { (pagesPerOffset[run][$0]?.count ?? 0) >= 2 }
            ?? false
      }
    }
  }

  /// The number minus the page number; nil for a number too long to be a page's.
  private static func offset(_ number: Substring, _ page: Int) -> Int? {
    guard number.count <= 6, let value = Int(number) else { return nil }
    return value - page
  }

  /// The runs of digits in `text` (as `key` folds them), in order; none when `key` has none.
  static func numbers(_ text: String, key: String) -> [Substring] {
    guard key.contains("#") else { return [] }
    var runs: [Substring] = []
    var start: String.Index?
    for index in text.indices {
      let isDigit = text[index].isNumber
      if isDigit, start == nil { start = index }
      if !isDigit, let first = start {
        runs.append(text[first..<index])
        start = nil
      }
    }
    if let first = start { runs.append(text[first...]) }
    return runs
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
