import GCMapCore

/// When a category counts as mentioned, addressed or substantive in a document.
public struct CoverageSettings: Sendable, Equatable, Codable {
  /// A category no passage is labelled with is "mentioned" if a passage names it or scores at
  /// least this much for it.
  public var mentionedScore = 0.5
  /// A labelled category is "addressed" only when one of its labelled passages scores at least
  /// this much for it, names it, or carries an analyst's decision for it; labels all weaker
  /// than this make it "mentioned". Why: a cell is a claim an analyst signs, and one passage
  /// labelled just over the threshold rarely survives being read (0: every label addresses).
  public var addressedScore = 0.0
  /// "substantive" needs this many labelled passages and this share of the document's
  /// passages (report apparatus left out). The default share, 1/23, is an even share among
  /// the 23 objectives: a real part of the document, relative to its length, not three
  /// passages lost in a long report.
  public var substantivePassages = 3
  public var substantiveShare = 1.0 / 23

  public init() {}
}

/// Aggregates a document's classified passages into its row of the coverage matrix.
public struct CoverageAggregator: Sendable {
  public let settings: CoverageSettings
  public let categoryIDs: [String]
  /// Each category's place in `categoryIDs` (its first, should an id repeat).
  private let slots: [String: Int]

  public init(settings: CoverageSettings, categoryIDs: [String]) {
    self.settings = settings
    self.categoryIDs = categoryIDs
    var slots: [String: Int] = [:]
    for (index, id) in categoryIDs.enumerated() where slots[id] == nil { slots[id] = index }
    self.slots = slots
  }

  /// The document's row. Report apparatus counts for nothing but its explicit mentions: not in
  /// the passage count or the strongest scores, while an "Objective 7" in a methodology
  /// section still makes objective 7 mentioned (never addressed).
  public func aggregate(documentID: String, _ classifications: [Classification]) -> DocumentCoverage
  {
    let total = classifications.count { !$0.isApparatus }
    // One pass over the passages, tallying into each category's slot.
    var labelledCounts = [Int](repeating: 0, count: categoryIDs.count)
    var firmCounts = [Int](repeating: 0, count: categoryIDs.count)
    var strongestScores = [Double?](repeating: nil, count: categoryIDs.count)
    var mentionCounts = [Int](repeating: 0, count: categoryIDs.count)
    for classification in classifications {
      let isBody = !classification.isApparatus
      if isBody {
        for label in Set(classification.labels) {
          guard let slot = slots[label] else { continue }
          labelledCounts[slot] += 1
          if isFirm(label, in: classification) { firmCounts[slot] += 1 }
        }
      }
      var seen = Set<String>()
      for score in classification.scores where seen.insert(score.category).inserted {
        guard let slot = slots[score.category] else { continue }
        if isBody {
          strongestScores[slot] = max(strongestScores[slot] ?? score.combined, score.combined)
        }
        if score.mention > 0 { mentionCounts[slot] += 1 }
      }
    }
    let cells = categoryIDs.map { id -> CategoryCoverage in
      let slot = slots[id] ?? 0
      let labelled = labelledCounts[slot]
      let strongest = strongestScores[slot] ?? 0
      let mentions = mentionCounts[slot]
      return cell(
        id, labelled: labelled, firm: firmCounts[slot], total: total, strongest: strongest,
        mentions: mentions)
    }
    return DocumentCoverage(documentID: documentID, passageCount: total, cells: cells)
  }

  /// `coverage` with its labelled passages counted again on `classifications` (every passage
  /// of the document, after analysts' decisions added, changed or rejected labels): shares and
  /// levels follow; the strongest scores and mentions stay those gcmap found.
  public func revised(_ coverage: DocumentCoverage, _ classifications: [Classification])
    -> DocumentCoverage
  {
    var labelledCounts: [String: Int] = [:]
    var firmCounts: [String: Int] = [:]
    for classification in classifications where !classification.isApparatus {
      for label in Set(classification.labels) {
        labelledCounts[label, default: 0] += 1
        if isFirm(label, in: classification) { firmCounts[label, default: 0] += 1 }
      }
    }
    var revised = coverage
    revised.cells = coverage.cells.map { old in
      cell(
        old.category, labelled: labelledCounts[old.category] ?? 0,
        firm: firmCounts[old.category] ?? 0, total: coverage.passageCount,
        strongest: old.strongest, mentions: old.mentions)
    }
    return revised
  }

  /// Whether `category`, a label of `classification`, can make its cell addressed: its score
  /// reaches `addressedScore`, the passage names it, or an analyst decided it.
  private func isFirm(_ category: String, in classification: Classification) -> Bool {
    guard let score = classification.score(category) else { return true }
    return score.combined >= settings.addressedScore || score.mention > 0 || score.review != nil
  }

  private func cell(
    _ id: String, labelled: Int, firm: Int, total: Int, strongest: Double, mentions: Int
  ) -> CategoryCoverage {
    let share = total > 0 ? Double(labelled) / Double(total) : 0
    let level: CoverageLevel
    if firm > 0 && labelled >= settings.substantivePassages && share >= settings.substantiveShare {
      level = .substantive
    } else if firm > 0 {
      level = .addressed
    } else if labelled > 0 || mentions > 0 || strongest >= settings.mentionedScore {
      level = .mentioned
    } else {
      level = .none
    }
    return CategoryCoverage(
      category: id, passages: labelled, share: PassageClassifier.rounded(share),
      strongest: strongest, mentions: mentions, level: level)
  }
}
