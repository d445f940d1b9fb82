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
/// lower case; a list item (a bullet or "a)") of such words needs no full stop. A bullet
/// list of title-case names, or prose that never ends a sentence, is not prose.
public enum TextKind: String, Sendable, Codable, CaseIterable {
  case prose, table, figure, contents

  /// The kind of `text`.
  public static func of(_ text: String) -> TextKind {
    let words = text.split(whereSeparator: \.isWhitespace)
    guard !words.isEmpty else { return .prose }
    if leaders(in: text) >= 2 { return .contents }
    if chartCounts(in: text) >= 2 { return .figure }
    if hasSentence(words) { return .prose }
    let lettered = words.filter { $0.contains(where: \.isLetter) }
    let capitalized = lettered.filter { $0.first?.isUppercase == true }.count
    // Without a sentence: names in title case are a list of titles; the rest (numbers, short
    // cells) a table.
    if lettered.count >= 4 && capitalized * 2 >= lettered.count { return .contents }
    return .table
  }

  /// True when `words` hold a sentence (see the type's limits).
  static func hasSentence(_ words: [Substring]) -> Bool {
    var span: [Substring] = []
    func isProse(_ span: [Substring]) -> Bool {
      let lettered = span.filter { $0.contains(where: \.isLetter) }
      guard lettered.count >= 3 else { return false }
      let lower = lettered.dropFirst().filter { $0.first?.isLowercase == true }.count
      return lower * 2 >= lettered.count - 1
    }
    for word in words {
      span.append(word)
      if endsSentence(word) {
        if isProse(span) { return true }
        span.removeAll(keepingCapacity: true)
      }
    }
    // A list item needs no full stop.
    if let first = words.first, Self.isMarker(first), isProse(Array(words.dropFirst())) {
      return true
    }
    return false
  }

  /// True when `word` ends a sentence: a full stop, "!" or "?", perhaps followed by a note's
  /// number or a closing quote or bracket ("2022.56", "return.92", "done.”"). "e.g.", "U.S."
  /// and an initial ("J.") do not.
  static func endsSentence(_ word: Substring) -> Bool {
    var core = word
    while let last = core.last, ")]”’\"»".contains(last) { core = core.dropLast() }
    if let last = core.last, last.isNumber {
      let digits = core.reversed().prefix { $0.isNumber }.count
      let rest = core.dropLast(digits)
      guard let mark = rest.last, ".!?".contains(mark), digits <= 3 else { return false }
      core = rest
    }
    guard let last = core.last, ".!?".contains(last) else { return false }
    let pieces = core.split(separator: ".")
    let abbreviation = pieces.allSatisfy { $0.count <= 2 && $0.allSatisfy(\.isLetter) }
    return !abbreviation
  }

  /// A bullet or a list label ("•", "-", "a)", "(b)", "1.").
  static func isMarker(_ word: Substring) -> Bool {
    if word.count == 1, let scalar = word.unicodeScalars.first {
      return "•▪◦‣●○■□➢►▶✓✔-–—*".unicodeScalars.contains(scalar)
    }
    let core = word.trimmingCharacters(in: CharacterSet(charactersIn: "().)"))
    return word.count <= 4 && !core.isEmpty && core.count <= 2
      && (core.allSatisfy(\.isNumber) || core.allSatisfy(\.isLetter))
      && (word.hasSuffix(")") || word.hasSuffix("."))
  }

  /// Dot leaders of a table of contents ("Introduction ........ 4").
  static func leaders(in text: String) -> Int {
    var count = 0
    var run = 0
    for scalar in text.unicodeScalars {
      if scalar == "." || scalar == "…" {
        run += scalar == "…" ? 3 : 1
      } else if scalar == " " && run > 0 {
        continue
      } else {
        if run >= 4 { count += 1 }
        run = 0
      }
    }
    return count + (run >= 4 ? 1 : 0)
  }

  /// A chart's counts by label: "(n = 5)", "(n=12)".
  static func chartCounts(in text: String) -> Int {
    text.matches(of: #/\(\s*[nN]\s*=\s*\d+\s*\)/#).count
  }
}
