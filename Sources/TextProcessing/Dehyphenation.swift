import GCMapCore

/// Joins words split by a hyphen at a line end ("imple-" + "mentation"), keeping real hyphens
/// ("follow-up", "whole-of-government").
///
/// For "left-" at a line end and "right" starting the next line (on the same page, or on the
/// next page when the page ends there), the deciding evidence, in order: how the document
/// itself spells the word elsewhere ("followup" or "follow-up" within a line); the list of
/// hyphenated compounds; a right part that usually follows a hyphen ("-based", "-led", "-up")
/// or a left part that usually precedes one ("self-", "non-", "well-"); whether the joined
/// word is known. The right part moves up to the end of the left line. A next line that starts
/// with a capital or digit keeps the hyphen ("Secretary-" + "General").
public struct Dehyphenation: NormalizationStage {
  public let name = "hyphenation"
  public let vocabulary: Vocabulary

  public init(vocabulary: Vocabulary) {
    self.vocabulary = vocabulary
  }

  static let hyphenPrefixes: Set<String> = [
    "self", "non", "well", "whole", "ex", "cross", "all", "half", "quasi", "pre", "post",
    "multi", "co", "mid", "e",
  ]
  static let hyphenSuffixes: Set<String> = [
    "based", "led", "related", "oriented", "sensitive", "responsive", "specific", "up", "down",
    "making", "term", "level", "wide", "friendly", "free", "owned", "run", "centred",
    "centered", "driven", "focused", "building", "scale", "income", "skilled", "being", "of",
  ]

  public func apply(to pages: [Page]) -> StageResult {
    let original = pages
    var pages = pages
    var joins = 0
    // Walk all lines of the document in order, so a word split at a page end is joined too.
    var positions: [(page: Int, line: Int)] = []
    for (pageIndex, page) in pages.enumerated() {
      for lineIndex in page.lines.indices { positions.append((pageIndex, lineIndex)) }
    }
    // The document's spellings are counted only for the words its splits ask about, found on
    // the lines as extracted, and only when the first split needs them (many documents have
    // none). A join can change the next line, so a split may ask about other words: then
    // every spelling is counted, once.
    var asked: SpellingCounts?
    var everySpelling: [String: Int]?
    for (current, next) in zip(positions, positions.dropFirst()) {
      let upper = pages[current.page].lines[current.line].text
      let lower = pages[next.page].lines[next.line].text
      let crossesPage = current.page != next.page
      if crossesPage && current.line != pages[current.page].lines.count - 1 { continue }
      guard let (left, right) = Self.split(upper: upper, lower: lower) else { continue }
      let words = SpellingKeys(left: left, right: right)
      let counts = asked ?? SpellingCounts(Self.askedWords(original), in: original)
      asked = counts
      let keepHyphen: Bool
      if let pairCount = counts[words.pair], let joinedCount = counts[words.joined] {
        keepHyphen = keepsHyphen(words, pairCount: pairCount, joinedCount: joinedCount)
      } else {
        let all = everySpelling ?? documentSpellings(original)
        everySpelling = all
        keepHyphen = keepsHyphen(
          words, pairCount: all[words.pair, default: 0], joinedCount: all[words.joined, default: 0])
      }
      let rest = lower.unicodeScalars.dropFirst(right.unicodeScalars.count)
      let restText = String(scalars: rest)
      let moved = right + Self.leadingPunctuation(restText)
      let remaining = String(restText.dropFirst(moved.count - right.count))
        .drop { $0 == " " }
      pages[current.page].lines[current.line].text =
        keepHyphen ? upper + moved : String(upper.dropLast()) + moved
      pages[next.page].lines[next.line].text = String(remaining)
      joins += 1
    }
    let cleaned = pages.map { $0.mappingLines { $0 } }
    return StageResult(pages: cleaned, changes: joins)
  }

  /// The words a split asks about, from the lines as extracted: each pair's hyphenated and
  /// joined spellings.
  private static func askedWords(_ pages: [Page]) -> Set<String> {
    var words: Set<String> = []
    var previous: String?
    for page in pages {
      for line in page.lines {
        defer { previous = line.text }
        guard let upper = previous, let (left, right) = split(upper: upper, lower: line.text)
        else { continue }
        let keys = SpellingKeys(left: left, right: right)
        words.insert(keys.pair)
        words.insert(keys.joined)
      }
    }
    return words
  }

