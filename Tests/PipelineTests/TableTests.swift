import Foundation
import GCMapCore
import Pipeline
import TestSupport
import Testing

/// A generated review page that reports its measures in a table by objective, with a budget
/// table of thematic areas and amounts below it (scripts/make-fixtures: measures-table.pdf).
@Suite("Tables in a review")
struct TableTests {
  func record() throws -> DocumentRecord {
    let corpus = Corpus(root: Repository.corpus)
    let analysis = try Analysis(
      corpus: corpus, settings: PipelineSettings.load(corpus.defaultPipeline))
    var timings = Analysis.Timings()
    return try analysis.analyze(
      path: GeneratedFixtures.path("measures-table.pdf"), id: "measures-table",
      file: "measures-table.pdf", timings: &timings)
  }

  @Test("A budget table of thematic areas and amounts takes no label")
  func budgetTable() throws {
    let found = try record().classifications.filter {
      $0.passage.text.contains("Counter-trafficking")
    }
    #expect(!found.isEmpty)
    for classification in found {
      #expect(classification.part != "body", "\(classification.passage.text)")
      #expect(classification.labels.isEmpty, "\(classification.labels)")
    }
  }

  @Test("The table of measures by objective keeps its labels")
  func measuresTable() throws {
    let record = try record()
    let labels = Set(record.classifications.flatMap(\.labels))
    // Known limit: the reading order interleaves the lines of the table's cells (an objective's
    // measure and the next row's run together, "fees.Labour"), so the rows are read as cells,
    // not sentences, and their labels are withheld. Fixing it needs table cells from the
    // page's geometry (issue 23, left for a later change).
    withKnownIssue("table rows interleaved by the reading order") {
      #expect(labels.isSuperset(of: ["O06", "O13", "O20"]), "\(labels)")
    }
    // Their labels are at least found and shown (withheld), never lost.
    let withheld = Set(record.classifications.flatMap(\.withheld))
    #expect(withheld.union(labels).isSuperset(of: ["O06", "O13", "O20"]))
  }
}
