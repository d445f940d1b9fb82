import Foundation

/// What kind of text a passage is, read on its words: prose, or the cells of a table, a
/// chart's labels, or contents and lists of titles.
///
/// Why: a table's row of thematic areas ("Counter-trafficking  Labour migration  Border
/// management"), a chart's labels ("Assisted voluntary return (n = 5)") or a list of report
/// titles holds the Compact's words without saying anything about what was done; read as prose
/// they label objectives nobody discussed. Such text is listed and counted for nothing, as
/// report apparatus is; a table row that holds sentences (a review's measures set out by
/// objective) is prose and classified as such.
///
/// Limits: read on the text alone, not on the page's geometry. Prose is a span of three words or
/// more, ended by `.`, `!` or `?`, at least half of whose words (after the first) start in
/// lower case; a list item (a bullet or "a)") of such words needs no full stop, nor do a
/// footnote's last words. A bullet list of title-case names, or prose that never ends a
/// sentence, is not prose.
public enum TextKind: String, Sendable, Codable, CaseIterable {
  case prose, table, figure, contents

  /// The kind of `text`.
  ///
  /// Read on the UTF-8 bytes, a word at a time: every passage of every document is read, and
  /// splitting it into `Character`s (grapheme breaking and property look-ups on each) cost more
  /// than the rest of its classification.
  ///
  /// A table's row (`isTableRow`, found from the page's geometry) is prose only with a sentence
  /// in the strict sense: ended by `.`, `!` or `?` and two thirds of its words in lower case. Its
  /// cells side by side can make a sentence of names and numbers in the loose sense.
  public static func of(_ text: String, isTableRow: Bool = false, isFootnote: Bool = false)
    -> TextKind
  {
    var text = text
    return text.withUTF8 { kind(of: $0, strict: isTableRow, endsOpen: isFootnote) }
  }

  /// A word as the kind reader sees it.
  struct Word {
    var isDecimal = false
    var hasLetter = false
    var startsUpper = false
    var startsLower = false
    var endsSentence = false
    var isMarker = false
  }

  static func kind(
    of bytes: UnsafeBufferPointer<UInt8>, strict: Bool = false, endsOpen: Bool = false
  )
    -> TextKind
  {
    let words = Self.words(bytes)
    guard !words.isEmpty else { return .prose }
    if leaders(in: bytes) >= 2 { return .contents }
    if chartCounts(in: bytes) >= 2 { return .figure }
    if hasSentence(words, strict: strict, endsOpen: endsOpen) { return .prose }
    let lettered = words.filter(\.hasLetter)
    let capitalized = lettered.count { $0.startsUpper }
    // Without a sentence: names in title case are a list of titles; the rest (numbers, short
    // cells) a table.
    if lettered.count >= 4 && capitalized * 2 >= lettered.count { return .contents }
    return .table
  }

  /// True when `words` hold a sentence (see the type's limits).
  static func hasSentence(_ words: [Word], strict: Bool = false, endsOpen: Bool = false) -> Bool {
    // At least half of the words after the first in lower case; two thirds where the span
    // ends with a number (a table row of names ends with amounts, a sentence with a note).
    func isProse(_ span: ArraySlice<Word>, strict: Bool = false) -> Bool {
      let lettered = span.filter(\.hasLetter)
      guard lettered.count >= 3 else { return false }
      let lower = lettered.dropFirst().count { $0.startsLower }
      return strict ? lower * 3 >= 2 * (lettered.count - 1) : lower * 2 >= lettered.count - 1
    }
    var start = 0
    for (index, word) in words.enumerated() {
      // "42.53 There": a number, a full stop and a note's number, then a new sentence (or the
      // passage's end: "by the end of 2022.56").
      let noteAfterNumber =
        word.isDecimal && (index + 1 == words.count || words[index + 1].startsUpper)
      guard word.endsSentence || (noteAfterNumber && !strict) else { continue }
      if isProse(words[start...index], strict: strict || !word.endsSentence) { return true }
      start = index + 1
    }
    // A footnote often ends without a full stop (on a bracket, a list of places): its
    // closing words, half in lower case, make a sentence.
    if endsOpen, isProse(words[start...], strict: strict) { return true }
    // A list item needs no full stop.
    if let first = words.first, first.isMarker, isProse(words.dropFirst(), strict: strict) {
      return true
    }
    return false
  }

