/// Tells English, French and Spanish apart by their most frequent function words.
///
/// Each language has a list of short words that are frequent in it and rare in the other
/// two ("the", "des", "los"); words the languages share ("la", "en", "que") are left out. A
/// text is the language with the most hits if it has at least `minimumHits` and half as many
/// again as the runner-up; text mostly in a non-Latin script is "other"; too little text, or
/// no clear winner, is "" (unknown). Limits: three languages only; short passages (under a
/// dozen words) are often unknown.
public enum LanguageIdentifier {
  static let markers: [(String, Set<String>)] = [
    (
      "en",
      [
        "the", "and", "of", "to", "is", "for", "that", "with", "on", "are", "this", "by", "from",
        "be",
        "which", "have", "has", "their", "its", "was", "were", "or", "an", "will",
      ]
    ),
    (
      "fr",
      [
        "le", "les", "des", "et", "du", "est", "pour", "dans", "une", "sur", "au", "aux", "qui",
        "par", "ce",
        "ou", "sont", "leur", "leurs", "été", "avec", "cette", "ces", "d", "l", "qu",
      ]
    ),
    (
      "es",
      [
        "el", "los", "las", "del", "y", "por", "para", "una", "con", "se", "al", "su", "sus",
        "como", "es",
        "lo", "este", "esta", "entre", "ha", "han", "sobre", "o",
      ]
    ),
  ]

  /// Every marker word, with the languages it marks (a word may mark one language only,
  /// but the table does not rely on it).
  private static let markerLanguages: [String: [String]] = {
    var table: [String: [String]] = [:]
    for (language, words) in markers {
      for word in words { table[word, default: []].append(language) }
    }
    return table
  }()
  private static let longestMarker = markers.flatMap(\.1).map(\.unicodeScalars.count).max() ?? 0

  /// The language of a text: "en", "fr", "es", "other", or "" when it cannot tell.
  public static func identify(_ text: String, minimumHits: Int = 3) -> String {
    var hits: [String: Int] = [:]
    var latin = 0
    var letters = 0
    var word: [Unicode.Scalar] = []
    var wordLength = 0
    func endWord() {
      if wordLength > 0 && wordLength <= longestMarker {
        for language in markerLanguages[String(scalars: word)] ?? [] {
          hits[language, default: 0] += 1
        }
      }
      word.removeAll(keepingCapacity: true)
      wordLength = 0
    }
    for scalar in text.unicodeScalars {
      if scalar.isAlpha {
        letters += 1
        if scalar.value < 0x250 { latin += 1 }
        wordLength += 1
        // Only words as short as a marker are looked up, so longer ones are not built.
        if wordLength <= longestMarker {
          if scalar.value < 0x80 {
            word.append(scalar.isUpper ? Unicode.Scalar(UInt8(scalar.value) | 0x20) : scalar)
          } else {
            word.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
          }
        }
      } else if wordLength > 0
        && (scalar.value < 0x80 || scalar.properties.generalCategory != .nonspacingMark)
      {
        endWord()
      }
    }
    endWord()
    if letters >= 20 && latin * 2 < letters { return "other" }
    let ranked = hits.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    guard let best = ranked.first, best.value >= minimumHits else { return "" }
    let second = ranked.count > 1 ? ranked[1].value : 0
    return Double(best.value) >= 1.5 * Double(second) ? best.key : ""
  }
}
