import Foundation
import GCMapCore
import TextProcessing

/// How much a passage is about its document rather than the country's migration policy:
/// methodology, sampling, terms of reference, questionnaires, reference lists, ratings.
///
/// Such text is full of words that name objectives ("data", "interviews", "information",
/// "protection") without being about them; a review's methodology, consultation process and
/// annexes must not count for coverage. The score adds four kinds of evidence, each visible
/// in `cues`:
/// - vocabulary: the weights of the apparatus lexicon's terms found (`Corpus/lexicons/LANG/
///   apparatus.yml`), per word of the passage (at least 15 words);
/// - questions: question marks (questionnaires, interview guides, evaluation questions);
/// - references: URLs, page references ("p. 34", "pg."), years in brackets, author-year
///   citations ("(IOM, 2019)"), "et al.";
/// - numbered notes run together (three or more "272 Interviews with..."): note lists;
/// - dot leaders to page numbers ("Figure 1. ........ 22"): tables of contents;
/// - form fields: blanks to fill ("______") and coded answers ("1 = Homme");
/// - heading: the heading above names a section of apparatus ("Methodology", "Annex 3:
///   Questionnaire"); it adds only to other evidence, never alone;
/// - footnote: the passage is a note set small at a page's foot (`Passage.isFootnote`); a
///   note of fewer than 15 words counts twice.
/// Apparatus terms that name the sources of a finding, in a sentence before a verb of finding
/// and "that" ("Interviews and desk research confirm that ...", "les entretiens montrent
/// que ..."), do not count: they say where a finding comes from, not how a study was done
/// (shown as "sources of a finding").
/// Limits: a reference list without these marks (bare titles) is not recognized, and a
/// section's apparatus heading reaches only the passages directly under it.
public struct ApparatusDetector: Sendable {
  /// What each kind of evidence adds to the score. The defaults are the shipped pipeline's,
  /// vocabulary and question chosen by `scripts/fit-classifier --choose` in whole-document
  /// folds (the others as set by hand, heading kept by the folds).
  public struct Weights: Sendable, Equatable, Codable {
    public var vocabulary = 5.0
    public var question = 0.5
    public var reference = 0.1
    public var formField = 0.2
    public var heading = 0.5
    /// A footnote (set small at a page's foot, found by the segmenter); with one reference
    /// (a cited source) it reaches the default threshold of 0.5.
    public var footnote = 0.4

    public init() {}
  }

  private let matcher: LexiconMatcher
  private let tokenizer: Tokenizer
  /// Each heading phrase as folded words.
  private let headings: [[String]]
  public let weights: Weights

  public init(lexicon: Lexicon, tokenizer: Tokenizer, weights: Weights = Weights()) {
    matcher = LexiconMatcher(lexicons: [lexicon], tokenizer: tokenizer)
    self.tokenizer = tokenizer
    headings = lexicon.headings.map { phrase in tokenizer.tokens(phrase).map(\.folded) }
    self.weights = weights
  }

  /// The score (0: nothing of apparatus) and the evidence behind it, for a passage whose
  /// tokens are given.
  public func assess(_ text: String, tokens: [Token], heading: String?) -> Apparatus {
    assess(text, tokens: tokens, section: heading.flatMap(namedSection))
  }

