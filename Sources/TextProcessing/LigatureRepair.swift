import GCMapCore

/// Repairs words whose ligature glyphs came out as stray characters ("Interna<onal",
/// "plaEorm", "draO", "cu^ng", "hlps").
///
/// Fonts without a proper ToUnicode map make extractors emit some other character for a
/// ligature glyph; which character stands for which ligature differs from font to font. So the
/// stage first infers a map per document: every odd character inside a word votes for the
/// ligature that turns the most words into known words ('<' → "ti" because "Migra<on" →
/// "Migration"). It then repairs a word only where the result is a known word, or, for
/// characters that never occur inside words (such as '<', '$', '^'), wherever the map is
/// confident, which also mends names and run-together URLs ("Fa<ma", "migra<onnetwork").
/// A correctly spelled word is never touched: "Opening" and "Eleven" stay, though 'O' and
/// 'E' stand for ligatures in some documents. Limits: a letter that stands for a ligature
/// ("hlps" for "https") is repaired only where the result is a known word; a damaged word
/// whose repair is no known word and holds such a letter stays as it is ("mpE" for "mptf").
public struct LigatureRepair: NormalizationStage {
  public let name = "ligatures"
  public let vocabulary: Vocabulary

  /// Ligatures a lost glyph may stand for, most common first.
  static let ligatures = [
    "ti", "tt", "tti", "ft", "tf", "fi", "fl", "ff", "ffi", "ffl", "fb", "fh", "fj", "fk",
  ]
  /// A small letter may stand for a ligature only in words this long, and only where the
  /// repair is a known word at least one letter longer: short unknown words ("en" in a URL)
  /// too easily become some word.
  static let minimumLetterWord = 4
  /// Votes for lost glyphs (symbols, capitals) a document needs before its small letters
  /// are suspected too.
  static let minimumGlyphVotes = 3
  /// Different words a capital needs as votes in a document without lost symbols.
  static let minimumCapitalWords = 3

  public init(vocabulary: Vocabulary) {
    self.vocabulary = vocabulary
  }

  /// The inferred glyph → ligature map of one document, with the votes behind it.
  public struct GlyphMap: Sendable, Equatable {
    /// For each odd character, its candidate ligatures, most votes first.
    public var votes: [Unicode.Scalar: [(ligature: String, count: Int)]]

    public static func == (lhs: GlyphMap, rhs: GlyphMap) -> Bool {
      lhs.summary == rhs.summary
    }

    /// The winning ligature if it has at least `minimum` votes and 75% of them.
    func confident(_ glyph: Unicode.Scalar, minimum: Int) -> String? {
      guard let ranked = votes[glyph], let best = ranked.first else { return nil }
      let total = ranked.reduce(0) { $0 + $1.count }
      return best.count >= minimum && best.count * 4 >= total * 3 ? best.ligature : nil
    }

    /// "< → ti (57), ^ → tt (3)": the map as one deterministic line.
    public var summary: String {
      votes.keys.sorted { $0.value < $1.value }.compactMap { glyph in
        guard let best = votes[glyph]?.first else { return nil }
        return "\(Character(glyph)) → \(best.ligature) (\(best.count))"
      }.joined(separator: ", ")
    }
  }

  public func apply(to pages: [Page]) -> StageResult {
    let sample = pages.prefix(5).map(\.text).joined(separator: "\n")
    return apply(to: pages, language: LanguageIdentifier.identify(sample, minimumHits: 20))
  }

