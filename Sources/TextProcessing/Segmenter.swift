import Foundation
import GCMapCore

/// Cuts normalized pages into passages: paragraphs, each under the heading it follows.
///
/// Blocks come from layout (`TextLine.startsBlock`) and from list markers ("a.", "•", "1.").
/// A block is a heading when it is short, does not end like a sentence and stands out: larger
/// or bolder than the body text, in capitals, or numbered like a section ("2.1", "IV.",
/// "Objective 7") and not ending in a word like "for" or "the"; in plain text, a short line standing alone. Headings are not passages; each
/// passage records the latest heading above it. A block that starts in lower case continues
/// the paragraph before it if that one did not end a sentence (a paragraph broken by a column
/// or page). Fragments under `minimumWords` words join the next paragraph on the page in
/// their column, or else the previous one; a
/// paragraph over `maximumLength` characters is split at sentence ends into pieces of at most
/// `targetLength` where sentences allow. A piece of fewer than two words is dropped.
public struct Segmenter: Sendable, Equatable, Codable {
  public var minimumWords = 6
  public var maximumLength = 1500
  public var targetLength = 1000

  public init() {}

  /// One line's place: which page, and where its text sits in that page's text.
  struct LineRef {
    var pageNumber: Int
    var start: Int
    var line: TextLine
  }

  struct Block {
    var lines: [LineRef]
    var isHeading = false
    /// Set small at its page's foot, below the last line of body text: a footnote.
    var isFootnote = false
    var text: String { lines.map(\.line.text).joined(separator: " ") }
    var table: TableRole? { lines.first?.line.table }
  }

  struct Paragraph {
    var lines: [LineRef]
    var heading: String?
    /// A table's row: never joined with another paragraph.
    var isTableRow = false
    /// A footnote: never joined with prose, and skipped by the paragraph that continues on
    /// the next page.
    var isFootnote = false
    /// Read on its own: no fragment joins it, it joins none.
    var standsAlone: Bool { isTableRow || isFootnote }
  }

  public func segment(_ pages: [Page], documentID: String) -> [Passage] {
    let blocks = classify(makeBlocks(pages), pages: pages)
    let paragraphs = mergeFragments(joinContinuations(blocks))
    // Pages read by OCR: a passage's confidence is its least sure page's.
    var confidences: [Int: Double] = [:]
    for page in pages { confidences[page.number] = page.ocrConfidence }
    var passages: [Passage] = []
    for paragraph in paragraphs {
      for piece in split(paragraph) {
        let read = (piece.page...max(piece.page, piece.endPage)).compactMap { confidences[$0] }
        passages.append(
          Passage(
            id: "\(documentID)#\(passages.count + 1)", documentID: documentID,
            page: piece.page, endPage: piece.endPage, start: piece.start, end: piece.end,
            heading: paragraph.heading, text: piece.text, ocrConfidence: read.min(),
            isTableRow: paragraph.isTableRow, isFootnote: paragraph.isFootnote))
      }
    }
    return passages
  }

  // MARK: Blocks

  private static let bullets = Set("•▪◦‣●○■□➢►▶✓✔-–—*".unicodeScalars)

  /// True if the line opens with a list marker: a bullet and a space, or "a. ", "(b) ",
  /// "iv) ", "12. ". Written out rather than as a regular expression, which cost more than
  /// the rest of segmentation on every line.
  static func isListItem(_ text: String) -> Bool {
    let head = Array(text.unicodeScalars.prefix(8))
    guard let first = head.first else { return false }
    if bullets.contains(first) { return head.count > 1 && head[1].isSpace }
    let start = first == "(" ? 1 : 0
    for length in 1...4 where start + length + 1 < head.count {
      let label = head[start..<start + length]
      let isLabel =
        (length == 1 && label.allSatisfy { $0.value &- 0x61 < 26 })
        || label.allSatisfy { $0 == "i" || $0 == "v" || $0 == "x" }
        || (length <= 2 && label.allSatisfy(\.isDigit))
      let close = head[start + length]
      if isLabel && (close == "." || close == ")") && head[start + length + 1].isSpace {
        return true
      }
    }
    return false
  }

