/// A lexicon term found in a passage: which category, which term, how strong, where.
public struct TermMatch: Sendable, Equatable, Codable {
  public var category: String
  public var term: String
  public var weight: Double
  /// Unicode scalar offsets in the passage text.
  public var start: Int
  public var end: Int

  public init(category: String, term: String, weight: Double, start: Int, end: Int) {
    self.category = category
    self.term = term
    self.weight = weight
    self.start = start
    self.end = end
  }
}

/// An explicit reference to a category: "Objective 5", "objectives 2 and 3", "the
/// whole-of-government approach", in the passage or in the heading above it.
public struct Mention: Sendable, Equatable, Codable {
  public var category: String
  /// The words that made the mention, as written.
  public var text: String
  /// True when the mention is in the heading, not the passage.
  public var inHeading: Bool
  /// Unicode scalar offsets in the passage text (or the heading's).
  public var start: Int
  public var end: Int

  public init(category: String, text: String, inHeading: Bool, start: Int, end: Int) {
    self.category = category
    self.text = text
    self.inHeading = inHeading
    self.start = start
    self.end = end
  }
}

/// A term's share of a passage's tf-idf similarity to a category.
public struct TermContribution: Sendable, Equatable, Codable {
  public var stem: String
  public var weight: Double

  public init(stem: String, weight: Double) {
    self.stem = stem
    self.weight = weight
  }
}

/// What an analyst's decision made of a label (see the Decisions module): confirmed, rejected
/// (the label counts for nothing), added (a category gcmap missed) or changed (the category an
/// analyst put in place of gcmap's).
public enum ReviewMark: String, Sendable, Codable, CaseIterable {
  case confirmed, rejected, added, changed
}

/// How strongly one passage signals one category, each scorer's part and what caused it.
public struct CategoryScore: Sendable, Equatable, Codable {
  public var category: String
  public var keyword: Double
  public var tfidf: Double
  public var mention: Double
  public var heading: Double
  /// The share of the document's passages whose strongest lexicon evidence is the category.
  public var document: Double
  /// The weighted sum (or its logistic) the classifier compares with its thresholds.
  public var combined: Double
  public var terms: [TermMatch]
  public var contributors: [TermContribution]
  public var mentions: [Mention]
  /// The action of the Compact the passage is closest to, for a label of an objective
  /// ("5(c)": objective 5's action (c); "5 (commitment)"), with its tf-idf cosine: evidence
  /// to check the label against the Compact's own words. nil when none shares a term, for
  /// principles, and for French and Spanish passages (no text of the Compact in the corpus).
  public var closestAction: String?
  public var actionSimilarity: Double = 0
  /// An analyst's decision that made this category a label (confirmed, added, changed); a
  /// rejected category is listed in `Classification.rejected` instead.
  public var review: ReviewMark?

  public init(
    category: String, keyword: Double, tfidf: Double, mention: Double, heading: Double,
    document: Double = 0, combined: Double, terms: [TermMatch], contributors: [TermContribution],
    mentions: [Mention]
  ) {
    self.category = category
    self.keyword = keyword
    self.tfidf = tfidf
    self.mention = mention
    self.heading = heading
    self.document = document
    self.combined = combined
    self.terms = terms
    self.contributors = contributors
    self.mentions = mentions
  }
}

