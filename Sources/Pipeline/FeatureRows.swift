import CSVFormat
import Foundation
import GCMapCore
import Reports

/// The scorers' outputs of labelled passages, one row per passage and objective, for
/// `scripts/fit-classifier` to fit the combination's weights and thresholds on.
///
/// Columns: the set, the passage (a unit of the labels: rows with the same unit and category
/// are pooled as the set's scorer pools them), the gcmap passage, the category, whether the
/// readers gave the passage that category (y), then keyword, tfidf, mention, heading,
/// document and relevance (each in [0, 1], as `CategoryScore` and `Classification` hold
/// them), and for the whole-pipeline rows the readers' primary objective. Report apparatus is
/// left out: it never carries a label, whatever the weights.
public final class FeatureRows: Sendable {
  public static let header = CSV.row([
    "set", "unit", "passage", "category", "y", "primary", "keyword", "tfidf", "mention",
    "heading", "document", "relevance",
  ])
  private let lines = Locked<[String]>([])

  public init() {}

  /// Adds a row per objective of `classification`, `positives` naming the readers' ones.
  func add(
    set: String, unit: String, classification: Classification, objectives: [String],
    positives: Set<String>, primary: String
  ) {
    guard !classification.isApparatus else { return }
    var added: [String] = []
    for id in objectives {
      let score = classification.score(id)
      let values = [
        score?.keyword ?? 0, score?.tfidf ?? 0, score?.mention ?? 0, score?.heading ?? 0,
        score?.document ?? 0, classification.relevance,
      ].map(DataFiles.decimal)
      added.append(
        CSV.row(
          [set, unit, classification.passage.id, id, positives.contains(id) ? "1" : "0", primary]
            + values))
    }
    lines.withLock { $0 += added }
  }

  public func write(to url: URL) throws {
    let text = Self.header + lines.withLock { $0.joined() }
    try text.write(to: url, atomically: true, encoding: .utf8)
  }
}