  /// The word part before the line-end hyphen and the word starting the next line.
  static func split(upper: String, lower: String) -> (String, String)? {
    guard upper.hasSuffix("-"), !upper.hasSuffix("--"), !upper.hasSuffix(" -") else {
      return nil
    }
    let body = upper.dropLast()
    let leftScalars = body.unicodeScalars.reversed().prefix {
      $0.isAlpha || $0 == "-"
    }
    guard let last = leftScalars.first, last.isAlpha else { return nil }
    let left = String(scalars: leftScalars.reversed())
    let right = String(scalars: lower.unicodeScalars.prefix { $0.isAlpha || $0 == "-" })
    guard let first = right.unicodeScalars.first, first.isLower else { return nil }
    return (left, right.hasSuffix("-") ? String(right.dropLast()) : right)
  }

  /// Punctuation glued to the moved word (",", ".", ")"), which moves up with it.
  private static func leadingPunctuation(_ text: String) -> String {
    String(text.prefix { ".,;:!?)]”’\"'".contains($0) })
  }

  /// Whether "left-" + "right" keeps its hyphen, given how often the document spells the pair
  /// hyphenated and joined; `left` may itself hold hyphens ("whole-of").
  private func keepsHyphen(_ keys: SpellingKeys, pairCount: Int, joinedCount: Int) -> Bool {
    if pairCount != joinedCount { return pairCount > joinedCount }
    if vocabulary.compounds.contains(keys.lowerLeft + "-" + keys.rightHead)
      || vocabulary.compounds.contains(keys.pair) || Self.hyphenSuffixes.contains(keys.rightHead)
    {
      return true
    }
    let joinedKnown = vocabulary.contains(keys.joined)
    if Self.hyphenPrefixes.contains(keys.leftLast) {
      return !(joinedKnown && !vocabulary.contains(keys.rightHead))
    }
    if joinedKnown { return false }
    return vocabulary.contains(keys.leftLast) && vocabulary.contains(keys.rightHead)
  }

  /// How often the document spells each word, and each hyphenated pair, within a line.
  private func documentSpellings(_ pages: [Page]) -> [String: Int] {
    var counts: [String: Int] = [:]
    for page in pages {
      for line in page.lines {
        forEachTokenParts(line.text) { parts in
          if parts.count == 1 { counts[parts[0], default: 0] += 1 }
          for (a, b) in zip(parts, parts.dropFirst()) { counts[a + "-" + b, default: 0] += 1 }
        }
      }
    }
    return counts
  }
}

/// The tokens of a line as `documentSpellings` reads them (runs of letters, joined by hyphens
/// into one token), each as its lowercased hyphen-separated parts.
private func forEachTokenParts(_ text: String, _ body: ([String]) -> Void) {
  var text = text
  let isASCII = text.withUTF8 { bytes in
    guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
    forEachASCIIToken(bytes) { lower, ranges in
      body(ranges.map { String(decoding: UnsafeBufferPointer(rebasing: lower[$0]), as: UTF8.self) })
    }
    return true
  }
  if isASCII { return }
  for token in text.lowercased().split(whereSeparator: { !$0.isLetterFast && $0 != "-" }) {
    body(token.split(separator: "-").map(String.init))
  }
}

/// The tokens of an all-ASCII line as `documentSpellings` reads them (runs of letters, joined
/// by hyphens into one token): for each, the line lowercased and its parts' ranges in it.
private func forEachASCIIToken(
  _ bytes: UnsafeBufferPointer<UInt8>,
  _ body: (UnsafeMutableBufferPointer<UInt8>, [Range<Int>]) -> Void
) {
  withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { lower in
    var parts: [Range<Int>] = []
    var partStart = 0
    for index in 0...bytes.count {
      let byte = index < bytes.count ? bytes[index] : 0x20
      if (byte | 0x20) &- 0x61 < 26 {
        lower[index] = byte | 0x20
        continue
      }
      if index > partStart { parts.append(partStart..<index) }
      partStart = index + 1
      if byte != UInt8(ascii: "-") {
        if !parts.isEmpty { body(lower, parts) }
        parts.removeAll(keepingCapacity: true)
      }
    }
  }
}

/// The parts of a split the document's own usage decides between: "left-right" and
/// "leftright", lowercased, of the last part of `left` and the first part of `right`.
private struct SpellingKeys {
  var lowerLeft: String
  var leftLast: String
  var rightHead: String
  var pair: String { leftLast + "-" + rightHead }
  var joined: String { leftLast + rightHead }

  init(left: String, right: String) {
    lowerLeft = left.lowercased()
    leftLast = String(lowerLeft.split(separator: "-").last ?? Substring(lowerLeft))
    rightHead = String(right.lowercased().split(separator: "-").first ?? "")
  }
}

