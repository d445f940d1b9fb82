import Foundation

/// The words a language knows, for deciding whether a repaired or joined string is a word.
///
/// Holds a fixed word list (shipped in `Corpus/wordlists`, so results do not depend on the
/// machine). `contains` also accepts regular inflections and common prefixes of a known word
/// ("reintegrations", "non-custodial"), because no list holds every form; French and Spanish
/// lists are shipped without the forms their suffix rules rebuild ("migrantes" from "migrant").
/// Lookups work on lowercased UTF-8 bytes and build no strings: ligature repair tries millions
/// of candidate spellings on a large batch. Limits: the rules are simple suffixes, with no stem
/// changes; lengths in the rules count Unicode scalars, so a word written with combining marks
/// (not NFC) counts its marks.
public struct Vocabulary: Sendable {
  private let words: WordTable
  /// Hyphenated compounds whose hyphen belongs to the word ("follow-up").
  public let compounds: Set<String>
  /// The language of the words ("en").
  public let language: String

  public init(
    words: some Sequence<String>, compounds: some Sequence<String> = [String](),
    language: String = "en"
  ) {
    self.words = WordTable(words.map { Self.lowercase($0) })
    self.compounds = Set(compounds.map { $0.lowercased() })
    self.language = language
  }

  /// Reads a word list: one word per line, `#` starts a comment line.
  public static func readList(_ url: URL) throws -> [String] {
    let text = try String(contentsOf: url, encoding: .utf8)
    if let words = byteList(text) { return words }
    return text.split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
  }

  /// `readList` split and trimmed on UTF-8 bytes, for a list whose only line breaks are LF and
  /// CR (all shipped lists); nil for other text. Every worker reads the lists, and Foundation's
  /// trimming took most of its start-up time. A line that begins or ends with a non-ASCII
  /// character is trimmed by Foundation, in case that character is a space.
  private static func byteList(_ text: String) -> [String]? {
    var text = text
    return text.withUTF8 { bytes -> [String]? in
      // Other line breaks: VT, FF, NEL (C2 85), LS and PS (E2 80 A8/A9).
      for index in bytes.indices {
        switch bytes[index] {
        case 0x0B, 0x0C: return nil
        case 0x85 where index > 0 && bytes[index - 1] == 0xC2: return nil
        case 0xA8, 0xA9:
          if index > 1 && bytes[index - 1] == 0x80 && bytes[index - 2] == 0xE2 { return nil }
        default: continue
        }
      }
      var words: [String] = []
      var start = 0
      for end in 0...bytes.count
      where end == bytes.count || bytes[end] == 0x0A || bytes[end] == 0x0D {
        var lower = start
        var upper = end
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
        start = end + 1
        guard upper > lower else { continue }
        var word = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
        if bytes[lower] >= 0x80 || bytes[upper - 1] >= 0x80 {
          word = word.trimmingBlanks
        }
        if !word.isEmpty && !word.hasPrefix("#") { words.append(word) }
      }
      return words
    }
  }

  /// Loads `NAME.txt` and `NAME-compounds.txt` (if present) from a word-list folder.
  public static func load(folder: URL, language: String) throws -> Vocabulary {
    let words = try readList(folder.appendingPathComponent("\(language).txt"))
    let compoundsURL = folder.appendingPathComponent("\(language)-compounds.txt")
    let compounds =
      FileManager.default.fileExists(atPath: compoundsURL.path) ? try readList(compoundsURL) : []
    return Vocabulary(words: words, compounds: compounds, language: language)
  }

  /// True if the exact (lowercased) form is listed; no affix rules.
  public func lists(_ word: String) -> Bool {
    Self.withLowercaseBytes(word) { words.contains($0) }
  }

