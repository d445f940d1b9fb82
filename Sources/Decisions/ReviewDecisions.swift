import Foundation
import GCMapCore
import Pipeline
import Scoring

/// Analysts' decisions applied to a run (`gcmap run --decisions FILE`).
///
/// Each document's passages are matched by the document's SHA-256 and the hash of their text:
/// a rejected label is dropped (listed in passages.csv as rejected), a confirmed or added one is
/// a label, a changed one gives way to its new category, and coverage is counted again. A
/// decision whose passage is not among the run's passages (another cut of the page, a
/// document not in the run) is listed in run.json as unmatched, never dropped silently.
/// Thread-safe: documents arrive from several workers at once.
public final class ReviewDecisions: LabelDecisions {
  public let file: String
  /// SHA-256 of the decisions' history in CSV form (`DecisionCSV.render`).
  public let hash: String
  /// The decisions that apply (the latest of each key), by document and passage hash.
  private let byPassage: [String: [String: [Decision]]]
  private let latest: [Decision]
  private let matched = Locked<Set<DecisionKey>>([])
  /// Per category, gcmap's labels confirmed and rejected (changed ones count as rejected).
  private let tallies = Locked<[String: (confirmed: Int, rejected: Int)]>([:])

  /// Reads a store or a CSV export.
  public init(file: String) throws {
    let loaded = try DecisionCSV.load(file)
    self.file = file
    hash = loaded.hash
    latest = DecisionStore.latest(loaded.history)
    var byPassage: [String: [String: [Decision]]] = [:]
    for decision in latest {
      byPassage[decision.documentSHA256, default: [:]][decision.passageHash, default: []]
        .append(decision)
    }
    self.byPassage = byPassage
  }

  /// `record` with the decisions on its passages applied and its coverage revised.
  public func apply(to record: DocumentRecord, aggregator: CoverageAggregator) -> DocumentRecord {
    guard let passages = byPassage[record.source.sha256] else { return record }
    var revised = record
    var applied: Set<DecisionKey> = []
    var counted: [String: (confirmed: Int, rejected: Int)] = [:]
    for index in revised.classifications.indices {
      let text = revised.classifications[index].passage.text
      guard let decisions = passages[PassageHash.of(text)] else { continue }
      for decision in decisions {
        if revised.classifications[index].labels.contains(decision.category) {
          switch decision.kind {
          case .confirm: counted[decision.category, default: (0, 0)].confirmed += 1
          case .reject, .change: counted[decision.category, default: (0, 0)].rejected += 1
          case .add: break
          }
        }
        Self.apply(decision, to: &revised.classifications[index])
        applied.insert(decision.key)
      }
    }
    guard !applied.isEmpty else { return record }
    matched.withLock { $0.formUnion(applied) }
    tallies.withLock { tallies in
      for (category, count) in counted {
        tallies[category, default: (0, 0)].confirmed += count.confirmed
        tallies[category, default: (0, 0)].rejected += count.rejected
      }
    }
    revised.coverage = aggregator.revised(record.coverage, revised.classifications)
    return revised
  }

  static func apply(_ decision: Decision, to classification: inout Classification) {
    switch decision.kind {
    case .confirm:
      include(decision.category, .confirmed, in: &classification)
    case .add:
      include(decision.category, .added, in: &classification)
    case .reject:
      drop(decision.category, in: &classification)
      if !classification.rejected.contains(decision.category) {
        classification.rejected.append(decision.category)
      }
    case .change:
      drop(decision.category, in: &classification)
      include(decision.newCategory ?? decision.category, .changed, in: &classification)
    }
  }

  /// Makes `category` a label with `review`: a label already keeps its place; a new one comes
  /// after gcmap's (with a score of nothing when gcmap found no evidence for it).
  private static func include(
    _ category: String, _ review: ReviewMark, in classification: inout Classification
  ) {
    classification.rejected.removeAll { $0 == category }
    if !classification.labels.contains(category) { classification.labels.append(category) }
    if classification.score(category) == nil {
      classification.scores.append(
        CategoryScore(
          category: category, keyword: 0, tfidf: 0, mention: 0, heading: 0, combined: 0,
          terms: [], contributors: [], mentions: []))
    }
    mark(category, review, in: &classification)
  }

  private static func drop(_ category: String, in classification: inout Classification) {
    classification.labels.removeAll { $0 == category }
  }

  private static func mark(
    _ category: String, _ review: ReviewMark, in classification: inout Classification
  ) {
    for index in classification.scores.indices
    where classification.scores[index].category == category {
      classification.scores[index].review = review
    }
  }

  /// What run.json says of the decisions once every document was seen.
  public func summary() -> RunManifest.DecisionsInfo {
    let matchedKeys = matched.withLock { $0 }
    let unmatched = latest.filter { !matchedKeys.contains($0.key) }
    let byCategory = tallies.withLock { $0 }.sorted { $0.key < $1.key }
    return RunManifest.DecisionsInfo(
      file: file, sha256: hash, decisions: latest.count, applied: latest.count - unmatched.count,
      byCategory: byCategory.map {
        .init(category: $0.key, confirmed: $0.value.confirmed, rejected: $0.value.rejected)
      },
      unmatched: unmatched.map {
        .init(
          document: $0.document, documentSHA256: $0.documentSHA256, page: $0.page,
          passageHash: $0.passageHash, category: $0.category, decision: $0.kind.rawValue,
          excerpt: $0.excerpt)
      })
  }
}