  private func makeBlocks(_ pages: [Page]) -> [Block] {
    var blocks: [Block] = []
    for page in pages {
      var offset = 0
      for (index, line) in page.lines.enumerated() {
        if index > 0 { offset += line.startsBlock ? 2 : 1 }
        let ref = LineRef(pageNumber: page.number, start: offset, line: line)
        offset += line.text.unicodeScalars.count
        let leavesTable = index > 0 && page.lines[index - 1].table != line.table
        if index == 0 || line.startsBlock || leavesTable || blocks.isEmpty
          || (line.table == nil && Self.isListItem(line.text))
        {
          blocks.append(Block(lines: [ref]))
        } else {
          blocks[blocks.count - 1].lines.append(ref)
        }
      }
    }
    return blocks
  }

  /// Compiled once: a computed property would parse the pattern on every call.
  nonisolated(unsafe) private static let numberedHeading: Regex<Substring> =
    #/^(?:\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}\.|[IVXLC]{1,6}\.|(?i:chapter|section|part|annex|objective|objetivo|objectif|pillar|goal)\s+[\dIVXLC]+[.:]?)\s+\S/#

  private func classify(_ blocks: [Block], pages: [Page]) -> [Block] {
    let bodyLines = pages.flatMap(\.lines)
    let sizes = bodyLines.flatMap { line in
      line.fontSize.map { size in
        [Double](repeating: size, count: max(1, line.text.characterCount / 20))
      }
        ?? []
    }.sorted()
    let bodySize = sizes.isEmpty ? nil : sizes[sizes.count / 2]
    let boldShare =
      Double(bodyLines.filter(\.isBold).map(\.text.characterCount).reduce(0, +))
      / Double(max(1, bodyLines.map(\.text.characterCount).reduce(0, +)))
    var classified = blocks.map { block in
      var block = block
      switch block.table {
      case .header: block.isHeading = true
      case .row: block.isHeading = false
      case nil: block.isHeading = isHeading(block, bodySize: bodySize, bodyIsBold: boldShare > 0.5)
      }
      return block
    }
    if let bodySize { markFootnotes(&classified, pages: pages, bodySize: bodySize) }
    return classified
  }

  /// Marks each page's footnotes: the blocks from the first one opening with a note mark
  /// ("12 ", "3See", "*", "[4]") to the page's end, all set at most nine tenths of the body
  /// text's size, in the lower half of the page. A stray page number after them is
  /// passed over. Limits: notes set at the body's size, or followed by body text on the same
  /// page (a note in the middle of a two-column page), stay paragraphs.
  private func markFootnotes(_ blocks: inout [Block], pages: [Page], bodySize: Double) {
    let heights = Dictionary(
      pages.map { ($0.number, $0.height) }, uniquingKeysWith: { first, _ in first })
    var index = blocks.count - 1
    while index >= 0 {
      guard let page = blocks[index].lines.first?.pageNumber else {
        index -= 1
        continue
      }
      // The blocks of this page, from its end back to the first that is not small print.
      var firstMark: Int?
      var cursor = index
      while cursor >= 0, blocks[cursor].lines.first?.pageNumber == page {
        let block = blocks[cursor]
        if cursor == index, Self.isStrayNumber(block.text) {
          cursor -= 1
          continue
        }
        guard Self.isSmallPrintAtFoot(block, bodySize: bodySize, pageHeight: heights[page] ?? nil)
        else { break }
        if Self.noteMark(block.text) != .none { firstMark = cursor }
        cursor -= 1
      }
      if let firstMark {
        for marked in firstMark...index where !Self.isStrayNumber(blocks[marked].text) {
          blocks[marked].isFootnote = true
          blocks[marked].isHeading = false
        }
      }
      // On to the previous page's last block.
      while index >= 0, blocks[index].lines.first?.pageNumber == page { index -= 1 }
    }
  }

