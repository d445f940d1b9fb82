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
    let analysis = try Analysis.shipped()
    var timings = Analysis.Timings()
    return try analysis.analyze(
      path: GeneratedFixtures.path("measures-table.pdf"), id: "measures-table",
      file: "measures-table.pdf", timings: &timings)
  }

  @Test("A budget table of thematic areas and amounts: one passage per row, none labelled")
  func budgetTable() throws {
    let areas = ["Border management", "Labour migration", "Remittances and diaspora"]
    let rows = try record().classifications.filter { classification in
      areas.contains { classification.passage.text.hasPrefix($0) }
    }
    #expect(rows.count == 3, "\(rows.map(\.passage.text))")
    for row in rows {
      #expect(row.passage.isTableRow)
      #expect(row.part == "table", "\(row.passage.text)")
      #expect(row.labels.isEmpty, "\(row.labels)")
    }
  }

  @Test("The table of measures by objective: each row one passage, read across, keeps its label")
  func measuresTable() throws {
    let record = try record()
    let expected = [
      ("Objective 6", "O06", "recruitment fees. Labour"),
      ("Objective 20", "O20", "remittances home. Finance"),
      ("Objective 13", "O13", "follows each of them. Interior"),
    ]
    for (opening, label, ending) in expected {
      let row = try #require(
        record.classifications.first { $0.passage.text.hasPrefix(opening + " ") })
      #expect(row.passage.isTableRow)
      // The cell's three lines in order, then the next column's cell: not interleaved.
      #expect(row.passage.text.hasSuffix(ending), "\(row.passage.text)")
      #expect(row.part == "body")
      #expect(row.labels.first == label, "\(row.labels) \(row.withheld)")
      // The column headers are the row's context, after the section's heading.
      #expect(
        row.passage.heading
          == "Measures taken by objective / Objective · Measures taken in 2025 · Lead ministry")
    }
  }
}