  /// `assess` with the heading's apparatus section already found (`namedSection`): a run of
  /// passages under one heading looks it up once.
  public func assess(_ text: String, tokens: [Token], section: String?, isFootnote: Bool = false)
    -> Apparatus
  {
    var cues: [String] = []
    var score = 0.0
    // A note is mostly a source or an aside; one that states what a programme did (the
    // coding guide's exception) is still read for it, so the note adds weight, not a verdict.
    // A note of a few words ("Interview with staff.", "Except the indicator on
    // satisfaction.") names a source or qualifies a figure: its weight counts twice.
    if isFootnote {
      let isShort = tokens.count < 15
      score += weights.footnote * (isShort ? 2 : 1)
      cues.append(isShort ? "short footnote" : "footnote")
    }
    // Method words that name the source of a finding ("Desk research and interviews confirm
    // that the programme ...") say where a finding comes from, not how the study was done.
    let attributed = Self.attributionStarts(text, tokens: tokens)
    var found: [TermMatch] = []
    var sources: Set<String> = []
    for match in matcher.matches(tokens) {
      if attributed.contains(where: { $0.sentence <= match.start && match.end <= $0.verb }) {
        sources.insert(match.term)
      } else {
        found.append(match)
      }
    }
    if !found.isEmpty {
      let sum = found.reduce(0) { $0 + $1.weight }
      score += weights.vocabulary * sum / Double(max(tokens.count, 15))
      cues += Array(Set(found.map(\.term))).sorted()
    }
    if !sources.isEmpty {
      cues.append("sources of a finding: " + sources.sorted().joined(separator: ", "))
    }
    // Counted cues: what each adds per occurrence, up to a cap, from a minimum count.
    // Numbered notes run together ("272 Interviews with IOM staff. 273 Interviews with...")
    // are a footnote list; dot leaders to page numbers, a table of contents.
    let structure = CueCounts(text)
    let counted: [(name: String, count: Int, minimum: Int, weight: Double, cap: Int)] = [
      (
        "questions", text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "?") ? 1 : 0) }, 1,
        weights.question, 2
      ),
      ("references", structure.references, 1, weights.reference, 5),
      ("numbered notes", structure.notes, 3, weights.reference, 5),
      ("document titles", Self.documentTitles(text), 3, weights.reference, 5),
      ("dot leaders", structure.leaders, 1, weights.formField, 3),
      ("form fields", structure.formFields, 1, weights.formField, 3),
    ]
    for cue in counted where cue.count >= cue.minimum {
      score += cue.weight * Double(min(cue.count, cue.cap))
      cues.append("\(cue.name): \(cue.count)")
    }
    // A heading names a section, not what each passage under it does ("Challenges and
    // limitations" heads a review's measures as often as its method): it adds to other
    // evidence, and alone it is shown but makes no apparatus.
    if let named = section {
      if score > 0 { score += weights.heading }
      cues.append("heading: \(named)")
    }
    return Apparatus(score: PassageClassifier.rounded(score), cues: cues)
  }

  /// Words that name a kind of document, capitalized as in a title.
  static let documentKinds: Set<Substring> = [
    "Evaluation", "Review", "Report", "Assessment", "Study", "Évaluation", "Rapport", "Étude",
    "Evaluación", "Informe", "Estudio", "Examen",
  ]

  /// Document titles in `text`: words that name a kind of document ("Evaluation", "Review",
  /// "Informe"...) in a run of capitalized words ("Final Evaluation of the…", "Mid-Term
  /// Review", "Interim Narrative Report"). Three or more in a passage make a list of documents
  /// (a bibliography, the evaluations a meta-evaluation rated), which is apparatus; prose about
  /// "the evaluation" does not capitalize it.
  static func documentTitles(_ text: String) -> Int {
    // One pass, no copies: a word counts when it names a kind of document and the word
    // before it (or, checked at the next word, after it) is capitalized. Punctuation around a
    // word ("Evaluation:", "“Review") is not part of it. Words are cut at ASCII white space
    // and an ASCII word is read on its bytes (splitting every passage into `Character`s cost
    // a twentieth of a cold run); a word with other characters is read as characters.
    var count = 0
    var previousCapitalized = false
    var kindAwaitingNext = false
    func visit(hasLetter: Bool, capitalized: Bool, isKind: Bool) {
      guard hasLetter else {
        previousCapitalized = false
        kindAwaitingNext = false
        return
      }
      if kindAwaitingNext && capitalized { count += 1 }
      kindAwaitingNext = false
      if capitalized && isKind {
        if previousCapitalized { count += 1 } else { kindAwaitingNext = true }
      }
      previousCapitalized = capitalized
    }
    let utf8 = text.utf8
    var index = utf8.startIndex
    while index < utf8.endIndex {
      let byte = utf8[index]
      if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
        index = utf8.index(after: index)
        continue
      }
      let start = index
      var isASCII = true
      while index < utf8.endIndex {
        let next = utf8[index]
        if next == 0x20 || (next >= 0x09 && next <= 0x0D) { break }
        if next >= 0x80 { isASCII = false }
        index = utf8.index(after: index)
      }
      let word = text[start..<index]
      if isASCII {
        let bytes = word.utf8
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        guard let first = bytes.firstIndex(where: isLetter),
          let last = bytes.lastIndex(where: isLetter)
        else {
          visit(hasLetter: false, capitalized: false, isKind: false)
          continue
        }
        let capitalized = bytes[first] <= 0x5A
        visit(
          hasLetter: true, capitalized: capitalized,
          isKind: capitalized && documentKinds.contains(word[first...last]))
      } else {
        for raw in word.split(whereSeparator: \.isWhitespace) {
          guard let first = raw.firstIndex(where: \.isLetter),
            let last = raw.lastIndex(where: \.isLetter)
          else {
            visit(hasLetter: false, capitalized: false, isKind: false)
            continue
          }
          let capitalized = raw[first].isUppercase
          visit(
            hasLetter: true, capitalized: capitalized,
            isKind: capitalized && documentKinds.contains(raw[first...last]))
        }
      }
    }
    return count
  }

  /// Verbs that report a finding when "that" ("que") follows them, folded.
  static let findingVerbs: Set<String> = [
    "confirm", "confirms", "confirmed", "reveal", "reveals", "revealed", "show", "shows",
    "showed", "shown", "conclude", "concludes", "concluded", "found", "finds", "indicate",
    "indicates", "indicated", "suggest", "suggests", "suggested", "demonstrate", "demonstrates",
    "demonstrated", "montre", "montrent", "revele", "revelent", "confirme", "confirment",
    "indique", "indiquent", "conclure", "conclut", "constate", "constatent", "muestra",
    "muestran", "revela", "revelan", "confirma", "confirman", "indica", "indican", "concluir",
    "concluye", "constata", "demuestra", "demuestran",
  ]

  /// Where a sentence reports a finding: for each finding verb followed by "that" ("que",
  /// "qu"), the scalar offset of its sentence's start and of the verb. Apparatus terms
  /// between the two are the finding's sources.
  static func attributionStarts(_ text: String, tokens: [Token]) -> [(sentence: Int, verb: Int)] {
    var verbs: [Int] = []
    for index in tokens.indices.dropLast() where findingVerbs.contains(tokens[index].folded) {
      let next = tokens[index + 1].folded
      if next == "that" || next == "que" || next == "qu" {
        verbs.append(tokens[index].range.lowerBound)
      }
    }
    guard !verbs.isEmpty else { return [] }
    // The segmenter's sentences (abbreviations and initials are no ends).
    let sentences = Segmenter.sentenceRanges(Array(text.unicodeScalars))
    return verbs.map { verb in
      (sentences.first { $0.contains(verb) }?.lowerBound ?? 0, verb)
    }
  }

  /// The apparatus section a heading names, if any: one of the heading phrases as whole words.
  public func namedSection(_ heading: String) -> String? {
    // A footnote number glued to a heading's word ("Definitions1") is no part of it.
    let words = tokenizer.tokens(heading).map { token in
      let word = token.folded
      let letters = word.reversed().drop { $0.isASCII && $0.isNumber }
      return letters.isEmpty ? word : String(letters.reversed())
    }
    guard !words.isEmpty else { return nil }
    for phrase in headings where !phrase.isEmpty && phrase.count <= words.count {
      for start in 0...(words.count - phrase.count)
      where words[start..<(start + phrase.count)].elementsEqual(phrase) {
        return phrase.joined(separator: " ")
      }
    }
    return nil
  }

  /// Counts of the structural cues, read from the text's UTF-8 bytes in one pass each (Swift's
  /// Regex took a third of a run's time here). ASCII only: "272 Évaluation" is no numbered note.
  struct CueCounts {
    var references = 0
    var notes = 0
    var leaders = 0
    var formFields = 0

    init(_ text: String) {
      var text = text
      text.withUTF8 { bytes in
        let count = bytes.count
        func at(_ index: Int) -> UInt8 { index >= 0 && index < count ? bytes[index] : 0 }
        func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
        func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
        func isLower(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
        func isLetter(_ byte: UInt8) -> Bool { isUpper(byte) || isLower(byte) || byte >= 0x80 }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 }
        func hasPrefix(_ word: StaticString, at index: Int) -> Bool {
          let length = word.utf8CodeUnitCount
          guard index + length <= count else { return false }
          return (0..<length).allSatisfy { offset in
            let expected = word.utf8Start[offset]
            let byte = bytes[index + offset]
            return byte == expected || (isUpper(byte) && byte | 0x20 == expected)
          }
        }
        var index = 0
        while index < count {
          let byte = bytes[index]
          let wordStart = !isLetter(at(index - 1))
          // References: URLs, "pg.", "p. 34", "pp. 3", "(2020)", "(2020a)", "et al.", "ibid", "#4".
          if hasPrefix("http://", at: index) || hasPrefix("https://", at: index)
            || (wordStart && hasPrefix("www.", at: index))
            || (wordStart && hasPrefix("pg.", at: index))
            || (wordStart && hasPrefix("et al.", at: index))
            || (wordStart && hasPrefix("ibid", at: index) && !isLetter(at(index + 4)))
            || (byte == UInt8(ascii: "#") && isDigit(at(index + 1)))
          {
            references += 1
          } else if wordStart && byte == UInt8(ascii: "p") {
            var next = index + 1
            if at(next) == UInt8(ascii: "p") { next += 1 }
            if at(next) == UInt8(ascii: ".") {
              next += 1
              if at(next) == 0x20 { next += 1 }
              if isDigit(at(next)) { references += 1 }
            }
          } else if byte == UInt8(ascii: "("), (1...4).allSatisfy({ isDigit(at(index + $0)) }) {
            let close = isLower(at(index + 5)) ? index + 6 : index + 5
            if at(close) == UInt8(ascii: ")") { references += 1 }
          } else if byte == UInt8(ascii: ","), at(index + 1) == 0x20 {
            // Author-year citations: "(IOM, 2019)", "(Smith, 2020a)", "(IOM, forthcoming)".
            let year = index + 2
            if (0..<4).allSatisfy({ isDigit(at(year + $0)) }) {
              let close = isLower(at(year + 4)) ? year + 5 : year + 4
              if at(close) == UInt8(ascii: ")") { references += 1 }
            } else if hasPrefix("forthcoming)", at: year) {
              references += 1
            }
          }
          // Numbered notes: "272 Interviews", after the start, a full stop or a space.
          if isDigit(byte)
            && (index == 0 || at(index - 1) == UInt8(ascii: ".") || isSpace(at(index - 1)))
          {
            var end = index
            while end < count && isDigit(bytes[end]) && end - index < 4 { end += 1 }
            if end - index <= 3 && isSpace(at(end)) {
              var letter = end
              while isSpace(at(letter)) { letter += 1 }
              if isUpper(at(letter)) && isLower(at(letter + 1)) { notes += 1 }
            }
          }
          // Dot leaders: five dots or more, then a page number.
          if byte == UInt8(ascii: "."), at(index - 1) != UInt8(ascii: ".") {
            var end = index
            while at(end) == UInt8(ascii: ".") { end += 1 }
            if end - index >= 5 {
              while isSpace(at(end)) { end += 1 }
              if isDigit(at(end)) { leaders += 1 }
            }
          }
          // Form fields: four underscores or more, or a coded answer ("1 = Homme").
          if byte == UInt8(ascii: "_"), at(index - 1) != UInt8(ascii: "_"),
            (1...3).allSatisfy({ at(index + $0) == UInt8(ascii: "_") })
          {
            formFields += 1
          } else if isDigit(byte) && !isDigit(at(index - 1)) && !isLetter(at(index - 1)) {
            var next = index + 1
            if at(next) == 0x20 { next += 1 }
            if at(next) == UInt8(ascii: "=") {
              next += 1
              if at(next) == 0x20 { next += 1 }
              if isLetter(at(next)) { formFields += 1 }
            }
          }
          index += 1
        }
      }
    }
  }
}

/// How much a passage is report apparatus, and why (see `ApparatusDetector`).
public struct Apparatus: Sendable, Equatable, Codable {
  public var score: Double
  /// The evidence: apparatus terms found, then counts of questions, references and form
  /// fields, and the heading's section.
  public var cues: [String]

  public init(score: Double = 0, cues: [String] = []) {
    self.score = score
    self.cues = cues
  }
}