/// A passage with its scores (categories with any signal, strongest first) and the labels
/// the classifier gave it.
public struct Classification: Sendable, Equatable, Codable {
  public var passage: Passage
  public var scores: [CategoryScore]
  public var labels: [String]
  /// The language the passage was scored in ("en", "fr", "es"; "other" or "" if unknown).
  public var language: String
  /// How much the passage is report apparatus (methodology, questionnaires, references...),
  /// with the evidence; at or over the pipeline's threshold it counts for nothing, as text
  /// that is not prose does (a table's cells, a chart's labels, contents): `isApparatus`.
  public var isApparatus: Bool
  /// What the passage is: "body" (prose that counts), "apparatus", or, for text that is not
  /// prose, "table", "figure" or "contents".
  public var part: String
  public var apparatusScore: Double
  public var apparatusCues: [String]
  /// The labels an apparatus passage would have had: kept to show what was withheld.
  public var withheld: [String]
  /// gcmap's labels an analyst rejected: listed, counted for nothing.
  public var rejected: [String] = []
  /// How close the passage is to the Compact as a whole (tf-idf similarity, scaled to [0, 1]).
  public var relevance: Double
  /// Words of the pipeline's required subject (migration) in the passage and its heading.
  public var subjectWords: Int
  /// Words of that subject per 1,000 words of the passage's document (its body passages).
  public var subjectDensity: Double
  /// The subject sets the passage is about by its text, heading, neighbours or document:
  /// their generic terms counted in the passage without a word of theirs nearby.
  public var contextSubjects: [String]
  /// Where the passage's required subject (migration) was found: "passage", "heading",
  /// "neighbour", "document", or "" (nowhere: only explicit mentions label it).
  public var subjectSource: String

  public init(
    passage: Passage, scores: [CategoryScore], labels: [String], language: String = "en",
    isApparatus: Bool = false, part: String? = nil, apparatusScore: Double = 0,
    apparatusCues: [String] = [],
    withheld: [String] = [], relevance: Double = 0, subjectWords: Int = 0,
    subjectDensity: Double = 0, contextSubjects: [String] = [], subjectSource: String = ""
  ) {
    self.subjectWords = subjectWords
    self.subjectDensity = subjectDensity
    self.contextSubjects = contextSubjects
    self.subjectSource = subjectSource
    self.isApparatus = isApparatus
    self.part = part ?? (isApparatus ? "apparatus" : "body")
    self.relevance = relevance
    self.passage = passage
    self.scores = scores
    self.labels = labels
    self.language = language
    self.apparatusScore = apparatusScore
    self.apparatusCues = apparatusCues
    self.withheld = withheld
  }

  public func score(_ category: String) -> CategoryScore? {
    scores.first { $0.category == category }
  }
}

/// How far a document covers a category.
///
/// none: no passage signals it; mentioned: named or weakly signalled (labelled only by weak
/// passages, see `CoverageSettings.addressedScore`); addressed: at least one firmly labelled
/// passage; substantive: several labelled passages, one of them firm.
public enum CoverageLevel: String, Sendable, Codable, CaseIterable, Comparable {
  case none, mentioned, addressed, substantive

  public static func < (lhs: CoverageLevel, rhs: CoverageLevel) -> Bool {
    allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
  }
}

/// One cell of the coverage matrix: a document × a category.
public struct CategoryCoverage: Sendable, Equatable, Codable {
  public var category: String
  /// Passages labelled with the category.
  public var passages: Int
  /// Those passages as a share of all the document's passages.
  public var share: Double
  /// The highest combined score of any passage for the category.
  public var strongest: Double
  /// Passages that name the category explicitly.
  public var mentions: Int
  public var level: CoverageLevel

  public init(
    category: String, passages: Int, share: Double, strongest: Double, mentions: Int,
    level: CoverageLevel
  ) {
    self.category = category
    self.passages = passages
    self.share = share
    self.strongest = strongest
    self.mentions = mentions
    self.level = level
  }
}

/// A document's row of the coverage matrix, its cells in taxonomy order.
public struct DocumentCoverage: Sendable, Equatable, Codable {
  public var documentID: String
  /// The document's passages that can count: report apparatus left out.
  public var passageCount: Int
  public var cells: [CategoryCoverage]

  public init(documentID: String, passageCount: Int, cells: [CategoryCoverage]) {
    self.documentID = documentID
    self.passageCount = passageCount
    self.cells = cells
  }

  public func cell(_ category: String) -> CategoryCoverage? {
    cells.first { $0.category == category }
  }
}