  /// The words of `bytes`, split at ASCII white space; Chinese and Japanese, written without
  /// spaces, count each ideograph (and each of their punctuation marks) as a word.
  static func words(_ bytes: UnsafeBufferPointer<UInt8>) -> [Word] {
    var words: [Word] = []
    var start = 0
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
    // The length of an ideograph or ideographic punctuation mark at `index` (U+3000-U+9FFF,
    // U+FF00-U+FFEF: three UTF-8 bytes led by E3-E9 or EF BC-BF), else 0.
    func ideograph(at index: Int) -> Int {
      guard index + 2 < bytes.count else { return 0 }
      let lead = bytes[index]
      if lead >= 0xE3 && lead <= 0xE9 { return 3 }
      if lead == 0xEF && bytes[index + 1] >= 0xBC { return 3 }
      return 0
    }
    while start < bytes.count {
      while start < bytes.count && isSpace(bytes[start]) { start += 1 }
      var end = start
      while end < bytes.count && !isSpace(bytes[end]) {
        let length = bytes[end] >= 0xE3 ? ideograph(at: end) : 0
        if length > 0 {
          if end > start { words.append(word(UnsafeBufferPointer(rebasing: bytes[start..<end]))) }
          words.append(word(UnsafeBufferPointer(rebasing: bytes[end..<(end + length)])))
          end += length
          start = end
          continue
        }
        end += 1
      }
      if end > start { words.append(word(UnsafeBufferPointer(rebasing: bytes[start..<end]))) }
      start = end
    }
    return words
  }

  static func word(_ bytes: UnsafeBufferPointer<UInt8>) -> Word {
    var word = Word()
    for byte in bytes where isLetter(byte) || byte >= 0x80 {
      word.hasLetter = true
      break
    }
    if let first = bytes.first {
      if first >= 0x41 && first <= 0x5A {
        word.startsUpper = true
      } else if first >= 0x61 && first <= 0x7A {
        word.startsLower = true
      } else if first >= 0x80 {
        let scalar = String(decoding: bytes.prefix(4), as: UTF8.self).unicodeScalars.first
        word.startsUpper = scalar?.properties.isUppercase ?? false
        // A letter of a script without case (Arabic, Chinese) reads as running text.
        word.startsLower =
          scalar.map {
            $0.properties.isLowercase
              || ($0.properties.isAlphabetic && !$0.properties.changesWhenCaseMapped)
          } ?? false
      }
    }
    word.endsSentence = endsSentence(bytes)
    word.isDecimal = isDecimal(bytes)
    word.isMarker = isMarker(bytes)
    return word
  }

  static func isLetter(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
  }