  public func apply(to pages: [Page], language: String) -> StageResult {
    // Each distinct word is judged once: known, or repaired the same way wherever it occurs.
    // A word listed as it stands (most words) is known at once and never becomes a string.
    var occurrences: [String: Int] = [:]
    for page in pages {
      for line in page.lines {
        let scalars = Array(line.text.unicodeScalars)
        for range in Self.wordRanges(scalars) where !isListedASCII(scalars[range]) {
          occurrences[String(scalars: scalars[range]), default: 0] += 1
        }
      }
    }
    let unknown = occurrences.filter { !known($0.key) }
    // A letter standing for a ligature is only guessed in text of the vocabulary's language:
    // elsewhere unknown words are plentiful and some turn into words by chance ("Unies" into
    // "Unties", "entre" into "entire" with an English list on French text).
    let ownLanguage = language == vocabulary.language
    var map = inferMap(unknown: unknown, letters: ownLanguage)
    if !ownLanguage {
      map.votes = map.votes.filter { !$0.key.isLower }
    }
    var repairs: [String: String] = [:]
    if !map.votes.isEmpty {
      for word in unknown.keys {
        if let fixed = repair(word, map: map, isKnown: false) { repairs[word] = fixed }
      }
    }
    let notes = map.votes.isEmpty ? [:] : ["glyphMap": map.summary]
    // Most documents need no repair at all: their lines are left as they are.
    guard !repairs.isEmpty else { return StageResult(pages: pages, changes: 0, notes: notes) }
    var repaired = 0
    let result = pages.map { page in
      page.mappingLines { line in
        // Only unlisted words were judged, so only they can have a repair; a line without one
        // stays as it is.
        var scalars = Array(line.unicodeScalars)
        var fixes: [(range: Range<Int>, fixed: String)] = []
        for range in Self.wordRanges(scalars) where !isListedASCII(scalars[range]) {
          if let fixed = repairs[String(scalars: scalars[range])] { fixes.append((range, fixed)) }
        }
        guard !fixes.isEmpty else { return line }
        // Replace from the end so that earlier ranges stay valid.
        for fix in fixes.reversed() {
          scalars.replaceSubrange(fix.range, with: fix.fixed.unicodeScalars)
        }
        repaired += fixes.count
        return String(scalars: scalars)
      }
    }
    return StageResult(pages: result, changes: repaired, notes: notes)
  }

  // MARK: Words and suspect characters

  private enum Kind { case letter, separator, betweenLetters, glyph }

