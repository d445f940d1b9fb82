import Foundation
import GCMapCore
import TextProcessing

/// The words that signal one category in one language: `Corpus/lexicons/LANG/ID.yml`.
///
/// `terms` maps a word or phrase to its weight (1 = supporting, 2 = typical, 3 = distinctive);
/// `exclusions` are phrases inside which a term does not count ("drug trafficking" for the
/// trafficking lexicon); `examples` are sentences that must (`match`) and must not (`noMatch`)
/// score for the category, run by the tests.
public struct Lexicon: Sendable, Equatable {
  public var id: String
  public var language: String
  public var terms: [(phrase: String, weight: Double)]
  public var exclusions: [String]
  public var matchExamples: [String]
  public var noMatchExamples: [String]
  /// Phrases that mark a whole section when its heading holds one ("Methodology"); only the
  /// apparatus lexicon has them.
  public var headings: [String] = []
  /// Generic terms (by phrase) and the subject they need nearby to count: "data" counts for
  /// O01 only within a few words of "migration", "migrants", "returnees"... (see `Subjects`).
  public var near: [String: String] = [:]

  public init(
    id: String, language: String, terms: [(phrase: String, weight: Double)], exclusions: [String],
    matchExamples: [String], noMatchExamples: [String], headings: [String] = [],
    near: [String: String] = [:]
  ) {
    self.headings = headings
    self.near = near
    self.id = id
    self.language = language
    self.terms = terms
    self.exclusions = exclusions
    self.matchExamples = matchExamples
    self.noMatchExamples = noMatchExamples
  }

  public static func == (lhs: Lexicon, rhs: Lexicon) -> Bool {
    lhs.id == rhs.id && lhs.language == rhs.language
      && lhs.terms.map(\.phrase) == rhs.terms.map(\.phrase)
      && lhs.terms.map(\.weight) == rhs.terms.map(\.weight) && lhs.exclusions == rhs.exclusions
      && lhs.near == rhs.near
  }
}

/// Named sets of words that say what a passage is about (`Corpus/lexicons/LANG/subjects.yml`):
/// a generic lexicon term marked `near: migration` counts only where one of the set's words or
/// phrases stands within `window` words of it, the way published SDG query sets combine a
/// generic term with its subject (AND/NEAR).
public struct Subjects: Sendable, Equatable {
  public var window: Int
  /// Set name → its words and phrases (matched on stems, or as forms when written "=word").
  public var sets: [String: [String]]

  public init(window: Int = 10, sets: [String: [String]] = [:]) {
    self.window = window
    self.sets = sets
  }
}

/// Finds every lexicon's terms in a text, on stems, honouring exclusions.
///
/// Terms are matched as runs of consecutive stems, so "smuggling of migrants" needs its three
/// words in order, and "smugglers" meets "smuggler". A term written "=word" matches only that
/// word form (and its plural), where the stem would reach too far ("nationality" and
/// "national" share a stem). Where terms overlap in one category, the
/// longest wins. A term inside one of its lexicon's exclusion phrases does not count. A term
/// marked `near: SUBJECT` counts only with a word of that subject set within the window (see
/// `Subjects`).
public struct LexiconMatcher: Sendable {
  struct Pattern: Sendable {
    var category: String
    var term: String
    /// Per word: its stem, or "=form" for a word that must appear in exactly that form.
    var stems: [String]
    var weight: Double
    var isExclusion: Bool
    /// The subject set this term needs nearby; nil: it counts on its own.
    var near: String? = nil
    /// The name of the subject set this pattern is a word of (not a term of any category).
    var subject: String? = nil
  }

  private let window: Int

  /// A term's words as the matcher compares them: stems, or for a term written "=word ...",
  /// the exact folded forms ("=integration" does not match "integrated").
  static func keys(_ phrase: String, _ tokenizer: Tokenizer) -> [String] {
    if phrase.hasPrefix("=") {
      return tokenizer.tokens(String(phrase.dropFirst())).map { "=" + $0.folded }
    }
    return tokenizer.tokens(phrase).map(\.stem)
  }

  /// Whether a token is the word a key asks for; an exact form also takes a plural "s".
  static func token(_ token: Token, matches key: String) -> Bool {
    guard key.hasPrefix("=") else { return token.stem == key }
    let form = key.dropFirst()
    return token.folded == form || token.folded == form + "s"
  }

  /// Patterns by their first key: a stem, or (without its "=") an exact form.
  private let byFirstStem: [String: [Pattern]]
  private let byFirstForm: [String: [Pattern]]
  /// The UTF-8 length of the longest first form: a longer word opens no exact-form pattern,
  /// and is not looked up (three lookups a token were most of the matching).
  private let longestFirstForm: Int
  public let categories: [String]