  /// True when a word ends a sentence: a full stop, "!" or "?", perhaps followed by a note's
  /// number or a closing quote or bracket ("return.92", "done.”", "in 2022."). A decimal ("1.2",
  /// "2022.56"), "e.g.", "U.S." and an initial ("J.") do not.
  static func endsSentence(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    // A number with a decimal point ("1.2", "2.1.3") ends no sentence on its own: a table's
    // cells are full of them (see `isDecimal`). A number then a full stop ("in 2022.") does.
    if isDecimal(bytes) { return false }
    var end = bytes.count
    // Closing brackets and quotes: ) ] " ' and the UTF-8 of ” ’ ».
    while end > 0 {
      let last = bytes[end - 1]
      if last == 0x29 || last == 0x5D || last == 0x22 || last == 0x27 {
        end -= 1
      } else if end >= 3 && bytes[end - 3] == 0xE2 && bytes[end - 2] == 0x80
        && (last == 0x9D || last == 0x99)
      {
        end -= 3
      } else if end >= 2 && bytes[end - 2] == 0xC2 && last == 0xBB {
        end -= 2
      } else if end >= 3 && bytes[end - 3] == 0xE3 && bytes[end - 2] == 0x80
        && (last == 0x8D || last == 0x8F)
      {
        // 」 and 』
        end -= 3
      } else {
        break
      }
    }
    var digits = 0
    while end - digits > 0 && bytes[end - digits - 1] >= 0x30 && bytes[end - digits - 1] <= 0x39 {
      digits += 1
    }
    if digits > 0 {
      guard digits <= 3 else { return false }
      end -= digits
    }
    // Arabic's question mark and the ideographic full stop, exclamation and question marks.
    if end >= 2 && bytes[end - 2] == 0xD8 && bytes[end - 1] == 0x9F { return true }
    if end >= 3 {
      let (a, b, c) = (bytes[end - 3], bytes[end - 2], bytes[end - 1])
      if (a == 0xE3 && b == 0x80 && c == 0x82)
        || (a == 0xEF && b == 0xBC && (c == 0x81 || c == 0x9F))
      {
        return true
      }
    }
    let mark = end > 0 ? bytes[end - 1] : 0
    guard mark == 0x2E || mark == 0x21 || mark == 0x3F else { return false }
    // An abbreviation: pieces of one or two letters between full stops ("e.g.", "U.S.", "J.").
    var piece = 0
    var abbreviation = true
    for byte in bytes[0..<end] {
      if byte == 0x2E {
        piece = 0
      } else if isLetter(byte) && piece < 2 {
        piece += 1
      } else {
        abbreviation = false
        break
      }
    }
    return !abbreviation
  }

  /// A number with a point inside ("1.2", "42.53"): a decimal, or a number, a full stop and a
  /// note's number ("the target of 42.53 There are..."), told apart by the word after it.
  static func isDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2C }
      && bytes.dropLast().contains(0x2E)
  }

  /// A bullet or a list label ("•", "-", "a)", "(b)", "1.").
  static func isMarker(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let text = String(decoding: bytes, as: UTF8.self)
    if text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first {
      return "•▪◦‣●○■□➢►▶✓✔-–—*".unicodeScalars.contains(scalar)
    }
    guard bytes.count <= 4, let last = bytes.last, last == 0x29 || last == 0x2E else {
      return false
    }
    let core = bytes.filter { $0 != 0x28 && $0 != 0x29 && $0 != 0x2E }
    return !core.isEmpty && core.count <= 2
      && (core.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } || core.allSatisfy(isLetter))
  }

  /// Dot leaders of a table of contents ("Introduction ........ 4", or with "…").
  static func leaders(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 0
    var run = 0
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x2E {
        run += 1
      } else if byte == 0xE2 && index + 2 < bytes.count && bytes[index + 1] == 0x80
        && bytes[index + 2] == 0xA6
      {
        run += 3
        index += 2
      } else if byte == 0x20 && run > 0 {
        // ". . . ." counts as a run.
      } else {
        if run >= 4 { count += 1 }
        run = 0
      }
      index += 1
    }
    return count + (run >= 4 ? 1 : 0)
  }

  /// A chart's counts by label: "(n = 5)", "(n=12)", "( N = 3 )".
  static func chartCounts(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 0
    var index = 0
    func skipSpaces() { while index < bytes.count && bytes[index] == 0x20 { index += 1 } }
    while index < bytes.count {
      guard bytes[index] == 0x28 else {
        index += 1
        continue
      }
      index += 1
      skipSpaces()
      guard index < bytes.count, bytes[index] == 0x6E || bytes[index] == 0x4E else { continue }
      index += 1
      skipSpaces()
      guard index < bytes.count, bytes[index] == 0x3D else { continue }
      index += 1
      skipSpaces()
      var digits = 0
      while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 {
        digits += 1
        index += 1
      }
      skipSpaces()
      if digits > 0 && index < bytes.count && bytes[index] == 0x29 { count += 1 }
    }
    return count
  }
}