  /// Characters that are real punctuation inside words only when not between two letters.
  private static let betweenLettersOnly: Set<Unicode.Scalar> = [
    ")", "!", "]", "'", "\u{2019}", "`", "*", "\u{2018}",
  ]
  /// Closing brackets with their openers: ")" is a lost glyph in "Tenta)ve" but editorial in
  /// "[a]s" and "migrant(s)", where an opener comes first.
  private static let openers: [Unicode.Scalar: Unicode.Scalar] = [")": "(", "]": "["]
  /// Apostrophes: a lost ligature only where the repair is a known word (never "General's").
  private static let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}", "`", "\u{2018}"]
  private static let separators = Set(
    "-.,;:/@_&=?+#%\"“”«»–—…·•‐§°([{0123456789".unicodeScalars)

  private static func kind(_ scalar: Unicode.Scalar) -> Kind {
    if scalar.isAlpha { return .letter }
    if scalar.isSpace || separators.contains(scalar) { return .separator }
    if betweenLettersOnly.contains(scalar) { return .betweenLetters }
    switch scalar.properties.generalCategory {
    case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol, .privateUse, .unassigned,
      .otherPunctuation, .openPunctuation, .closePunctuation, .connectorPunctuation:
      return .glyph
    default:
      return .separator
    }
  }

  /// `kind` of each ASCII character, looked up instead of tested: most text is ASCII.
  private static let asciiKinds: [Kind] = (0..<0x80).map { value in
    kind(Unicode.Scalar(UInt8(value)))
  }

  /// True if the word is ASCII and listed, lowercased, in the vocabulary.
  private func isListedASCII(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
    guard word.count <= 64, word.allSatisfy({ $0.value < 0x80 }) else { return false }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: word.count) { lower in
      for (offset, scalar) in word.enumerated() {
        let byte = UInt8(truncatingIfNeeded: scalar.value)
        lower[offset] = byte &- 0x41 < 26 ? byte | 0x20 : byte
      }
      return vocabulary.lists(lowercased: UnsafeBufferPointer(lower))
    }
  }

  /// The word-like runs of a line (letters joined by suspect characters), as ranges of its
  /// scalars.
  static func wordRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
    let kinds = scalars.map { $0.value < 0x80 ? asciiKinds[Int($0.value)] : kind($0) }
    var words: [Range<Int>] = []
    var index = 0
    while index < scalars.count {
      guard kinds[index] == .letter || kinds[index] == .glyph else {
        index += 1
        continue
      }
      var end = index
      while end < scalars.count {
        switch kinds[end] {
        case .letter, .glyph:
          end += 1
          continue
        case .betweenLetters:
          if end > index, kinds[end - 1] == .letter, end + 1 < scalars.count,
            kinds[end + 1] == .letter, !opened(scalars, before: end)
          {
            end += 1
            continue
          }
        case .separator:
          break
        }
        break
      }
      var start = index
      // Glyphs at the edges count only next to a letter.
      while start < end, kinds[start] == .glyph,
        start + 1 >= end || kinds[start + 1] != .letter
      {
        start += 1
      }
      var stop = end
      while stop > start, kinds[stop - 1] == .glyph, stop - 2 < start || kinds[stop - 2] != .letter
      {
        stop -= 1
      }
      if stop > start, kinds[start..<stop].contains(.letter) { words.append(start..<stop) }
      index = max(end, index + 1)
    }
    return words
  }

  /// True if `scalars[position]` closes a bracket opened earlier in its whitespace-separated
  /// token.
  private static func opened(_ scalars: [Unicode.Scalar], before position: Int) -> Bool {
    guard let opener = openers[scalars[position]] else { return false }
    var index = position - 1
    while index >= 0, !scalars[index].isSpace {
      if scalars[index] == opener { return true }
      index -= 1
    }
    return false
  }

  /// Positions of characters in `word` that may stand for a ligature: non-letters, and
  /// capitals that follow a small letter ("plaEorm"), except in words shaped like acronyms
  /// ("HoA", "MoU", "MoLSA", "SoPs": a capital first and at most one other small letter, a
  /// plural "s" aside), which reports use by the hundred and which a lost ligature would
  /// otherwise turn into words ("HoA" into "Hoff").
  private static func suspects(_ scalars: [Unicode.Scalar]) -> [Int] {
    let acronym = isAcronymShaped(scalars)
    return scalars.indices.filter { index in
      let scalar = scalars[index]
      if !scalar.isAlpha { return true }
      return !acronym && index > 0 && scalar.isUpper
        && scalars[index - 1].isLower
    }
  }

  /// True for a capital followed by letters of which at most one is small (a final plural
  /// "s" not counted).
  static func isAcronymShaped(_ scalars: [Unicode.Scalar]) -> Bool {
    guard let first = scalars.first, first.isUpper, scalars.allSatisfy(\.isAlpha) else {
      return false
    }
    var letters = scalars.dropFirst()
    if letters.count > 1, letters.last == "s" { letters = letters.dropLast() }
    return letters.filter(\.isLower).count <= 1
  }

  // MARK: Inferring the map

  /// Counts, for each suspect character, which ligature turns unknown words into known ones.
  func inferMap(words: [String]) -> GlyphMap {
    var occurrences: [String: Int] = [:]
    for word in words { occurrences[word, default: 0] += 1 }
    return inferMap(unknown: occurrences.filter { !known($0.key) }, letters: true)
  }

  /// The map from the document's unknown words and their counts. Small letters are tried as
  /// ligatures only when `letters` is set and the document shows lost glyphs of other kinds
  /// (symbols, capitals inside words): trying every letter of every unknown word is costly,
  /// and a document whose fonts lost no other glyph has not lost letters either.
  func inferMap(unknown: [String: Int], letters: Bool) -> GlyphMap {
    var counts: [Unicode.Scalar: [String: Int]] = [:]
    // How many different words voted for each glyph.
    var voters: [Unicode.Scalar: Int] = [:]
    var letterWords: [(scalars: [Unicode.Scalar], count: Int)] = []
    for (word, count) in unknown {
      let scalars = Array(word.unicodeScalars)
      let positions = Self.suspects(scalars)
      let glyphs = Array(Set(positions.map { scalars[$0] })).sorted { $0.value < $1.value }
      if glyphs.isEmpty {
        if letters && scalars.count >= Self.minimumLetterWord {
          letterWords.append((scalars, count))
        }
        continue
      }
      guard glyphs.count <= 2 else { continue }
      let candidates = Self.assignments(glyphs.count).map {
        (spelling: Self.replace(scalars, positions, glyphs, $0), assignment: $0)
      }
      let best = bestRanked(candidates)
      for candidate in best {
        for (glyph, ligature) in zip(glyphs, candidate.assignment) {
          counts[glyph, default: [:]][ligature, default: 0] += count
        }
      }
      if !best.isEmpty {
        for glyph in glyphs { voters[glyph, default: 0] += 1 }
      }
    }
    // A capital stands for a ligature only in a document that has lost symbols too ("<" for
    // "ti"), or in several different words: one brand or acronym repeated ("MoMo" as "Motto")
    // is no lost glyph.
    let symbolVotes = counts.filter { !$0.key.isAlpha }.values.reduce(0) {
      $0 + $1.values.reduce(0, +)
    }
    counts = counts.filter {
      !$0.key.isAlpha || symbolVotes >= Self.minimumGlyphVotes
        || voters[$0.key, default: 0] >= Self.minimumCapitalWords
    }
    let glyphVotes = counts.values.reduce(0) { $0 + $1.values.reduce(0, +) }
    if glyphVotes >= Self.minimumGlyphVotes {
      // A small letter standing for a ligature ("hlps"): try each letter once. The words hold
      // letters only, so a listed spelling is all rank 2 asks for.
      var candidate: [UInt8] = []
      for (scalars, count) in letterWords {
        // ASCII words are lowercased once; each candidate is then the same bytes with one
        // letter swapped for a ligature.
        let ascii = scalars.allSatisfy { $0.value < 0x80 }
        let lower = ascii ? scalars.map { UInt8(truncatingIfNeeded: $0.value) | 0x20 } : []
        for position in scalars.indices where scalars[position].isLower {
          for (ligature, bytes) in zip(Self.ligatures, Self.ligatureBytes) {
            candidate.removeAll(keepingCapacity: true)
            let listed: Bool
            if ascii {
              candidate += lower[..<position]
              candidate += bytes
              candidate += lower[(position + 1)...]
              listed = candidate.withUnsafeBufferPointer { vocabulary.lists(lowercased: $0) }
            } else {
              for (index, scalar) in scalars.enumerated() {
                if index == position {
                  candidate += bytes
                } else {
                  candidate += scalar.utf8
                }
              }
              listed = isListed(candidate)
            }
            if listed {
              counts[scalars[position], default: [:]][ligature, default: 0] += count
            }
          }
        }
      }
    }
    var votes: [Unicode.Scalar: [(ligature: String, count: Int)]] = [:]
    for (glyph, byLigature) in counts {
      votes[glyph] = byLigature.map { (ligature: $0.key, count: $0.value) }
        .sorted { lhs, rhs in
          lhs.count != rhs.count
            ? lhs.count > rhs.count
            : (Self.ligatures.firstIndex(of: lhs.ligature) ?? 99)
              < (Self.ligatures.firstIndex(of: rhs.ligature) ?? 99)
        }
    }
    return GlyphMap(votes: votes)
  }

  /// Known without guessing at prefixes (see `Vocabulary.contains(_:prefixes:)`).
  private func known(_ word: String) -> Bool {
    vocabulary.contains(word, prefixes: false)
  }

  /// 2 for a listed word (or compound of listed words), 1 for a form derived by the affix rules
  /// ("cuting" passes as cut + ing), 0 for unknown: repairs prefer the listed spelling.
  /// Takes the spelling as UTF-8 bytes: candidates are built and judged without strings.
  private func rank(_ spelling: [UInt8]) -> Int {
    Vocabulary.withLowercaseBytes(spelling) { lower in
      var hasPart = false
      var allListed = true
      var start = 0
      for end in 0...lower.count where end == lower.count || lower[end] == Self.hyphen {
        if end > start {
          hasPart = true
          if !vocabulary.lists(lowercased: UnsafeBufferPointer(rebasing: lower[start..<end])) {
            allListed = false
          }
        }
        start = end + 1
      }
      if hasPart && allListed { return 2 }
      return vocabulary.contains(lowercased: lower, prefixes: false) ? 1 : 0
    }
  }

  /// True if the spelling, lowercased, is a listed word.
  private func isListed(_ spelling: [UInt8]) -> Bool {
    Vocabulary.withLowercaseBytes(spelling) { vocabulary.lists(lowercased: $0) }
  }

  private static let hyphen = UInt8(ascii: "-")

  /// Of the candidate spellings, those of the best rank above 0.
  private func bestRanked(_ candidates: [(spelling: [UInt8], assignment: [String])]) -> [(
    spelling: [UInt8], assignment: [String]
  )] {
    let ranked = candidates.map { ($0, rank($0.spelling)) }
    guard let best = ranked.map(\.1).max(), best > 0 else { return [] }
    return ranked.filter { $0.1 == best }.map(\.0)
  }

  /// Every way to give `count` glyphs a ligature each (count is 1 or 2).
  private static func assignments(_ count: Int) -> [[String]] {
    count == 1 ? ligatures.map { [$0] } : ligatures.flatMap { a in ligatures.map { [a, $0] } }
  }

  /// The word with each suspect glyph replaced by its ligature in `assignment`, as UTF-8.
  private static func replace(
    _ scalars: [Unicode.Scalar], _ positions: [Int], _ glyphs: [Unicode.Scalar],
    _ assignment: [String]
  ) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(scalars.count + 4)
    var nextSuspect = 0
    for (index, scalar) in scalars.enumerated() {
      if nextSuspect < positions.count, positions[nextSuspect] == index {
        nextSuspect += 1
        if let slot = glyphs.firstIndex(of: scalar) {
          out += assignment[slot].utf8
          continue
        }
      }
      out += scalar.utf8
    }
    return out
  }

  private static let ligatureBytes = ligatures.map { Array($0.utf8) }

  // MARK: Repairing

  /// The repaired word, or nil to leave it as it is.
  func repair(_ word: String, map: GlyphMap, isKnown: Bool? = nil) -> String? {
    if isKnown ?? known(word) { return nil }
    let scalars = Array(word.unicodeScalars)
    let positions = Self.suspects(scalars)
    let glyphs = Array(Set(positions.map { scalars[$0] })).sorted { $0.value < $1.value }
    if glyphs.isEmpty { return repairLetter(scalars, map: map) }
    // One letter and a symbol ("b>" of "</b>") is markup or noise, not a damaged word.
    guard scalars.filter(\.isAlpha).count >= 2 else { return nil }
    guard glyphs.count <= 2, glyphs.allSatisfy({ map.votes[$0] != nil }) else { return nil }
    // Ligatures with votes for each glyph, best first; the first known word wins.
    let options = glyphs.map { glyph in (map.votes[glyph] ?? []).map(\.ligature) }
    let combinations =
      glyphs.count == 1
      ? options[0].map { [$0] } : options[0].flatMap { a in options[1].map { [a, $0] } }
    let candidates = combinations.map {
      (spelling: Self.replace(scalars, positions, glyphs, $0), assignment: $0)
    }
    if let best = bestRanked(candidates).first {
      return String(decoding: best.spelling, as: UTF8.self)
    }
    // Characters that never belong inside a word: trust a confident map without the list.
    let forced = glyphs.map { glyph -> String? in
      let isSymbol = !glyph.isAlpha && !Self.apostrophes.contains(glyph)
      return isSymbol ? map.confident(glyph, minimum: 2) : nil
    }
    let sure = forced.compactMap { $0 }
    guard sure.count == glyphs.count else { return nil }
    return String(decoding: Self.replace(scalars, positions, glyphs, sure), as: UTF8.self)
  }

  /// Repairs one small letter that the map says stands for a ligature, if that makes a word.
  private func repairLetter(_ scalars: [Unicode.Scalar], map: GlyphMap) -> String? {
    guard scalars.count >= Self.minimumLetterWord else { return nil }
    for position in scalars.indices where scalars[position].isLower {
      guard let ligature = map.confident(scalars[position], minimum: 3) else { continue }
      var candidate = scalars
      candidate.replaceSubrange(position...position, with: ligature.unicodeScalars)
      let text = String(scalars: candidate)
      if rank(Array(text.utf8)) == 2 { return text }
    }
    return nil
  }
}
