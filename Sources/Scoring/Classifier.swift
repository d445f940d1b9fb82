import Foundation
import GCMapCore
import TextProcessing

/// Weights of the scorers and the thresholds for labels, as set by a pipeline file.
public struct ClassifierSettings: Sendable, Equatable, Codable {
  /// Weight of each scorer in the combined score; a scorer left out has weight 0.
  public var keywordWeight = 1.0
  public var tfidfWeight = 1.0
  public var mentionWeight = 1.0
  public var headingWeight = 0.5
  /// Keyword score = 1 - exp(-sum of matched weights / saturation): one distinctive term
  /// (weight 3) gives about 0.5 with saturation 4.
  public var keywordSaturation = 4.0
  /// TF-IDF score = min(1, cosine / scale): cosines of a short passage with a category are
  /// small, so the scale maps a clearly related passage near 1.
  public var tfidfScale = 0.3
  /// A category is a label when its combined score reaches `threshold` and `relativeToTop`
  /// of the passage's best score; at most `maxLabels` labels.
  public var threshold = 0.45
  public var relativeToTop = 0.6
  public var maxLabels = 3
  /// Guiding principles are cross-cutting: their combined score is multiplied by this, so
  /// that a passage about screening children is labelled O12 before P08 (child-sensitive).
  public var principleFactor = 0.6
  /// A passage whose apparatus score reaches this is report apparatus: its labels are withheld
  /// (see `ApparatusDetector`).
  public var apparatusThreshold = 0.5
  /// What each kind of apparatus evidence adds to a passage's apparatus score
  /// (`classify.apparatusWeights` in a pipeline file).
  public var apparatusWeights = ApparatusDetector.Weights()
  /// Weight of the share of the document's passages whose strongest lexicon evidence is the
  /// category (what the document as a whole is about).
  public var documentWeight = 0.0
  /// Weight of the passage's tf-idf similarity with the Compact as a whole.
  public var relevanceWeight = 0.0
  /// Added, times the document's share, to the score of a category that reached the threshold
  /// (it orders labels, never makes one).
  public var documentRankWeight = 0.0
  /// A subject set of `subjects.yml` ("migration"): a passage with none of its words, in its
  /// text or its heading, gets only the objectives it names explicitly. nil: no such rule.
  public var subject: String?
  /// Words of `subject` per 1,000 words of a document's body passages at or above which the
  /// document as a whole is about the subject, and its passages need no subject word of their
  /// own (a migration review's paragraph on "data systems" is about migration data; a
  /// meta-evaluation's is not). nil: every passage needs its own. The same holds for the other
  /// subject sets in a document about `subject`: in an evaluation of a return programme
  /// (return words at this density too), "case management" is return case management without
  /// a return word beside it.
  public var subjectFocus: Double?
  /// A passage with no word of a subject set of its own, nor in its heading, takes that subject
  /// from an immediate neighbour in its section (the passage before or after it under the same
  /// heading) when its tf-idf similarity with the Compact (`relevance`) reaches this: the
  /// sentence after "seasonal migrant workers ..." that says "their contracts ..." is about
  /// them. nil: neighbours supply nothing.
  public var neighbourRelevance: Double?
  /// With `subjectFocus`, a passage that is about migration only because its document is gets
  /// as labels only the categories that make at least this share of the document's passages
  /// (those whose strongest lexicon evidence is the category): in a guidance note on one
  /// objective, a practice paragraph without a migration word is about that objective; in a
  /// review covering many, its budget page or data-protection notice is about none.
  public var documentShare = 0.0
  /// Added before the link function (used with `logistic`).
  public var intercept = 0.0

  /// How the weighted parts make the combined score: their sum, or the logistic function of
  /// it (a probability, as fitted by scripts/fit-classifier).
  public enum Combination: String, Sendable, Equatable, Codable, CaseIterable {
    case sum, logistic
  }
  public var combination = Combination.sum

  public init() {}

