import GCMapCore
import Reports
import Scoring

/// Analysts' decisions on labels that a run applies to each document as it arrives
/// (`gcmap run --decisions`), and what run.json says of them once every document was seen.
///
/// A protocol so that the batch needs nothing of the decisions' store: the Decisions module,
/// which reads the store and its CSV form, provides the one implementation (`ReviewDecisions`).
/// Called from several worker threads at once.
public protocol LabelDecisions: Sendable {
  /// `record` with the decisions on its passages applied and its coverage revised.
  func apply(to record: DocumentRecord, aggregator: CoverageAggregator) -> DocumentRecord
  /// run.json's account of the decisions: applied, unmatched, and per category.
  func summary() -> RunManifest.DecisionsInfo
}

extension RunManifest.DecisionsInfo {
  /// What report.html's Method section shows of it.
  public var reportSummary: ReviewSummary {
    ReviewSummary(
      file: file, applied: applied, unmatched: unmatched.count,
      byCategory: byCategory.map { ($0.category, $0.confirmed, $0.rejected) })
  }
}
