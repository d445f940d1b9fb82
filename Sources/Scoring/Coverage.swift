import GCMapCore

/// When a category counts as mentioned, addressed or substantive in a document.
public struct CoverageSettings: Sendable, Equatable {
  /// A category no passage is labelled with is "mentioned" if a passage names it or scores at
  /// least this much for it.
  public var mentionedScore = 0.5
  /// "substantive" needs this many labelled passages, or this share of the document's
  /// passages (with at least two passages).
  public var substantivePassages = 3
  public var substantiveShare = 0.1

  public init() {}
}

/// Aggregates a document's classified passages into its row of the coverage matrix.
public struct CoverageAggregator: Sendable {
  public let settings: CoverageSettings
  public let categoryIDs: [String]

  public init(settings: CoverageSettings, categoryIDs: [String]) {
    self.settings = settings
    self.categoryIDs = categoryIDs
  }

  public func aggregate(documentID: String, _ classifications: [Classification]) -> DocumentCoverage
  {
    let total = classifications.count
    let cells = categoryIDs.map { id -> CategoryCoverage in
      let labelled = classifications.filter { $0.labels.contains(id) }.count
      let strongest = classifications.compactMap { $0.score(id)?.combined }.max() ?? 0
      let mentions = classifications.filter { $0.score(id)?.mention ?? 0 > 0 }.count
      let share = total > 0 ? Double(labelled) / Double(total) : 0
      let level: CoverageLevel
      if labelled >= settings.substantivePassages
        || (labelled >= 2 && share >= settings.substantiveShare)
      {
        level = .substantive
      } else if labelled > 0 {
        level = .addressed
      } else if mentions > 0 || strongest >= settings.mentionedScore {
        level = .mentioned
      } else {
        level = .none
      }
      return CategoryCoverage(
        category: id, passages: labelled, share: PassageClassifier.rounded(share),
        strongest: strongest,
        mentions: mentions, level: level)
    }
    return DocumentCoverage(documentID: documentID, passageCount: total, cells: cells)
  }

  /// The objective the document covers most: most labelled passages, then highest score.
  public static func topObjective(_ coverage: DocumentCoverage) -> String? {
    coverage.cells.filter { $0.category.hasPrefix("O") && $0.passages > 0 }
      .max { ($0.passages, $0.strongest, $1.category) < ($1.passages, $1.strongest, $0.category) }?
      .category
  }
}
