/// Spans of a text inside quotation marks: the names a passage quotes (a project's title, a
/// thematic area, a report) rather than what it says itself.
///
/// Why: a meta-evaluation that rates reports on "counter-trafficking" or lists the title
/// “Support to returnees in Nigeria” does not discuss trafficking or return. Limits: quotes
/// are paired in order, each span at most `maximumLength` scalars (an unclosed quote then
/// covers nothing); an apostrophe (’ or ') inside a word is no quotation mark, and single
/// quotes are not used at all, as they are too often apostrophes.
enum Quotations {
  static let maximumLength = 300
  private static let openers: [Unicode.Scalar: Set<Unicode.Scalar>] = [
    "\u{201C}": ["\u{201D}", "\u{201C}", "\""],  // “ … ” (or a second “, a common typo)
    "\u{00AB}": ["\u{00BB}"],  // « … »
    "\u{201E}": ["\u{201C}", "\u{201D}"],  // „ … “
    "\"": ["\"", "\u{201D}"],
  ]

  /// The quoted spans of `text`, as Unicode scalar offsets (quotation marks excluded).
  static func spans(_ text: String) -> [Range<Int>] {
    // Most passages quote nothing: their bytes hold no `"` and none of the openers' first
    // bytes (“ and „ start E2 80, « is C2 AB), and they are not read scalar by scalar.
    guard text.utf8.contains(where: { $0 == 0x22 || $0 == 0xE2 || $0 == 0xC2 }) else {
      return []
    }
    let scalars = Array(text.unicodeScalars)
    var spans: [Range<Int>] = []
    var index = 0
    while index < scalars.count {
      guard let closers = openers[scalars[index]] else {
        index += 1
        continue
      }
      let start = index + 1
      let limit = min(scalars.count, start + maximumLength)
      var end = start
      while end < limit, !closers.contains(scalars[end]) { end += 1 }
      if end < limit, end > start {
        spans.append(start..<end)
        index = end + 1
      } else {
        index += 1
      }
    }
    return spans
  }

  /// True if the match lies wholly inside one of `spans`.
  static func isQuoted(_ term: TermMatchRange, in spans: [Range<Int>]) -> Bool {
    spans.contains { $0.lowerBound <= term.start && term.end <= $0.upperBound }
  }
}

/// The offsets of a match, for `Quotations.isQuoted`.
struct TermMatchRange {
  var start: Int
  var end: Int
}