  /// `lists` for a word already lowercased, as UTF-8 bytes.
  public func lists(lowercased bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    words.contains(bytes)
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

  /// Calls `body` with the lowercased UTF-8 bytes of `word`, copying only when a letter changes.
  static func withLowercaseBytes<R>(_ word: String, _ body: (UnsafeBufferPointer<UInt8>) -> R)
    -> R
  {
    var lower = lowercase(word)
    return lower.withUTF8(body)
  }

  /// `withLowercaseBytes` for a spelling given as UTF-8 bytes: lowercased in a buffer on the
  /// stack for ASCII, through `lowercase` otherwise.
  static func withLowercaseBytes<R>(_ spelling: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> R)
    -> R
  {
    guard spelling.allSatisfy({ $0 < 0x80 }) else {
      return withLowercaseBytes(String(decoding: spelling, as: UTF8.self), body)
    }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: spelling.count) { lower in
      for (index, byte) in spelling.enumerated() {
        lower[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
      }
      return body(UnsafeBufferPointer(lower))
    }
  }

  /// True if `word` is a known word, an inflection or prefixed form of one, or a hyphenated
  /// compound of known words.
  ///
  /// With `prefixes: false` a prefix is accepted only before a hyphen: guessing repairs needs
  /// the stricter test, since "sub" + "miffing" would pass for a word.
  public func contains(_ word: String, prefixes: Bool = true) -> Bool {
    Self.withLowercaseBytes(word) { contains(lowercased: $0, prefixes: prefixes) }
  }

  /// `contains` for a word already lowercased, as UTF-8 bytes.
  public func contains(lowercased lower: UnsafeBufferPointer<UInt8>, prefixes: Bool = true)
    -> Bool
  {
    if words.contains(lower) { return true }
    guard lower.contains(Self.hyphen) else { return knownForm(lower, prefixes: prefixes) }
    if compounds.contains(String(decoding: lower, as: UTF8.self)) { return true }
    var partCount = 0
    var start = 0
    for end in 0...lower.count where end == lower.count || lower[end] == Self.hyphen {
      let part = UnsafeBufferPointer(rebasing: lower[start..<end])
      if part.isEmpty || !knownForm(part, prefixes: true) { return false }
      partCount += 1
      start = end + 1
    }
    return partCount > 1
  }

  private static let hyphen = UInt8(ascii: "-")

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

  /// English suffixes as bytes, each with the endings that may replace it.
  private static let englishSuffixes: [(suffix: [UInt8], replacements: [[UInt8]])] =
    suffixes.map { (Array($0.0.utf8), $0.1.map { Array($0.utf8) }) }
  private static let prefixBytes = prefixes.map { Array($0.utf8) }
  private static let suffixRuleBytes = suffixRules.mapValues { $0.map { Array($0.utf8) } }

  /// The number of Unicode scalars in UTF-8 `bytes`: bytes that do not continue a sequence.
  private static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 0
    for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
    return count
  }

  /// The length of the stem left when `suffix` is cut from `word`, if the word ends with it
  /// and the stem keeps at least `keep` characters.
  private static func stemLength(
    _ word: UnsafeBufferPointer<UInt8>, removing suffix: [UInt8], keep: Int
  ) -> Int? {
    let cut = word.count - suffix.count
    guard cut >= keep, word[cut...].elementsEqual(suffix) else { return nil }
    let stem = UnsafeBufferPointer(rebasing: word[..<cut])
    return scalarCount(stem) >= keep ? cut : nil
  }

  /// A listed word, or one suffix (two at most) away from one, by the language's rules.
  private func rebuilt(_ lower: UnsafeBufferPointer<UInt8>, depth: Int) -> Bool {
    if words.contains(lower) { return true }
    guard depth > 0, let suffixes = Self.suffixRuleBytes[language] else { return false }
    for suffix in suffixes {
      guard let cut = Self.stemLength(lower, removing: suffix, keep: 3) else { continue }
      if rebuilt(UnsafeBufferPointer(rebasing: lower[..<cut]), depth: depth - 1) { return true }
    }
    return false
  }