  private static func isSmallPrintAtFoot(_ block: Block, bodySize: Double, pageHeight: Double?)
    -> Bool
  {
    guard block.table == nil, let pageHeight, pageHeight > 0 else { return false }
    return block.lines.allSatisfy { ref in
      guard let size = ref.line.fontSize, let box = ref.line.box else { return false }
      return size <= 0.9 * bodySize && box.y0 >= 0.5 * pageHeight
    }
  }

  /// A line of digits alone (a page number left in place).
  private static func isStrayNumber(_ text: String) -> Bool {
    let trimmed = text.trimmingBlanks
    return !trimmed.isEmpty && trimmed.count <= 4 && trimmed.allSatisfy(\.isNumber)
  }

  /// How a line of small print opens: with a note's number ("12 IOM (2019)", "3See"), a
  /// note symbol ("*", "†", "‡", "[4]", "(4)"), or not like a note.
  enum NoteMark: Equatable {
    case number(Int)
    case symbol
    case none
  }

  /// The note mark `text` opens with: one to three digits then a letter, space or quote, a
  /// symbol, or a bracketed number.
  static func noteMark(_ text: String) -> NoteMark {
    let scalars = Array(text.unicodeScalars.prefix(6))
    guard let first = scalars.first else { return .none }
    if "*†‡§".unicodeScalars.contains(first) { return .symbol }
    if first == "[" || first == "(" {
      var position = 1
      while position < scalars.count, scalars[position].isDigit { position += 1 }
      let closed =
        position > 1 && position < scalars.count
        && (scalars[position] == "]" || scalars[position] == ")")
      return closed ? .symbol : .none
    }
    var digits = 0
    var value = 0
    while digits < scalars.count, scalars[digits].isDigit {
      value = value * 10 + Int(scalars[digits].value - 0x30)
      digits += 1
    }
    guard (1...3).contains(digits), digits < scalars.count else { return .none }
    let next = scalars[digits]
    let opensText = next.isSpace || next.properties.isAlphabetic || next == "\"" || next == "“"
    return opensText ? .number(value) : .none
  }

  /// True when a line opening with `mark` starts a new note after note `last`: a symbol
  /// always; a number when it is the first note read or follows `last` closely (notes count
  /// up, a date or an amount in a note's text rarely does).
  static func startsNote(_ mark: NoteMark, after last: Int?) -> Bool {
    switch mark {
    case .none: return false
    case .symbol: return true
    case .number(let number):
      guard let last else { return true }
      return number > last && number <= last + 3
    }
  }

  /// Words a heading does not end with; a line ending in one runs on into the next.
  private static let functionWords: Set<String> = [
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
    "de", "des", "du", "la", "le", "les", "et", "en", "del", "el", "los", "las", "y", "para",
  ]

  private func isHeading(_ block: Block, bodySize: Double?, bodyIsBold: Bool) -> Bool {
    // The cheap tests first: most blocks are paragraphs, too long to be headings.
    guard block.lines.count <= 5 else { return false }
    let text = block.text
    guard text.characterCount <= 150 else { return false }
    let words = text.split(separator: " ")
    // Chinese and Japanese count a word per two ideographs; Arabic and Chinese have no
    // capitals.
    let wordCount = Self.spaceSeparatedCount(text)
    guard wordCount <= 15,
      let first = text.first(where: { $0.isLetter || $0.isNumber }),
      first.isUppercase || first.isNumber || !first.isCased,
      let last = text.last, !".,;。，；،؛".contains(last),
      let lastWord = words.last?.lowercased(), !Self.functionWords.contains(lastWord)
    else { return false }
    let letters = text.filter(\.isLetter)
    if letters.count < 2 { return false }
    let lines = block.lines.map(\.line)
    let capitals = letters.filter(\.isUppercase).count
    let inCapitals = letters.count >= 4 && Double(capitals) >= 0.8 * Double(letters.count)
    let larger =
      bodySize.map { body in lines.compactMap(\.fontSize).max().map { $0 >= 1.15 * body } ?? false }
      ?? false
    let bolder = !bodyIsBold && lines.allSatisfy(\.isBold) && lines.first?.box != nil
    // "1. Introduction" is a heading when set apart by style; otherwise a list item.
    if Self.isListItem(text) { return inCapitals || larger || bolder }
    if inCapitals || larger || bolder { return true }
    if (try? Self.numberedHeading.prefixMatch(in: text)) != nil && wordCount <= 12 {
      return true
    }
    // Plain text: a short line standing alone, not ending like a sentence.
    return lines.allSatisfy { $0.box == nil } && lines.count == 1 && wordCount <= 8
      && !"!?:！？：؟".contains(last)
  }