  /// The combined score of a category's parts, before the principle factor.
  public func combine(
    keyword: Double, tfidf: Double, mention: Double, heading: Double, document: Double,
    relevance: Double
  ) -> Double {
    let linear =
      intercept + keywordWeight * keyword + tfidfWeight * tfidf + mentionWeight * mention
      + headingWeight * heading + documentWeight * document + relevanceWeight * relevance
    switch combination {
    case .sum: return linear
    case .logistic: return 1 / (1 + exp(-linear))
    }
  }
}

/// The scoring models by language: given built, or built the first time a passage in their
/// language comes, so that a batch of English reviews never pays for the other languages'
/// tf-idf profiles and lexicon matchers (a fifth of a second per process for three languages).
/// A builder that cannot make its model (its files changed since they were checked) leaves its
/// language without one: its passages are reported, not scored.
public final class LanguageModels: Sendable {
  private let builders: [String: @Sendable () -> PassageClassifier.LanguageModel?]
  private let built: Locked<[String: PassageClassifier.LanguageModel?]>

  /// Models built already.
  public init(_ models: [String: PassageClassifier.LanguageModel]) {
    builders = models.mapValues { model in { model } }
    built = Locked(models.mapValues { $0 })
  }

  /// Models built on first use.
  public init(builders: [String: @Sendable () -> PassageClassifier.LanguageModel?]) {
    self.builders = builders
    built = Locked([:])
  }

  /// The languages there is a model for, sorted.
  public var languages: [String] { builders.keys.sorted() }

  /// True if there is a model for `language` (without building it).
  public func has(_ language: String) -> Bool { builders[language] != nil }

  /// The model for `language`, built now if it was not yet; nil if there is none.
  public func model(_ language: String) -> PassageClassifier.LanguageModel? {
    guard let builder = builders[language] else { return nil }
    return built.withLock { models in
      if let model = models[language] { return model }
      let model = builder()
      models[language] = .some(model)
      return model
    }
  }
}

/// Scores passages against all categories and labels them.
///
/// Per category: keyword (lexicon terms), tf-idf (similarity with the Compact's text),
/// mention (the passage names the category), heading (1 if the heading above it names the
/// category, else the keyword score of the heading's own words). Combined = weighted sum.
/// Every score keeps its evidence.
public final class PassageClassifier: Sendable {
  public let settings: ClassifierSettings
  private let models: LanguageModels
  private let mentions: MentionDetector
  private let categories: [Category]
  private let kinds: [String: Category.Kind]

  /// One language's means of scoring: its stemmer, lexicons and tf-idf profiles.
  public struct LanguageModel: Sendable {
    public var tokenizer: Tokenizer
    public var matcher: LexiconMatcher
    public var tfidf: TfIdfModel
    /// Recognizes report apparatus in this language; nil: nothing is apparatus.
    public var apparatus: ApparatusDetector?

    public init(
      tokenizer: Tokenizer, matcher: LexiconMatcher, tfidf: TfIdfModel,
      apparatus: ApparatusDetector? = nil
    ) {
      self.tokenizer = tokenizer
      self.matcher = matcher
      self.tfidf = tfidf
      self.apparatus = apparatus
    }
  }

  public convenience init(
    settings: ClassifierSettings, tokenizer: Tokenizer, matcher: LexiconMatcher, tfidf: TfIdfModel,
    categories: [Category]
  ) {
    self.init(
      settings: settings,
      models: ["en": LanguageModel(tokenizer: tokenizer, matcher: matcher, tfidf: tfidf)],
      categories: categories)
  }

  /// A classifier for several languages; "en" is used for passages in any other.
  public convenience init(
    settings: ClassifierSettings, models: [String: LanguageModel], categories: [Category]
  ) {
    self.init(settings: settings, models: LanguageModels(models), categories: categories)
  }

