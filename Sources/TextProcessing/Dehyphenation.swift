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
    // Counted the first time a split word needs them: many documents have none.
    var spellings: [String: Int]?
    let original = pages
    var pages = pages
    var joins = 0
    // Walk all lines of the document in order, so a word split at a page end is joined too.
    var positions: [(page: Int, line: Int)] = []
    for (pageIndex, page) in pages.enumerated() {
      for lineIndex in page.lines.indices { positions.append((pageIndex, lineIndex)) }
    }
    for (current, next) in zip(positions, positions.dropFirst()) {
      let upper = pages[current.page].lines[current.line].text
      let lower = pages[next.page].lines[next.line].text
      let crossesPage = current.page != next.page
      if crossesPage && current.line != pages[current.page].lines.count - 1 { continue }
      guard let (left, right) = Self.split(upper: upper, lower: lower) else { continue }
      let counts = spellings ?? documentSpellings(original)
      spellings = counts
      let keepHyphen = keepsHyphen(left: left, right: right, spellings: counts)
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

  /// Whether "left-" + "right" keeps its hyphen; `left` may itself hold hyphens ("whole-of").
  func keepsHyphen(left: String, right: String, spellings: [String: Int]) -> Bool {
    let lowerLeft = left.lowercased()
    let leftLast = String(lowerLeft.split(separator: "-").last ?? Substring(lowerLeft))
    let rightHead = String(right.lowercased().split(separator: "-").first ?? "")
    let pair = leftLast + "-" + rightHead
    let joined = leftLast + rightHead
    let pairCount = spellings[pair, default: 0]
    let joinedCount = spellings[joined, default: 0]
    if pairCount != joinedCount { return pairCount > joinedCount }
    if vocabulary.compounds.contains(lowerLeft + "-" + rightHead)
      || vocabulary.compounds.contains(pair) || Self.hyphenSuffixes.contains(rightHead)
    {
      return true
    }
    let joinedKnown = vocabulary.contains(joined)
    if Self.hyphenPrefixes.contains(leftLast) {
      return !(joinedKnown && !vocabulary.contains(rightHead))
    }
    if joinedKnown { return false }
    return vocabulary.contains(leftLast) && vocabulary.contains(rightHead)
  }

  /// How often the document spells each word, and each hyphenated pair, within a line.
  private func documentSpellings(_ pages: [Page]) -> [String: Int] {
    var counts: [String: Int] = [:]
    for page in pages {
      for line in page.lines {
        if Self.countASCII(line.text, into: &counts) { continue }
        let tokens = line.text.lowercased().split { !$0.isLetterFast && $0 != "-" }
        for token in tokens {
          let parts = token.split(separator: "-").map(String.init)
          if parts.count == 1 { counts[parts[0], default: 0] += 1 }
          for (a, b) in zip(parts, parts.dropFirst()) { counts[a + "-" + b, default: 0] += 1 }
        }
      }
    }
    return counts
  }

  /// `documentSpellings` for one all-ASCII line, on its bytes; false (nothing counted) for
  /// other text.
  private static func countASCII(_ text: String, into counts: inout [String: Int]) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
      var parts: [String] = []
      func endToken() {
        if parts.count == 1 { counts[parts[0], default: 0] += 1 }
        for (a, b) in zip(parts, parts.dropFirst()) { counts[a + "-" + b, default: 0] += 1 }
        parts.removeAll(keepingCapacity: true)
      }
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { lower in
        var partStart = 0
        for index in 0...bytes.count {
          let byte = index < bytes.count ? bytes[index] : 0x20
          if (byte | 0x20) &- 0x61 < 26 {
            lower[index] = byte | 0x20
            continue
          }
          if index > partStart {
            parts.append(
              String(
                decoding: UnsafeBufferPointer(rebasing: lower[partStart..<index]), as: UTF8.self))
          }
          partStart = index + 1
          if byte != UInt8(ascii: "-") { endToken() }
        }
      }
      return true
    }
  }
}
