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
/// - references: URLs, page references ("p. 34", "pg."), years in brackets, "et al.";
/// - numbered notes run together (three or more "272 Interviews with..."): note lists;
/// - dot leaders to page numbers ("Figure 1. ........ 22"): tables of contents;
/// - form fields: blanks to fill ("______") and coded answers ("1 = Homme");
/// - heading: the heading above names a section of apparatus ("Methodology", "Annex 3:
///   Questionnaire").
/// Limits: a reference list without these marks (bare titles) is not recognized, and a
/// section's apparatus heading reaches only the passages directly under it.
public struct ApparatusDetector: Sendable {
  /// What each kind of evidence adds to the score.
  public struct Weights: Sendable, Equatable, Codable {
    public var vocabulary = 4.0
    public var question = 0.25
    public var reference = 0.1
    public var formField = 0.2
    public var heading = 0.5

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
    var cues: [String] = []
    var score = 0.0
    let found = matcher.matches(tokens)
    if !found.isEmpty {
      let sum = found.reduce(0) { $0 + $1.weight }
      score += weights.vocabulary * sum / Double(max(tokens.count, 15))
      cues += Array(Set(found.map(\.term))).sorted()
    }
    // Counted cues: what each adds per occurrence, up to a cap, from a minimum count.
    // Numbered notes run together ("272 Interviews with IOM staff. 273 Interviews with...")
    // are a footnote list; dot leaders to page numbers, a table of contents.
    let counted: [(name: String, count: Int, minimum: Int, weight: Double, cap: Int)] = [
      (
        "questions", text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "?") ? 1 : 0) }, 1,
        weights.question, 2
      ),
      ("references", Self.count(Self.referencePattern, in: text), 1, weights.reference, 5),
      ("numbered notes", Self.count(Self.notePattern, in: text), 3, weights.reference, 5),
      ("dot leaders", Self.count(Self.leaderPattern, in: text), 1, weights.formField, 3),
      ("form fields", Self.count(Self.formFieldPattern, in: text), 1, weights.formField, 3),
    ]
    for cue in counted where cue.count >= cue.minimum {
      score += cue.weight * Double(min(cue.count, cue.cap))
      cues.append("\(cue.name): \(cue.count)")
    }
    if let heading, let named = namedSection(heading) {
      score += weights.heading
      cues.append("heading: \(named)")
    }
    return Apparatus(score: PassageClassifier.rounded(score), cues: cues)
  }

  /// The apparatus section a heading names, if any: one of the heading phrases as whole words.
  func namedSection(_ heading: String) -> String? {
    let words = tokenizer.tokens(heading).map(\.folded)
    guard !words.isEmpty else { return nil }
    for phrase in headings where !phrase.isEmpty && phrase.count <= words.count {
      for start in 0...(words.count - phrase.count)
      where words[start..<(start + phrase.count)].elementsEqual(phrase) {
        return phrase.joined(separator: " ")
      }
    }
    return nil
  }

  /// Regex values are immutable; shared by every thread.
  nonisolated(unsafe) static let referencePattern =
    #/https?://|www\.|\bpg\.|\bpp?\.\s?\d|\(\d{4}[a-z]?\)|\bet al\.|\bibid\b|#\d/#
  nonisolated(unsafe) static let notePattern = #/(?:^|[.\s])\d{1,3}\s+\p{Lu}\p{Ll}/#
  nonisolated(unsafe) static let leaderPattern = #/\.{5,}\s*\d+/#
  nonisolated(unsafe) static let formFieldPattern = #/_{4,}|\b\d\s?=\s?\p{L}/#

  static func count(_ pattern: some RegexComponent, in text: String) -> Int {
    text.matches(of: pattern).count
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
