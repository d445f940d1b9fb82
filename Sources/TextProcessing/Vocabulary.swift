import Foundation

/// The words a language knows, for deciding whether a repaired or joined string is a word.
///
/// Holds a fixed word list (shipped in `Corpus/wordlists`, so results do not depend on the
/// machine) plus, per document, the words that document spells intact. `contains` also accepts
/// regular inflections and common prefixes of a known word ("reintegrations", "non-custodial"),
/// because no list holds every form; French and Spanish lists are shipped without the forms
/// their suffix rules rebuild ("migrantes" from "migrant"). Limits: the rules are simple
/// suffixes, with no stem changes.
public struct Vocabulary: Sendable {
  private var words: Set<String>
  /// Hyphenated compounds whose hyphen belongs to the word ("follow-up").
  public private(set) var compounds: Set<String>
  /// The language of the words ("en").
  public let language: String

  public init(
    words: some Sequence<String>, compounds: some Sequence<String> = [String](),
    language: String = "en"
  ) {
    self.words = Set(words.map { $0.lowercased() })
    self.compounds = Set(compounds.map { $0.lowercased() })
    self.language = language
  }

  /// Reads a word list: one word per line, `#` starts a comment line.
  public static func readList(_ url: URL) throws -> [String] {
    try String(contentsOf: url, encoding: .utf8)
      .split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
  }

  /// Loads `NAME.txt` and `NAME-compounds.txt` (if present) from a word-list folder.
  public static func load(folder: URL, language: String) throws -> Vocabulary {
    let words = try readList(folder.appendingPathComponent("\(language).txt"))
    let compoundsURL = folder.appendingPathComponent("\(language)-compounds.txt")
    let compounds =
      FileManager.default.fileExists(atPath: compoundsURL.path) ? try readList(compoundsURL) : []
    return Vocabulary(words: words, compounds: compounds, language: language)
  }

  /// This vocabulary plus more words (a document's own intact words).
  public func adding(_ more: some Sequence<String>) -> Vocabulary {
    var copy = self
    for word in more { copy.words.insert(word.lowercased()) }
    return copy
  }

  /// True if the exact (lowercased) form is listed; no affix rules.
  public func lists(_ word: String) -> Bool {
    words.contains(Self.lowercase(word))
  }

  /// `lowercased()`, without its Unicode machinery for ASCII words.
  static func lowercase(_ word: String) -> String {
    var needsChange = false
    for byte in word.utf8 {
      if byte >= 0x80 { return word.lowercased() }
      if byte &- 0x41 < 26 { needsChange = true }
    }
    guard needsChange else { return word }
    return String(decoding: word.utf8.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
  }

  /// The stems left by removing each of `suffixes` from `word`, keeping at least `keep`
  /// characters: byte-wise for ASCII words, through String's Unicode-aware test otherwise.
  private static func stems(
    of word: String, removing suffixes: [(text: String, bytes: [UInt8])], keep: Int
  ) -> [(index: Int, stem: String)] {
    let bytes = Array(word.utf8)
    let ascii = bytes.allSatisfy { $0 < 0x80 }
    var found: [(Int, String)] = []
    for (index, suffix) in suffixes.enumerated() {
      if ascii {
        let cut = bytes.count - suffix.bytes.count
        guard cut >= keep, bytes[cut...].elementsEqual(suffix.bytes) else { continue }
        found.append((index, String(decoding: bytes[..<cut], as: UTF8.self)))
      } else if word.hasSuffix(suffix.text), word.count - suffix.text.count >= keep {
        found.append((index, String(word.dropLast(suffix.text.count))))
      }
    }
    return found
  }

  /// True if `word` is a known word, an inflection or prefixed form of one, or a hyphenated
  /// compound of known words.
  ///
  /// With `prefixes: false` a prefix is accepted only before a hyphen: guessing repairs needs
  /// the stricter test, since "sub" + "miffing" would pass for a word.
  public func contains(_ word: String, prefixes: Bool = true) -> Bool {
    let lower = Self.lowercase(word)
    if words.contains(lower) || compounds.contains(lower) { return true }
    if lower.contains("-") {
      let parts = lower.split(separator: "-", omittingEmptySubsequences: false)
      return parts.count > 1
        && parts.allSatisfy { !$0.isEmpty && knownForm(String($0), prefixes: true) }
    }
    return knownForm(lower, prefixes: prefixes)
  }

  private static let suffixes: [(String, [String])] = [
    ("s", [""]), ("es", [""]), ("ies", ["y"]), ("ed", ["", "e"]), ("ing", ["", "e"]),
    ("ly", [""]), ("ally", [""]), ("al", ["", "e"]), ("ation", ["e", ""]), ("ations", ["e", ""]),
    ("ness", [""]), ("ment", [""]), ("ments", [""]), ("ity", ["", "e"]), ("ities", ["", "e"]),
    ("ive", ["e", ""]), ("er", ["", "e"]), ("ers", ["", "e"]), ("ist", [""]), ("ists", [""]),
    ("isation", ["ise", "ize"]), ("ization", ["ize", "ise"]),
  ]
  private static let prefixes = [
    "re", "non", "co", "pre", "post", "inter", "intra", "multi", "un", "sub", "over", "under",
    "mis", "dis", "trans", "cross", "counter", "anti", "self", "socio", "semi", "mid", "cyber",
  ]

  /// French and Spanish inflections, as `scripts/build-wordlists` strips them from the lists.
  static let suffixRules: [String: [String]] = [
    "fr": [
      "s", "e", "es", "x", "ent", "ons", "ez", "ait", "aient", "ais", "é", "ée", "és", "ées", "er",
      "ir", "ra",
      "ront", "rait", "ions", "iez", "èrent", "a", "ai", "as", "ant", "ment", "ements", "ation",
      "ations", "eur",
      "eurs", "euse", "euses", "ité", "ités", "elle", "elles", "ienne", "iennes", "ique", "iques",
    ],
    "es": [
      "s", "es", "a", "as", "os", "o", "ar", "er", "ir", "ado", "ada", "ados", "adas", "ido", "ida",
      "idos",
      "idas", "ando", "iendo", "mente", "ción", "ciones",
    ],
  ]

  private static let englishSuffixes = suffixes.map { ($0.0, Array($0.0.utf8)) }
  private static let suffixRuleBytes = suffixRules.mapValues { $0.map { ($0, Array($0.utf8)) } }

  /// A listed word, or one suffix (two at most) away from one, by the language's rules.
  private func rebuilt(_ lower: String, depth: Int) -> Bool {
    if words.contains(lower) { return true }
    guard depth > 0, let suffixes = Self.suffixRuleBytes[language] else { return false }
    for (_, rest) in Self.stems(of: lower, removing: suffixes, keep: 3)
    where rebuilt(rest, depth: depth - 1) {
      return true
    }
    return false
  }

  private func knownForm(_ lower: String, prefixes: Bool) -> Bool {
    if language != "en" { return rebuilt(lower, depth: 2) }
    if words.contains(lower) || inflectionKnown(lower) { return true }
    guard prefixes else { return false }
    for prefix in Self.prefixes where lower.hasPrefix(prefix) && lower.count - prefix.count >= 4 {
      let rest = String(lower.dropFirst(prefix.count))
      if words.contains(rest) || inflectionKnown(rest) { return true }
    }
    return false
  }

  private func inflectionKnown(_ lower: String) -> Bool {
    for (index, stem) in Self.stems(of: lower, removing: Self.englishSuffixes, keep: 3) {
      for replacement in Self.suffixes[index].1 where words.contains(stem + replacement) {
        return true
      }
    }
    return false
  }
}