/// How often a document spells each of some words, counted as `documentSpellings` counts,
/// but without making a string of every word: ASCII lines are hashed on their bytes
/// (`FNV1a`) and only a hash of an asked word is compared with it.
private struct SpellingCounts {
  private var slotsByHash: [UInt64: [Int]] = [:]
  private var spellings: [[UInt8]] = []
  private var slotsByWord: [String: Int] = [:]
  private var counts: [Int] = []
  /// Hashes of the asked words without a hyphen, and of the first parts of those with one,
  /// when every asked word is ASCII; nil otherwise.
  private var wholeWords: Set<UInt64>?
  private var firstParts: Set<UInt64> = []

  init(_ words: Set<String>, in pages: [Page]) {
    var wholeWords: Set<UInt64> = []
    for word in words.sorted() {
      let bytes = Array(word.utf8)
      let hash = FNV1a.hash(bytes)
      slotsByHash[hash, default: []].append(spellings.count)
      slotsByWord[word] = spellings.count
      spellings.append(bytes)
      if bytes.contains(Self.hyphen) {
        firstParts.insert(FNV1a.hash(bytes.prefix { $0 != Self.hyphen }))
      } else {
        wholeWords.insert(hash)
      }
    }
    let allASCII = spellings.allSatisfy { spelling in
      spelling.first.map { $0 != Self.hyphen } ?? false && spelling.allSatisfy { $0 < 0x80 }
    }
    self.wholeWords = allASCII ? wholeWords : nil
    counts = Array(repeating: 0, count: spellings.count)
    guard !spellings.isEmpty else { return }
    for page in pages {
      for line in page.lines where !countASCII(line.text) && mayHoldAskedWord(line.text) {
        forEachTokenParts(line.text) { parts in
          if parts.count == 1, let slot = slotsByWord[parts[0]] { counts[slot] += 1 }
          for (a, b) in zip(parts, parts.dropFirst()) {
            if let slot = slotsByWord[a + "-" + b] { counts[slot] += 1 }
          }
        }
      }
    }
  }

  /// False when a line that is not all ASCII cannot hold an asked word (all of them ASCII):
  /// a word or hyphen-part of the line that lowercases to ASCII letters is made of ASCII
  /// letters (or of the only two other characters that lowercase to one, U+0130 and U+212A,
  /// which send the line to the full count), and is then a whole run of ASCII letters. So an
  /// asked word without a hyphen must be such a run, and the first part of one with a hyphen
  /// a run followed by "-".
  private func mayHoldAskedWord(_ text: String) -> Bool {
    guard let wholeWords else { return true }
    var text = text
    return text.withUTF8 { bytes in
      var index = 0
      while index < bytes.count {
        let byte = bytes[index]
        // U+0130 (C4 B0) and U+212A (E2 84 AA).
        if byte == 0xC4, index + 1 < bytes.count, bytes[index + 1] == 0xB0 { return true }
        if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x84,
          bytes[index + 2] == 0xAA
        {
          return true
        }
        guard (byte | 0x20) &- 0x61 < 26 else {
          index += 1
          continue
        }
        // A run of ASCII letters: is it a first part?
        var hash = FNV1a.offset
        while index < bytes.count, (bytes[index] | 0x20) &- 0x61 < 26 {
          hash = FNV1a.adding(bytes[index] | 0x20, to: hash)
          index += 1
        }
        if wholeWords.contains(hash) { return true }
        if index < bytes.count, bytes[index] == Self.hyphen, firstParts.contains(hash) {
          return true
        }
      }
      return false
    }
  }

  /// The count of an asked word; nil for a word not asked.
  subscript(word: String) -> Int? {
    slotsByWord[word].map { counts[$0] }
  }

  private static let hyphen = UInt8(ascii: "-")

  /// Counts one all-ASCII line on its bytes; false (nothing counted) for other text.
  private mutating func countASCII(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
      forEachASCIIToken(bytes) { lower, parts in
        func part(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
          UnsafeBufferPointer(rebasing: lower[range])
        }
        if parts.count == 1 {
          let word = part(parts[0])
          count(FNV1a.hash(word)) { $0.elementsEqual(word) }
        }
        for (a, b) in zip(parts, parts.dropFirst()) {
          let first = part(a)
          let second = part(b)
          let hash = FNV1a.hash(second, from: FNV1a.adding(Self.hyphen, to: FNV1a.hash(first)))
          count(hash) { spelling in
            spelling.count == first.count + 1 + second.count
              && spelling[..<first.count].elementsEqual(first)
              && spelling[first.count] == Self.hyphen
              && spelling[(first.count + 1)...].elementsEqual(second)
          }
        }
      }
      return true
    }
  }

  /// Adds one to the asked word with `hash` that `matches`, if any.
  private mutating func count(_ hash: UInt64, where matches: ([UInt8]) -> Bool) {
    guard let slots = slotsByHash[hash] else { return }
    for slot in slots where matches(spellings[slot]) {
      counts[slot] += 1
      return
    }
  }
}