  // MARK: Paragraphs

  private static func endsSentence(_ text: String) -> Bool {
    // ASCII text is judged from its last bytes; a quote mark or other non-ASCII ending takes
    // the general path.
    let utf8 = text.utf8
    var end = utf8.endIndex
    while end > utf8.startIndex,
      utf8[utf8.index(before: end)] == 0x20
        || utf8[utf8.index(before: end)] == 0x09
    {
      end = utf8.index(before: end)
    }
    if end > utf8.startIndex, utf8[utf8.index(before: end)] < 0x80 {
      let last = utf8[utf8.index(before: end)]
      switch last {
      case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ":"): return true
      case UInt8(ascii: "\""), UInt8(ascii: ")"), UInt8(ascii: "'"): break
      default: return false
      }
    }
    let trimmed = text.trimmingBlanks
    guard let last = trimmed.last else { return true }
    if ".!?:؟。！？：".contains(last) { return true }
    if "”\")’'」』".contains(last) {
      return trimmed.dropLast().last.map { ".!?؟。！？".contains($0) } ?? false
    }
    return false
  }

  /// Enough of a paragraph's end for `endsSentence`, which reads its last two characters
  /// before trailing spaces: the last line when it has a character that is not a space or
  /// tab, else the whole text.
  private static func ending(of paragraph: Paragraph) -> String {
    if let last = paragraph.lines.last?.line.text, last.utf8.allSatisfy({ $0 < 0x80 }),
      last.utf8.contains(where: { $0 != 0x20 && $0 != 0x09 })
    {
      return last
    }
    return paragraph.lines.map(\.line.text).joined(separator: " ")
  }

  /// True when the text opens in lower case, or with a letter of a script without case
  /// (Arabic, Chinese), which may continue a paragraph as well as open one.
  private static func startsLowercase(_ text: String) -> Bool {
    guard let first = text.first(where: { !$0.isWhitespace }) else { return false }
    return first.isLowercase || (first.isLetter && !first.isCased)
  }

  /// Paragraphs from body blocks; a block in lower case after an unfinished paragraph
  /// continues it, across columns, headings and pages. A table's row is a paragraph of its
  /// own, under the section's heading and its table's column headers ("Measures taken by
  /// objective / Objective · Measures taken in 2025 · Lead ministry").
  private func joinContinuations(_ blocks: [Block]) -> [Paragraph] {
    var paragraphs: [Paragraph] = []
    var heading: String?
    var columnHeaders: String?
    // The number of the last note read: notes count up through a document.
    var noteNumber: Int?
    for block in blocks {
      if block.table == .header {
        columnHeaders = block.lines.map(\.line.text).joined(separator: " · ")
        continue
      }
      if block.table == nil { columnHeaders = nil }
      if block.isHeading {
        heading = block.text
        continue
      }
      if block.table == .row {
        let context = [heading, columnHeaders].compactMap { $0 }.joined(separator: " / ")
        paragraphs.append(
          Paragraph(lines: block.lines, heading: context.isEmpty ? nil : context, isTableRow: true))
        continue
      }
      // True when the last paragraph is a note on `page`.
      func followsNote(onPage page: Int?) -> Bool {
        paragraphs.last.map { $0.isFootnote && $0.lines.last?.pageNumber == page } ?? false
      }
      // Small print too short to be a note on its own (a page number beside a side label,
      // "49 et papiers": a mark and fewer than three words) is read as any other fragment.
      if block.isFootnote,
        followsNote(onPage: block.lines.first?.pageNumber) || wordCount(block.lines) >= 4
      {
        // Each note is a paragraph of its own, from a line opening with its mark; a line
        // without one continues the note before it on its page. After note 15, a line opening
        // "16 " is note 16, one opening "2008 " or "3 " the note's text.
        for line in block.lines {
          let mark = Self.noteMark(line.line.text)
          if followsNote(onPage: line.pageNumber) && !Self.startsNote(mark, after: noteNumber) {
            paragraphs[paragraphs.count - 1].lines.append(line)
            continue
          }
          paragraphs.append(Paragraph(lines: [line], heading: heading, isFootnote: true))
          // Each note read sets the count, the first on a page afresh: a number misread as a
          // note earlier must not hold back the notes that follow.
          if case .number(let number) = mark { noteNumber = number }
        }
        continue
      }
      let text = block.text
      // The paragraph a block in lower case may continue: the last one, or across the
      // previous page's notes the last before them (its evidence then cites both pages).
      let open = paragraphs.lastIndex { !$0.isFootnote }
      if let open, !paragraphs[open].isTableRow, Self.startsLowercase(text),
        !Self.isListItem(text), Self.runsOn(Self.ending(of: paragraphs[open]))
      {
        paragraphs[open].lines += block.lines
      } else {
        paragraphs.append(Paragraph(lines: block.lines, heading: heading))
      }
    }
    return paragraphs
  }

  /// True when a paragraph ending so is left open for a block in lower case: no sentence
  /// ends there, or it ends in a colon that the next block completes ("via two pillars:" /
  /// "gathering and sharing data ...").
  private static func runsOn(_ ending: String) -> Bool {
    !endsSentence(ending) || ending.trimmingBlanks.hasSuffix(":")
  }

  /// Joins paragraphs of fewer than `minimumWords` words to the next one on the same page
  /// under the same heading, or else to the previous one on that page.
  private func mergeFragments(_ paragraphs: [Paragraph]) -> [Paragraph] {
    var result: [Paragraph] = []
    var carry: Paragraph?
    for var paragraph in paragraphs {
      if paragraph.standsAlone {
        // A row or a note is read on its own: no fragment joins it, it joins none.
        if let pending = carry { appendFragment(pending, to: &result) }
        carry = nil
        result.append(paragraph)
        continue
      }
      if let pending = carry {
        if Self.adjoins(pending, paragraph, anyColumn: false) {
          paragraph.lines = pending.lines + paragraph.lines
        } else {
          appendFragment(pending, to: &result)
        }
        carry = nil
      }
      if wordCount(paragraph) < minimumWords {
        carry = paragraph
      } else {
        result.append(paragraph)
      }
    }
    if let pending = carry { appendFragment(pending, to: &result) }
    return result
  }

  private func appendFragment(_ fragment: Paragraph, to result: inout [Paragraph]) {
    // A fragment with no paragraph of its own column beside it joins the one before it all
    // the same when it is a label of a few words (a side tab, a margin title): standing alone
    // it would be a passage of its own with nothing to say.
    let isLabel = wordCount(fragment) <= 8 && !Self.endsSentence(Self.ending(of: fragment))
    if let last = result.last, !last.standsAlone, Self.adjoins(last, fragment, anyColumn: isLabel) {
      result[result.count - 1].lines += fragment.lines
    } else {
      result.append(fragment)
    }
  }

  /// True when `second` follows `first` where a fragment may join it: on the same page, under
  /// the same heading, and in the same column unless `anyColumn`.
  private static func adjoins(_ first: Paragraph, _ second: Paragraph, anyColumn: Bool) -> Bool {
    first.lines.last?.pageNumber == second.lines.first?.pageNumber
      && first.heading == second.heading
      && (anyColumn || sameColumn(first.lines.last, second.lines.first))
  }

  /// True when two lines sit in one column: they share at least half the narrower one's
  /// width (lines without a place, from plain text, always do). A fragment joins a
  /// neighbour in its own column only: a caption beside a paragraph is not part of it.
  static func sameColumn(_ first: LineRef?, _ second: LineRef?) -> Bool {
    guard let a = first?.line.box, let b = second?.line.box else { return true }
    let overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
    return overlap >= 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)
  }

  private func wordCount(_ paragraph: Paragraph) -> Int { wordCount(paragraph.lines) }

  private func wordCount(_ lines: [LineRef]) -> Int {
    lines.reduce(0) { $0 + Self.spaceSeparatedCount($1.line.text) }
  }

  /// `split(separator: " ").count`, counted on the bytes for ASCII text; Chinese and
  /// Japanese, written without spaces, count a word for every two ideographs (the usual
  /// length of a Chinese word).
  private static func spaceSeparatedCount(_ text: String) -> Int {
    let utf8 = text.utf8
    guard utf8.allSatisfy({ $0 < 0x80 }) else {
      // Ideographs are three UTF-8 bytes led by E3 or more.
      guard utf8.contains(where: { $0 >= 0xE3 }) else { return text.split(separator: " ").count }
      return text.split(separator: " ").reduce(0) { count, word in
        let ideographs = word.unicodeScalars.count(where: \.isIdeographic)
        return count + max(1, (ideographs + 1) / 2)
      }
    }
    var count = 0
    var inWord = false
    for byte in utf8 {
      if byte == 0x20 {
        inWord = false
      } else if !inWord {
        inWord = true
        count += 1
      }
    }
    return count
  }

  // MARK: Splitting and offsets

  struct Piece {
    var text: String
    var page: Int
    var start: Int
    var endPage: Int
    var end: Int
  }

  /// The paragraph's text with, for each scalar, its page and offset in that page's text.
  private func layout(_ paragraph: Paragraph) -> (
    scalars: [Unicode.Scalar], places: [(page: Int, offset: Int)]
  ) {
    var scalars: [Unicode.Scalar] = []
    var places: [(page: Int, offset: Int)] = []
    for (index, ref) in paragraph.lines.enumerated() {
      // Lines join with a space, but Chinese and Japanese, written without spaces, join
      // directly where an ideograph or their punctuation meets the next line's ideograph, or
      // a number meets an ideograph ("2019年至" + "2023年").
      let next = ref.line.text.unicodeScalars.first
      if index > 0, let previous = scalars.last, !previous.isSpace,
        !(previous.isIdeographic && (next?.isIdeographic == true || next?.isDigit == true)),
        !(previous.isDigit && next?.isIdeographic == true)
      {
        scalars.append(" ")
        places.append((ref.pageNumber, max(0, ref.start - 1)))
      }
      for (position, scalar) in ref.line.text.unicodeScalars.enumerated() {
        scalars.append(scalar)
        places.append((ref.pageNumber, ref.start + position))
      }
    }
    return (scalars, places)
  }

  private func split(_ paragraph: Paragraph) -> [Piece] {
    let (scalars, places) = layout(paragraph)
    guard !scalars.isEmpty else { return [] }
    var ranges: [Range<Int>] = [0..<scalars.count]
    if scalars.count > maximumLength {
      ranges = pack(Self.sentenceRanges(scalars), limit: targetLength).flatMap {
        Self.cutAtSpaces($0, scalars, limit: targetLength)
      }
    }
    return ranges.compactMap { range -> Piece? in
      var lower = range.lowerBound
      var upper = range.upperBound
      while lower < upper, scalars[lower].isSpace { lower += 1 }
      while upper > lower, scalars[upper - 1].isSpace { upper -= 1 }
      guard lower < upper else { return nil }
      let text = String(scalars: scalars[lower..<upper])
      // A stray number or symbol (a leftover page number) carries nothing to classify.
      guard Self.hasTwoWords(scalars[lower..<upper], text) else { return nil }
      return Piece(
        text: text, page: places[lower].page, start: places[lower].offset,
        endPage: places[upper - 1].page, end: places[upper - 1].offset + 1)
    }
  }

  /// At least two space-separated words with a letter in them (or two ideographs). Scanned as scalars while the
  /// text is ASCII (most text has its two words before any other character); from the first
  /// other character on, the whole text is judged through `Character.isLetter`.
  private static func hasTwoWords(_ scalars: ArraySlice<Unicode.Scalar>, _ text: String) -> Bool {
    var words = 0
    var wordHasLetter = false
    for scalar in scalars {
      guard scalar.value < 0x80 else {
        let lettered = text.split(separator: " ").lazy.filter { $0.contains { $0.isLetter } }
        return lettered.prefix(2).count >= 2
          || text.unicodeScalars.count(where: { $0.isIdeographic && $0.isAlpha }) >= 2
      }
      if scalar == " " {
        if wordHasLetter { words += 1 }
        wordHasLetter = false
      } else if scalar.isAlpha {
        wordHasLetter = true
      }
      if words >= 2 { return true }
    }
    if wordHasLetter { words += 1 }
    return words >= 2
  }

  private static let abbreviations: Set<String> = [
    "e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "no", "nos", "art", "arts", "para", "paras",
    "vol", "pp", "p", "cf", "st", "inc", "ltd", "u.s", "u.n", "fig", "op", "al", "viz", "vs",
  ]

  /// Sentence ranges: an end is [.!?؟] followed by a space and a capital, a letter of a script
  /// without case (Arabic), a digit or a quote, not after a known abbreviation or a single
  /// capital (an initial); or one of 。！？, after which a sentence starts at once.
  public static func sentenceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = 0
    var index = 0
    while index < scalars.count - 1 {
      let scalar = scalars[index]
      if scalar.value >= 0x3002, scalar == "。" || scalar == "！" || scalar == "？" {
        ranges.append(start..<(index + 1))
        start = index + 1
      } else if scalar == "." || scalar == "!" || scalar == "?" || scalar == "؟",
        scalars[index + 1] == " ", index + 2 < scalars.count
      {
        let next = scalars[index + 2]
        let opensSentence =
          next.isUpper || next.properties.numericType != nil
          || "“\"(‘'«".unicodeScalars.contains(next)
          || (next.value >= 0x370 && next.isAlpha && !next.properties.changesWhenCaseMapped)
        var wordStart = index
        while wordStart > start, !scalars[wordStart - 1].isSpace {
          wordStart -= 1
        }
        let word = String(scalars: scalars[wordStart..<index]).lowercased()
        let isInitial = word.count == 1 && word.first?.isLetter == true
        if opensSentence, scalar != "." || (!abbreviations.contains(word) && !isInitial) {
          ranges.append(start..<(index + 1))
          start = index + 1
        }
      }
      index += 1
    }
    ranges.append(start..<scalars.count)
    return ranges
  }

  /// Cuts a range longer than twice `limit` (a run-on "sentence" such as a table) at the last
  /// space before each `limit` scalars.
  static func cutAtSpaces(_ range: Range<Int>, _ scalars: [Unicode.Scalar], limit: Int)
    -> [Range<Int>]
  {
    guard range.count > 2 * limit else { return [range] }
    var pieces: [Range<Int>] = []
    var start = range.lowerBound
    while range.upperBound - start > limit {
      var cut = start + limit
      while cut > start + limit / 2, !scalars[cut].isSpace { cut -= 1 }
      if cut == start + limit / 2 { cut = start + limit }
      pieces.append(start..<cut)
      start = cut
    }
    pieces.append(start..<range.upperBound)
    return pieces
  }

  /// Packs sentences into pieces of at most `limit` scalars (a longer sentence stays whole).
  private func pack(_ sentences: [Range<Int>], limit: Int) -> [Range<Int>] {
    var pieces: [Range<Int>] = []
    var current: Range<Int>?
    for sentence in sentences {
      if let open = current, sentence.upperBound - open.lowerBound <= limit {
        current = open.lowerBound..<sentence.upperBound
        continue
      }
      if let open = current { pieces.append(open) }
      current = sentence
    }
    if let open = current { pieces.append(open) }
    return pieces
  }
}