  public init(lexicons: [Lexicon], tokenizer: Tokenizer, subjects: Subjects = Subjects()) {
    var index: [String: [Pattern]] = [:]
    window = subjects.window
    let subjectLexicons = subjects.sets.sorted { $0.key < $1.key }.map { name, words in
      Lexicon(
        id: "#" + name, language: "", terms: words.map { ($0, 1) }, exclusions: [],
        matchExamples: [], noMatchExamples: [])
    }
    for lexicon in lexicons + subjectLexicons {
      let subject = lexicon.id.hasPrefix("#") ? String(lexicon.id.dropFirst()) : nil
      let patterns =
        lexicon.terms.map { term in
          Pattern(
            category: lexicon.id, term: term.phrase, stems: Self.keys(term.phrase, tokenizer),
            weight: term.weight, isExclusion: false, near: lexicon.near[term.phrase],
            subject: subject)
        }
        + lexicon.exclusions.map { phrase in
          Pattern(
            category: lexicon.id, term: phrase, stems: Self.keys(phrase, tokenizer), weight: 0,
            isExclusion: true)
        }
      // Terms that stem alike ("smuggler", "smugglers") are one pattern, at the higher weight.
      var seen: [String: Int] = [:]
      var unique: [Pattern] = []
      for pattern in patterns where !pattern.stems.isEmpty {
        let key =
          (pattern.isExclusion ? "-" : "+") + (pattern.near ?? "")
          + pattern.stems.joined(separator: " ")
        if let at = seen[key] {
          unique[at].weight = max(unique[at].weight, pattern.weight)
        } else {
          seen[key] = unique.count
          unique.append(pattern)
        }
      }
      for pattern in unique {
        guard let first = pattern.stems.first else { continue }
        index[first, default: []].append(pattern)
      }
    }
    byFirstStem = index.filter { !$0.key.hasPrefix("=") }
    byFirstForm = Dictionary(
      uniqueKeysWithValues: index.filter { $0.key.hasPrefix("=") }.map {
        (String($0.key.dropFirst()), $0.value)
      })
    longestFirstForm = byFirstForm.keys.lazy.map(\.utf8.count).max() ?? 0
    categories = lexicons.map(\.id)
  }

  /// Matches in token order; excluded and shorter overlapping matches removed.
  public func matches(_ tokens: [Token]) -> [TermMatch] {
    matchesAndSubjects(tokens).terms
  }

  /// `matches`, and how many words of each subject set the tokens hold. With `unsupported`,
  /// also the generic terms that lack their subject nearby, by subject: they count where the
  /// document as a whole is about that subject (see `ClassifierSettings.subjectFocus`).
  public func matchesAndSubjects(_ tokens: [Token], unsupported wanted: Bool = false) -> (
    terms: [TermMatch], subjects: [String: Int], unsupported: [String: [TermMatch]]
  ) {
    var found: [(pattern: Pattern, first: Int, last: Int)] = []
    for position in tokens.indices {
      let token = tokens[position]
      // Patterns opening with the token's stem, its exact form, or its form less a plural "s".
      var sources: [[Pattern]] = []
      if let byStem = byFirstStem[token.stem] { sources.append(byStem) }
      // (A word two bytes longer than every form matches neither as it is nor less its "s".)
      if !byFirstForm.isEmpty && token.folded.utf8.count <= longestFirstForm + 1 {
        if let byForm = byFirstForm[token.folded] { sources.append(byForm) }
        if token.folded.hasSuffix("s"),
          let bySingular = byFirstForm[String(token.folded.dropLast())]
        {
          sources.append(bySingular)
        }
      }
      for pattern in sources.joined() {
        let end = position + pattern.stems.count
        guard end <= tokens.count else { continue }
        if zip(pattern.stems, tokens[position..<end]).allSatisfy({ Self.token($1, matches: $0) }) {
          found.append((pattern, position, end - 1))
        }
      }
    }
    let exclusions = found.filter(\.pattern.isExclusion)
    // Where each subject set's words stand, as token positions.
    var subjectSpans: [String: [(first: Int, last: Int)]] = [:]
    for match in found {
      if let subject = match.pattern.subject {
        subjectSpans[subject, default: []].append((match.first, match.last))
      }
    }
    let candidates = found.filter { !$0.pattern.isExclusion && $0.pattern.subject == nil }
    // A generic term counts only with its subject within the window, on either side.
    func supported(_ match: (pattern: Pattern, first: Int, last: Int)) -> Bool {
      guard let near = match.pattern.near else { return true }
      return (subjectSpans[near] ?? []).contains {
        $0.first <= match.last + window && $0.last >= match.first - window
      }
    }
    let terms = candidates.filter(supported)
    func kept(_ terms: [(pattern: Pattern, first: Int, last: Int)]) -> [TermMatch] {
      var kept: [TermMatch] = []
      for candidate in terms {
        let excluded = exclusions.contains {
          $0.pattern.category == candidate.pattern.category && $0.first <= candidate.last
            && candidate.first <= $0.last
        }
        let outdone = terms.contains {
          $0.pattern.category == candidate.pattern.category && $0.first <= candidate.first
            && candidate.last <= $0.last
            && ($0.last - $0.first) > (candidate.last - candidate.first)
        }
        if excluded || outdone { continue }
        kept.append(
          TermMatch(
            category: candidate.pattern.category, term: candidate.pattern.term,
            weight: candidate.pattern.weight,
            start: tokens[candidate.first].range.lowerBound,
            end: tokens[candidate.last].range.upperBound))
      }
      return kept
    }
    let supportedTerms = kept(terms)
    // Each subject's generic terms without it nearby, kept as they would be were the subject
    // there (a longer supported term of the category still outdoes them).
    var unsupported: [String: [TermMatch]] = [:]
    if wanted {
      let lacking = Set(candidates.filter { !supported($0) }.compactMap(\.pattern.near))
      for subject in lacking.sorted() {
        let all = kept(candidates.filter { supported($0) || $0.pattern.near == subject })
        unsupported[subject] = all.filter { term in !supportedTerms.contains(term) }
      }
    }
    return (supportedTerms, subjectSpans.mapValues(\.count), unsupported)
  }
}