  private func knownForm(_ lower: UnsafeBufferPointer<UInt8>, prefixes: Bool) -> Bool {
    if language != "en" { return rebuilt(lower, depth: 2) }
    if words.contains(lower) || inflectionKnown(lower) { return true }
    guard prefixes else { return false }
    for prefix in Self.prefixBytes
    where lower.count > prefix.count && lower[..<prefix.count].elementsEqual(prefix) {
      let rest = UnsafeBufferPointer(rebasing: lower[prefix.count...])
      guard Self.scalarCount(rest) >= 4 else { continue }
      if words.contains(rest) || inflectionKnown(rest) { return true }
    }
    return false
  }

  private func inflectionKnown(_ lower: UnsafeBufferPointer<UInt8>) -> Bool {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: lower.count + 4) { scratch in
      for (suffix, replacements) in Self.englishSuffixes {
        guard let cut = Self.stemLength(lower, removing: suffix, keep: 3) else { continue }
        for replacement in replacements {
          for index in 0..<cut { scratch[index] = lower[index] }
          for (offset, byte) in replacement.enumerated() { scratch[cut + offset] = byte }
          let candidate = UnsafeBufferPointer(rebasing: scratch[..<(cut + replacement.count)])
          if words.contains(candidate) { return true }
        }
      }
      return false
    }
  }
}

/// A set of byte strings in one buffer with open addressing, looked up by byte slices.
///
/// Why not `Set<String>`: a lookup there needs a `String`, and building one per candidate
/// spelling costs more than the lookup itself.
struct WordTable: Sendable {
  private let bytes: [UInt8]
  /// Entry `i` spans `ends[i - 1] ..< ends[i]` of `bytes` (the first starts at 0).
  private let ends: [Int32]
  /// Entry index + 1 per slot; 0 marks an empty slot.
  private let slots: [Int32]
  private let mask: Int

  init(_ words: [String]) {
    var bytes: [UInt8] = []
    var ends: [Int32] = []
    var capacity = 16
    while capacity < words.count * 2 { capacity *= 2 }
    var slots = [Int32](repeating: 0, count: capacity)
    let mask = capacity - 1
    for word in words {
      var word = word
      word.withUTF8 { key in
        var slot = Self.hash(key) & mask
        while slots[slot] != 0 {
          let entry = Int(slots[slot]) - 1
          let start = entry == 0 ? 0 : Int(ends[entry - 1])
          if bytes[start..<Int(ends[entry])].elementsEqual(key) { return }
          slot = (slot + 1) & mask
        }
        bytes.append(contentsOf: key)
        ends.append(Int32(bytes.count))
        slots[slot] = Int32(ends.count)
      }
    }
    self.bytes = bytes
    self.ends = ends
    self.slots = slots
    self.mask = mask
  }

  func contains(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
    bytes.withUnsafeBufferPointer { bytes in
      ends.withUnsafeBufferPointer { ends in
        slots.withUnsafeBufferPointer { slots in
          var slot = Self.hash(key) & mask
          while true {
            let value = Int(slots[slot])
            if value == 0 { return false }
            let start = value == 1 ? 0 : Int(ends[value - 2])
            let end = Int(ends[value - 1])
            if end - start == key.count, Self.equal(bytes, from: start, key) { return true }
            slot = (slot + 1) & mask
          }
        }
      }
    }
  }

  private static func equal(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ key: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    for index in 0..<key.count where bytes[start + index] != key[index] { return false }
    return true
  }

  /// FNV-1a over the bytes, folded so that the low bits index the table.
  private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
    let value = FNV1a.hash(key)
    return Int(truncatingIfNeeded: value ^ (value >> 29))
  }
}

/// 64-bit FNV-1a: a fast hash of byte strings, which can be continued byte by byte (a key
/// made of parts is hashed without being put together).
enum FNV1a {
  static let offset: UInt64 = 0xcbf2_9ce4_8422_2325

  @inline(__always) static func adding(_ byte: UInt8, to hash: UInt64) -> UInt64 {
    (hash ^ UInt64(byte)) &* 0x100_0000_01b3
  }

  static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes, from start: UInt64 = offset) -> UInt64 {
    var hash = start
    for byte in bytes { hash = adding(byte, to: hash) }
    return hash
  }
}