  /// A classifier for several languages whose models may be built on first use.
  public init(settings: ClassifierSettings, models: LanguageModels, categories: [Category]) {
    self.settings = settings
    self.models = models
    self.categories = categories
    kinds = Dictionary(categories.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
    mentions = MentionDetector(categories: categories)
  }

  /// The languages this classifier scores in.
  public var languages: [String] { models.languages }

  /// Which scores carry their tf-idf contributors: all (for explaining a document), or the
  /// labels' only (a batch keeps nothing else, and contributors are the costly part).
  public enum Evidence: Sendable {
    case all, labels
  }

  /// Scores a passage in its own language: identified on the passage, else the document's
  /// (`documentLanguage`), else English. A passage in another script or language ("other")
  /// gets no scores. Alone, a passage has no document around it: its `document` feature is 0.
  public func classify(
    _ passage: Passage, documentLanguage: String = "", evidence: Evidence = .all
  ) -> Classification {
    let found = gather(passage, documentLanguage: documentLanguage) {
      headingEvidence($0, model: $2)
    }
    // Alone, the passage is its own document and has no neighbours.
    let densities = subjectDensities(body([found]))
    return decide(
      found, subjects: subjectSources(found, neighbours: [], densities: densities),
      documentShares: [:], subjectDensities: densities, evidence: evidence)
  }

  /// `classify` for a document's passages in order, each also weighed by what the document as
  /// a whole is about (`documentShares`). Consecutive passages mostly share their heading,
  /// which is tokenized, matched and searched for mentions once per run of them.
  public func classify(
    _ passages: [Passage], documentLanguage: String = "", evidence: Evidence = .all
  ) -> [Classification] {
    var last: (heading: String, language: String, evidence: HeadingEvidence)?
    let gathered = passages.map { passage in
      gather(passage, documentLanguage: documentLanguage) { heading, language, model in
        if let last, last.heading == heading, last.language == language { return last.evidence }
        let found = headingEvidence(heading, model: model)
        last = (heading, language, found)
        return found
      }
    }
    let body = body(gathered)
    let shares = documentShares(body)
    let densities = subjectDensities(body)
    return gathered.indices.map { index in
      let found = gathered[index]
      // The passages just before and after it in its section, report apparatus left out.
      let neighbours = [index - 1, index + 1].filter {
        gathered.indices.contains($0) && gathered[$0].model != nil
          && gathered[$0].passage.heading == found.passage.heading
          && !gathered[$0].countsForNothing
      }.map { gathered[$0] }
      return decide(
        found, subjects: subjectSources(found, neighbours: neighbours, densities: densities),
        documentShares: shares, subjectDensities: densities, evidence: evidence)
    }
  }

  /// What a heading adds to its passages' scores: its lexicon terms and its mentions.
  private struct HeadingEvidence {
    var terms: [String: [TermMatch]]
    var mentions: [Mention]
    /// Words of each subject set in the heading.
    var subjects: [String: Int]
    /// The section of report apparatus the heading names ("methodology"), if any.
    var apparatusSection: String?
  }

  private func headingEvidence(_ heading: String, model: LanguageModel) -> HeadingEvidence {
    let found = model.matcher.matchesAndSubjects(model.tokenizer.tokens(heading))
    return HeadingEvidence(
      terms: Dictionary(grouping: found.terms, by: \.category),
      mentions: mentions.mentions(in: heading, inHeading: true),
      subjects: found.subjects,
      apparatusSection: model.apparatus?.namedSection(heading))
  }

  /// What a passage's own text (and heading) says, before any decision: found once, then
  /// weighed with what the document says.
  private struct Gathered {
    var passage: Passage
    var language: String
    /// nil for a passage that is not scored (another language, no model).
    var model: LanguageModel?
    var termsByCategory: [String: [TermMatch]] = [:]
    /// The keyword score of each category with terms (read by the document's shares too).
    var keywordByCategory: [String: Double] = [:]
    /// Generic terms with no word of their subject nearby, by subject, then category: they
    /// count in a document about the subject as a whole.
    var contextTerms: [String: [String: [TermMatch]]] = [:]
    var similarity: (passage: [(term: String, weight: Double)], cosines: [String: Double]) = (
      [], [:]
    )
    var mentionsByCategory: [String: [Mention]] = [:]
    var headingTerms: [String: [TermMatch]] = [:]
    var apparatus = Apparatus()
    /// Prose, or a table's cells, a chart's labels, contents (see `TextKind`).
    var kind = TextKind.prose
    /// True for report apparatus and for text that is not prose: it counts for nothing.
    var countsForNothing = false
    /// tf-idf similarity with the Compact as a whole.
    var relevance = 0.0
    /// Words of the required subject in the passage and its heading.
    var subjectWords = 0
    /// Words of each subject set in the passage's own text, and its number of words.
    var ownSubjectWords: [String: Int] = [:]
    /// Words of each subject set in the passage's heading.
    var headingSubjectWords: [String: Int] = [:]
    var wordCount = 0
  }

  /// `heading` gives the evidence of a heading (its text, the model's language and the model).
  private func gather(
    _ passage: Passage, documentLanguage: String,
    heading: (String, String, LanguageModel) -> HeadingEvidence
  ) -> Gathered {
    // A passage whose function words name its document's language is in it; cld2 (the cost
    // of identifying every passage) reads only the others: a French paragraph in an English
    // review, a Portuguese one, one too short to tell.
    let byWords = LanguageIdentifier.byFunctionWords(passage.text, minimumHits: 3)
    // "other" from the function words is only "not in Latin letters": cld2 tells which.
    var language =
      !byWords.isEmpty && byWords != "other" && byWords == documentLanguage
      ? byWords : LanguageIdentifier.detected(passage.text) ?? byWords
    // Too short for cld2 and not in Latin letters: a Chinese one is Chinese; in an Arabic,
    // Russian or Chinese document, one in the document's language (a heading, a table cell).
    if language == "other", LanguageIdentifier.isChineseScript(passage.text) {
      language = "zh"
    } else if language == "other", LanguageIdentifier.nonLatin.contains(documentLanguage) {
      language = documentLanguage
    }
    if language.isEmpty { language = documentLanguage }
    // Text in a language without lexicons is reported, not forced into English scores.
    if !models.has(language), LanguageIdentifier.nonLatin.contains(language) {
      language = "other"
    }
    if language == "other" { return Gathered(passage: passage, language: language) }
    let code = models.has(language) ? language : "en"
    guard let model = models.model(code) ?? models.languages.first.flatMap(models.model) else {
      return Gathered(passage: passage, language: language)
    }
    let tokens = model.tokenizer.tokens(passage.text)
    let matched = model.matcher.matchesAndSubjects(
      tokens, unsupported: settings.subject != nil)
    let termsByCategory = Dictionary(grouping: matched.terms, by: \.category)
    let fromHeading = passage.heading.map { heading($0, code, model) }
    let found = mentions.mentions(in: passage.text) + (fromHeading?.mentions ?? [])
    let needsSimilarity = settings.tfidfWeight != 0 || settings.relevanceWeight != 0
    let similarity = needsSimilarity ? model.tfidf.cosines(tokens) : (passage: [], cosines: [:])
    let apparatus =
      model.apparatus?.assess(
        passage.text, tokens: tokens, section: fromHeading?.apparatusSection,
        isFootnote: passage.isFootnote) ?? Apparatus()
    let kind = TextKind.of(
      passage.text, isTableRow: passage.isTableRow, isFootnote: passage.isFootnote)
    return Gathered(
      passage: passage, language: language, model: model,
      termsByCategory: termsByCategory,
      keywordByCategory: termsByCategory.mapValues { keywordScore($0) },
      contextTerms: matched.unsupported.mapValues { Dictionary(grouping: $0, by: \.category) },
      similarity: similarity, mentionsByCategory: Dictionary(grouping: found, by: \.category),
      // The heading's own lexicon terms lean the passage too, less than naming the category.
      headingTerms: fromHeading?.terms ?? [:],
      apparatus: apparatus, kind: kind,
      countsForNothing: apparatus.score >= settings.apparatusThreshold || kind != .prose,
      relevance: Self.rounded(
        min(1, (similarity.cosines[TfIdfModel.wholeCompact] ?? 0) / settings.tfidfScale)),
      subjectWords: (settings.subject.map { matched.subjects[$0] ?? 0 } ?? 0)
        + (settings.subject.map { fromHeading?.subjects[$0] ?? 0 } ?? 0),
      ownSubjectWords: matched.subjects,
      headingSubjectWords: fromHeading?.subjects ?? [:],
      wordCount: Self.wordCount(tokens))
  }

  /// The words `tokens` stand for: a pair of Chinese characters counts half, as a Chinese word
  /// is about two characters long and a run of them gives a pair per character, so that a
  /// Chinese document's words of migration per 1,000 are measured as other languages' are.
  static func wordCount(_ tokens: [Token]) -> Int {
    var pairs = 0
    // Ideographs are three or four UTF-8 bytes led by E3 or more: most tokens are told by a byte.
    for token in tokens {
      guard let lead = token.folded.utf8.first, lead >= 0xE3 else { continue }
      if token.folded.unicodeScalars.first?.isIdeograph == true { pairs += 1 }
    }
    return tokens.count - pairs + (pairs + 1) / 2
  }

  /// The passages what a document is about is read on: those scored, report apparatus left
  /// out.
  private func body(_ gathered: [Gathered]) -> [Gathered] {
    gathered.filter { $0.model != nil && !$0.countsForNothing }
  }

  /// Words of each subject set per 1,000 words of `body` (a document's scored passages,
  /// report apparatus left out): how much the document as a whole is about each subject.
  private func subjectDensities(_ body: [Gathered]) -> [String: Double] {
    var words = 0
    var subjectWords: [String: Int] = [:]
    for found in body {
      words += found.wordCount
      subjectWords.merge(found.ownSubjectWords, uniquingKeysWith: +)
    }
    guard words > 0 else { return [:] }
    return subjectWords.mapValues { Self.rounded(1000 * Double($0) / Double(words)) }
  }

  /// The subject sets a passage is about, each with where it was found: its own text
  /// ("passage"), its heading ("heading"), an immediate neighbour in its section when the
  /// passage itself is close to the Compact ("neighbour", see
  /// `ClassifierSettings.neighbourRelevance`), or the document as a whole ("document", see
  /// `ClassifierSettings.subjectFocus`; such a passage's labels are limited by
  /// `documentShare`). Only a subject found here lets its generic terms count
  /// beyond their window, and only the required subject (migration) lets a passage be labelled
  /// without naming an objective.
  private func subjectSources(
    _ found: Gathered, neighbours: [Gathered], densities: [String: Double]
  ) -> [String: String] {
    var sources: [String: String] = [:]
    for (subject, count) in found.ownSubjectWords where count > 0 { sources[subject] = "passage" }
    for (subject, count) in found.headingSubjectWords where count > 0 && sources[subject] == nil {
      sources[subject] = "heading"
    }
    if let floor = settings.neighbourRelevance, found.relevance >= floor {
      for neighbour in neighbours {
        for (subject, count) in neighbour.ownSubjectWords where count > 0 && sources[subject] == nil
        {
          sources[subject] = "neighbour"
        }
      }
    }
    // The document rule: in a document about the required subject as a whole, every subject
    // set as dense in it is supplied to each of its passages.
    if let focus = settings.subjectFocus, let required = settings.subject,
      densities[required] ?? 0 >= focus
    {
      for (subject, density) in densities where density >= focus && sources[subject] == nil {
        sources[subject] = "document"
      }
    }
    return sources
  }

  /// For each category, the share of `body` (a document's scored passages, report apparatus
  /// left out) whose strongest lexicon evidence is that category: what the document as a whole
  /// is about, by its own words.
  private func documentShares(_ body: [Gathered]) -> [String: Double] {
    var counts: [String: Int] = [:]
    let total = body.count
    for found in body {
      let strongest = found.keywordByCategory.max { ($0.value, $1.key) < ($1.value, $0.key) }
      if let strongest, strongest.value > 0 { counts[strongest.key, default: 0] += 1 }
    }
    guard total > 0 else { return [:] }
    return counts.mapValues { Self.rounded(Double($0) / Double(total)) }
  }

  /// Scores, labels and evidence of a gathered passage.
  private func decide(
    _ found: Gathered, subjects: [String: String], documentShares: [String: Double],
    subjectDensities: [String: Double], evidence: Evidence
  ) -> Classification {
    guard let model = found.model else {
      return Classification(
        passage: found.passage, scores: [], labels: [], language: found.language)
    }
    var scores: [CategoryScore] = []
    // The subjects the passage is about (its text, heading, neighbours or document), sorted by
    // name: their generic terms count without a word of theirs within the window. Where the
    // document as a whole is not about the required subject, the names a passage quotes (a
    // project's title, a thematic area) are no evidence of what it discusses.
    let subjectDensity = settings.subject.flatMap { subjectDensities[$0] } ?? 0
    // (Found in the passage's own text, a subject already let its generic terms count within
    // the window; beyond it, its word is too far to say what they are about, unless it is a
    // subject that gives shared terms their sense and the document as a whole is about it too:
    // in a return study, a caseworker's "case management" is return case management.)
    let focus = settings.subjectFocus ?? .infinity
    let onSubject = settings.subject != nil && subjectDensity >= focus
    let documentAbout: Set<String> =
      onSubject
      ? Set(subjectDensities.filter { $0.value >= focus && $0.key != settings.subject }.keys)
      : []
    let contextSubjects = subjects.filter {
      $0.value != "passage" || documentAbout.contains($0.key)
    }.keys.sorted()
    let quoted =
      settings.subject != nil && !onSubject ? Quotations.spans(found.passage.text) : []
    for category in categories {
      let id = category.id
      let context = contextSubjects.flatMap { found.contextTerms[$0]?[id] ?? [] }
      var terms = (found.termsByCategory[id] ?? []) + context
      let own = terms.count
      if !quoted.isEmpty {
        terms.removeAll {
          Quotations.isQuoted(TermMatchRange(start: $0.start, end: $0.end), in: quoted)
        }
      }
      let categoryMentions = found.mentionsByCategory[id] ?? []
      let keyword =
        context.isEmpty && terms.count == own
        ? found.keywordByCategory[id] ?? 0 : keywordScore(terms)
      let cosine = found.similarity.cosines[id] ?? 0
      let tfidfScore = min(1, cosine / settings.tfidfScale)
      let mention = categoryMentions.contains { !$0.inHeading } ? 1.0 : 0
      // A heading naming the category labels what is under it; a heading's lexicon terms only
      // support a passage that has terms of its own (a table's column header over cell text
      // is no evidence).
      let heading =
        categoryMentions.contains { $0.inHeading }
        ? 1.0 : keyword > 0 ? keywordScore(found.headingTerms[id] ?? []) : 0
      let document = documentShares[id] ?? 0
      // Nothing of the category in the passage or its heading: no score, whatever the
      // document or the passage's relevance say.
      guard keyword + tfidfScore + mention + heading > 0 else { continue }
      let factor = category.kind == .principle ? settings.principleFactor : 1
      let combined =
        factor
        * settings.combine(
          keyword: keyword, tfidf: tfidfScore, mention: mention, heading: heading,
          document: document, relevance: found.relevance)
      guard combined > 0 else { continue }
      scores.append(
        CategoryScore(
          category: id, keyword: Self.rounded(keyword), tfidf: Self.rounded(tfidfScore),
          mention: mention, heading: heading, document: document,
          combined: Self.rounded(combined), terms: terms, contributors: [],
          mentions: categoryMentions))
    }
    // What the document is about orders the categories that reached the threshold on the
    // passage's own evidence, never lifts one that did not: a review covering many objectives
    // loses nothing, and in a report about one programme its subject goes first.
    if settings.documentRankWeight != 0 {
      for index in scores.indices where scores[index].combined >= settings.threshold {
        scores[index].combined = Self.rounded(
          scores[index].combined + settings.documentRankWeight * scores[index].document)
      }
    }
    scores.sort { ($0.combined, $1.category) > ($1.combined, $0.category) }
    // A passage not about the required subject (migration) by its text, heading, neighbours
    // or document gets only the objectives it names explicitly.
    let offSubject = settings.subject.map { subjects[$0] == nil } ?? false
    // A passage about migration only because its document is gets only the categories the
    // document is about (their share of its passages) or names: a return evaluation's
    // paragraph on caseworkers is about return, a review's budget page about nothing.
    let fromDocument = settings.subject.map { subjects[$0] == "document" } ?? false
    // Objectives and principles are chosen each against the best of their kind: a principle is
    // a way of working that cuts across objectives, not a rival of the passage's objective.
    var chosen: Set<String> = []
    for kind in [Category.Kind.objective, .principle] {
      let ofKind = scores.filter { kinds[$0.category] == kind }
      let best = ofKind.first?.combined ?? 0
      chosen.formUnion(
        ofKind.filter {
          $0.combined >= settings.threshold && $0.combined >= settings.relativeToTop * best
            && (!offSubject || $0.mention > 0 || !$0.mentions.isEmpty)
            && (!fromDocument || $0.mention > 0 || !$0.mentions.isEmpty
              || $0.document >= settings.documentShare)
        }
        .prefix(settings.maxLabels).map(\.category))
    }
    var labels = scores.map(\.category).filter { chosen.contains($0) }
    // Report apparatus, and text that is not prose (a table's cells, a chart's labels,
    // contents), counts for nothing: its labels are withheld, and kept to be shown.
    let isApparatus = found.apparatus.score >= settings.apparatusThreshold
    let part = isApparatus ? "apparatus" : found.kind == .prose ? "body" : found.kind.rawValue
    var withheld: [String] = []
    if found.countsForNothing {
      withheld = labels
      labels = []
    }
    // The closest action of each label (withheld ones too): one pass for all of them.
    let shown = Set(labels + withheld)
    let closest = model.tfidf.closestActions(found.similarity.passage, categories: shown)
    for index in scores.indices {
      if let action = closest[scores[index].category] {
        scores[index].closestAction = action.name
        scores[index].actionSimilarity = Self.rounded(action.cosine)
      }
    }
    for index in scores.indices where found.similarity.cosines[scores[index].category] != nil {
      let kept =
        labels.contains(scores[index].category) || withheld.contains(scores[index].category)
      guard evidence == .all || kept else { continue }
      scores[index].contributors = model.tfidf.contributors(
        scores[index].category, found.similarity.passage)
    }
    return Classification(
      passage: found.passage, scores: scores, labels: labels, language: found.language,
      isApparatus: found.countsForNothing, part: part, apparatusScore: found.apparatus.score,
      apparatusCues: found.apparatus.cues,
      withheld: withheld, relevance: found.relevance, subjectWords: found.subjectWords,
      subjectDensity: subjectDensity, contextSubjects: contextSubjects,
      subjectSource: settings.subject.flatMap { subjects[$0] } ?? "")
  }

  /// 1 - exp(-Σ weights / saturation), each distinct term counted once plus a little for
  /// repeats (1 + ln n), so that one word said ten times does not outweigh three words.
  func keywordScore(_ terms: [TermMatch]) -> Double {
    guard settings.keywordWeight > 0, !terms.isEmpty else { return 0 }
    let byTerm = Dictionary(grouping: terms, by: \.term).sorted { $0.key < $1.key }
    let sum = byTerm.reduce(0.0) { total, entry in
      total + (entry.value.first?.weight ?? 0) * (1 + log(Double(entry.value.count)))
    }
    return 1 - exp(-sum / settings.keywordSaturation)
  }

  /// Scores are rounded to 4 decimals so that outputs are the same on every machine.
  static func rounded(_ value: Double) -> Double {
    (value * 10_000).rounded() / 10_000
  }
}
