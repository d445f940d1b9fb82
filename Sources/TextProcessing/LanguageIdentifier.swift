import CLD2

/// Identifies a text's language: Compact Language Detector 2 (cld2) first, and, where it is not
/// sure, the most frequent function words of English, French and Spanish.
///
/// cld2 (Google's n-gram detector, Debian libcld2-dev) knows some 80 languages and every
/// script: a text it identifies reliably, with at least half of its letters in one language,
/// is that language (one of the UN's six), or "other" for any other language; callers read an
/// Arabic, Russian or Chinese text as "other" where the corpus has no lexicons for it
/// (`readable`).
/// Short texts, lists of names and mixtures it is not sure of go to the function words below.
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

  /// Every marker word, as its packed UTF-8 bytes (see `pack`), with the languages it marks
  /// as bits in the order of `markers` (a word may mark one language only, but the table does
  /// not rely on it). Every passage is identified, so words are looked up as integers, never
  /// made into strings.
  private static let markerLanguages: [UInt64: UInt8] = {
    var table: [UInt64: UInt8] = [:]
    for (index, (_, words)) in markers.enumerated() {
      for word in words {
        var key = PackedWord()
        for byte in word.utf8 { key.append(byte) }
        if let packed = key.value { table[packed, default: 0] |= 1 << index }
      }
    }
    return table
  }()
  private static let longestMarker = markers.flatMap(\.1).map(\.unicodeScalars.count).max() ?? 0

  /// Up to eight UTF-8 bytes in one integer; longer words have no value (no marker is longer).
  private struct PackedWord {
    private var bits: UInt64 = 0
    private var count = 0

    mutating func append(_ byte: UInt8) {
      if count < 8 { bits |= UInt64(byte) << (8 * UInt64(count)) }
      count += 1
    }

    var value: UInt64? { count <= 8 ? bits : nil }
  }

  /// The UN's six official languages, which gcmap can read; cld2's other languages are
  /// "other".
  public static let unLanguages: Set<String> = ["en", "fr", "es", "ar", "ru", "zh"]

  /// The UN languages in scripts other than Latin: a document in one of them is read only
  /// where the corpus has its lexicons (`readable`); the function words know only the others.
  public static let nonLatin: Set<String> = ["ar", "ru", "zh"]

  /// `language` as gcmap reads it given the languages it has lexicons for: "other" for Arabic,
  /// Russian or Chinese without lexicons (reported, not scored in English); the rest as it is.
  public static func readable(_ language: String, scored: Set<String>) -> String {
    nonLatin.contains(language) && !scored.contains(language) ? "other" : language
  }

  /// cld2's language for `text` when it is reliable and holds at least half of the text's
  /// letters (one of the UN languages, traditional Chinese as "zh", or "other"), else nil.
  public static func detected(_ text: String) -> String? {
    var text = text
    let result = text.withUTF8 { bytes -> gcmap_cld2_result in
      bytes.withMemoryRebound(to: CChar.self) { chars in
        gcmap_cld2_detect(chars.baseAddress, Int32(clamping: chars.count))
      }
    }
    let code = withUnsafeBytes(of: result.code) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    guard result.reliable != 0, result.percent >= 50, code != "un", !code.isEmpty else {
      return nil
    }
    let language = code.hasPrefix("zh") ? "zh" : code
    return unLanguages.contains(language) ? language : "other"
  }

  /// The language of a text: a UN language, "other", or "" when it cannot tell. cld2's
  /// reliable answer first; else the function words (`minimumHits` of them, half as many
  /// again as the runner-up's).
  public static func identify(_ text: String, minimumHits: Int = 3) -> String {
    if let found = detected(text) { return found }
    let byWords = byFunctionWords(text, minimumHits: minimumHits)
    if byWords == "other", let found = dominant(text) { return found }
    if byWords.isEmpty || byWords == "other", isChineseScript(text) { return "zh" }
    return byWords
  }

  /// True when most of `text`'s letters are Han ideographs and none is Japanese kana or Korean
  /// hangul: Chinese, though too short for cld2 to say so reliably (a caption, a table cell).
  public static func isChineseScript(_ text: String) -> Bool {
    var letters = 0
    var ideographs = 0
    for scalar in text.unicodeScalars where scalar.isAlpha {
      letters += 1
      if scalar.isIdeograph {
        ideographs += 1
      } else if (0x3040...0x30FF).contains(scalar.value) || (0xAC00...0xD7AF).contains(scalar.value)
        || (0x1100...0x11FF).contains(scalar.value)
      {
        return false
      }
    }
    return ideographs * 2 > letters
  }

  /// The language of most of the letters of `text`'s lines that cld2 names reliably, for text
  /// in several languages none of which holds half of it (a page of Arabic, Russian and
  /// Chinese paragraphs); nil if no line is named.
  static func dominant(_ text: String) -> String? {
    var letters: [String: Int] = [:]
    for line in text.split(separator: "\n") {
      let count = line.unicodeScalars.count(where: \.isAlpha)
      guard count >= 20, let language = detected(String(line)) else { continue }
      letters[language, default: 0] += count
    }
    return letters.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
  }

  /// The language of a text by its function words alone.
  public static func byFunctionWords(_ text: String, minimumHits: Int) -> String {
    var hitsByLanguage = [Int](repeating: 0, count: markers.count)
    var latin = 0
    var letters = 0
    var word = PackedWord()
    var wordLength = 0
    func endWord() {
      if wordLength > 0 && wordLength <= longestMarker, let key = word.value,
        let languages = markerLanguages[key]
      {
        for index in hitsByLanguage.indices where languages & (1 << index) != 0 {
          hitsByLanguage[index] += 1
        }
      }
      word = PackedWord()
      wordLength = 0
    }
    for scalar in text.unicodeScalars {
      if scalar.isAlpha {
        letters += 1
        if scalar.value < 0x250 { latin += 1 }
        wordLength += 1
        // Only words as short as a marker are looked up, so longer ones are not packed.
        if wordLength <= longestMarker {
          if scalar.value < 0x80 {
            word.append(UInt8(truncatingIfNeeded: scalar.value) | (scalar.isUpper ? 0x20 : 0))
          } else {
            for lower in scalar.properties.lowercaseMapping.unicodeScalars {
              for byte in UTF8.encode(lower) ?? UTF8.EncodedScalar() { word.append(byte) }
            }
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
    let hits = zip(markers, hitsByLanguage).filter { $0.1 > 0 }.map { (key: $0.0.0, value: $0.1) }
    let ranked = hits.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    guard let best = ranked.first, best.value >= minimumHits else { return "" }
    let second = ranked.count > 1 ? ranked[1].value : 0
    return Double(best.value) >= 1.5 * Double(second) ? best.key : ""
  }
}
