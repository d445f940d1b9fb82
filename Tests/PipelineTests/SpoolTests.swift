import CSVFormat
import Foundation
import GCMapCore
import Scoring
import TestSupport
import Testing

@testable import Reports

/// The batch keeps passage rows on disk and records trimmed to what the reports quote; these
/// check that nothing in the outputs changes for it.
@Suite("Passage spool and trimmed records")
struct SpoolTests {
  /// A document with `count` passages labelled O01 (scores falling with the index, two tied),
  /// every third one also labelled P06, and one unlabelled passage.
  static func record(id: String, count: Int) -> DocumentRecord {
    var classifications: [Classification] = []
    for index in 0..<count {
      let passage = Passage(
        id: "\(id)#\(index + 1)", documentID: id, page: index / 3 + 1, endPage: index / 3 + 1,
        start: 0, end: 10, heading: index % 2 == 0 ? "Héading «\(index)»" : nil,
        text: "Passage \(index) — texte accentué, \"quoted\", line\nbreak")
      let combined = index == 4 ? 0.9 : 1.0 - Double(index) * 0.01
      var scores = [score("O01", combined)]
      var labels = ["O01"]
      if index % 3 == 0 {
        scores.append(score("P06", 0.5 + Double(index) * 0.01))
        labels.append("P06")
      }
      classifications.append(Classification(passage: passage, scores: scores, labels: labels))
    }
    let unlabelled = Passage(
      id: "\(id)#0", documentID: id, page: 1, endPage: 1, start: 0, end: 5, heading: nil,
      text: "Nothing")
    classifications.append(
      Classification(passage: unlabelled, scores: [score("O02", 0.1)], labels: []))
    return DocumentRecord(
      source: SourceDocument(id: id, path: "\(id).pdf", sha256: "00", size: 1),
      file: "\(id).pdf", pageCount: count / 3 + 1, classifications: classifications,
      coverage: DocumentCoverage(
        documentID: id, passageCount: count + 1,
        cells: [
          CategoryCoverage(
            category: "O01", passages: count, share: 0.9, strongest: 1, mentions: 0,
            level: .substantive),
          CategoryCoverage(
            category: "P06", passages: (count + 2) / 3, share: 0.3, strongest: 0.8, mentions: 0,
            level: .addressed),
        ]),
      warnings: [])
  }

  /// A new, empty output folder and a spool in it.
  static func spoolInNewFolder() throws -> (URL, ReportSpool) {
    let folder = outputFolder()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return (folder, try ReportSpool(folder: folder))
  }

  static func score(_ category: String, _ combined: Double) -> CategoryScore {
    CategoryScore(
      category: category, keyword: 0.5, tfidf: 0.25, mention: 0, heading: 0, combined: combined,
      terms: [TermMatch(category: category, term: "smuggling", weight: 3, start: 0, end: 5)],
      contributors: [], mentions: [])
  }

  @Test("Rows come back from the spool exactly as they went in, per document")
  func roundTrip() throws {
    let (folder, spool) = try Self.spoolInNewFolder()
    let documents = [Self.record(id: "a", count: 20), Self.record(id: "b", count: 5)]
    for document in documents { try spool.addRows(of: document) }
    // A row per label (20 + 7 and 5 + 2), and one for the passage without a label.
    for (document, rowCount) in zip(documents, [28, 8]) {
      let rows = try spool.rows(of: document.source.id)
      #expect(rows == DataFiles.passageRows(document))
      #expect(rows.count == rowCount)
      // The same rows, written as CSV lines when the document arrived.
      let csv = String(decoding: try spool.csv(of: document.source.id), as: UTF8.self)
      #expect(csv == CSV.rows(rows))
      #expect(csv.components(separatedBy: "\r\n").count == rowCount + 1)
    }
    #expect(try spool.rows(of: "absent").isEmpty)
    #expect(try spool.csv(of: "absent").isEmpty)
    // The spool's file is unlinked at once: nothing is left in the output folder.
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(left.isEmpty, "\(left)")
  }

  @Test("CSV fields with commas, quotes or line breaks are quoted, quotes doubled")
  func csvFields() {
    #expect(
      CSV.row(["a", "b,c", "say \"hi\"", "line\nbreak", "é\"é", "", "\r"])
        == "a,\"b,c\",\"say \"\"hi\"\"\",\"line\nbreak\",\"é\"\"é\",,\"\r\"\r\n")
  }

  @Test("A damaged spool segment is an error, not garbage rows")
  func damaged() {
    let bytes = ReportSpool.encode(DataFiles.passageRows(Self.record(id: "a", count: 3)))
    #expect(ReportSpool.decode(bytes) != nil)
    #expect(ReportSpool.decode(Array(bytes.dropLast(3))) == nil)
    #expect(ReportSpool.decode(Array(bytes.prefix(2))) == nil)
  }

  @Test("A record keeping its quotes gives the reports the same best passages")
  func keepingQuotes() {
    let whole = Self.record(id: "a", count: 30)
    let kept = whole.keepingQuotes()
    #expect(kept.classifications.count < whole.classifications.count)
    for category in ["O01", "P06", "O02"] {
      for limit in [1, 2, 5, EvidencePicker.quotesKept] {
        let expected = EvidencePicker.best(whole, category, limit: limit).map(\.passage.id)
        let got = EvidencePicker.best(kept, category, limit: limit).map(\.passage.id)
        #expect(got == expected, "\(category) limit \(limit)")
      }
    }
    // O01's eight best are passages 1-4 and 6-9 (passage 5 scores 0.9); P06's eight best are
    // its last eight (7, 10, ... 28); nothing else stays, the unlabelled passage included.
    let keptIDs = Set(kept.classifications.map(\.passage.id))
    let expected = Set(
      ([1, 2, 3, 4, 6, 7, 8, 9] + stride(from: 7, through: 28, by: 3)).map { "a#\($0)" })
    #expect(keptIDs == expected)
    #expect(kept.classifications.allSatisfy { !$0.labels.isEmpty })
  }

  @Test("Streamed passages.csv and workbook sheet hold every row of the spool")
  func streamedFiles() throws {
    let (folder, spool) = try Self.spoolInNewFolder()
    let documents = [Self.record(id: "b", count: 12), Self.record(id: "a", count: 40)]
    for document in documents { try spool.addRows(of: document) }
    let trimmed = documents.map { $0.keepingQuotes() }
    try DataFiles.writeAll(
      documents: trimmed, problems: [],
      taxonomy: try Taxonomy.load(Repository.corpus.appendingPathComponent("taxonomy.yml")),
      to: folder,
      passageRows: { try spool.rows(of: $0.source.id) },
      passageCSV: { try spool.csv(of: $0.source.id) })
    let streamed = try String(
      contentsOf: folder.appendingPathComponent("passages.csv"), encoding: .utf8)
    let direct = try DataFiles.passagesTable(documents.sorted { $0.source.id < $1.source.id }).csv()
    #expect(streamed == direct)
    let script = """
      import sys, openpyxl
      book = openpyxl.load_workbook(sys.argv[1] + '/coverage.xlsx')
      rows = list(book['Passages'].iter_rows(values_only=True))
      print(len(rows), rows[1][0], rows[-1][0])
      """
    let result = run("/usr/bin/env", ["python3", "-c", script, folder.path])
    #expect(result.code == 0, "\(result.error)")
    // Header + a's 40 + 14 rows, then b's 12 + 4: the workbook leaves out the passage without
    // a label, which passages.csv lists.
    #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "71 a b")
  }

  @Test("report.html from profiles kept on disk and summaries in memory is the whole report")
  func reportFromSpool() throws {
    let (folder, spool) = try Self.spoolInNewFolder()
    let taxonomy = try Taxonomy.load(Repository.corpus.appendingPathComponent("taxonomy.yml"))
    let documents = [Self.record(id: "b", count: 12), Self.record(id: "a", count: 40)]
    let context = ReportContext(
      toolVersion: "test", corpusVersion: "1", corpusHash: "00", pipelineName: "default",
      settings: [])
    for document in documents {
      try spool.addProfile(
        HTMLReport.profile(document, number: HTMLReport.numberToken, taxonomy),
        of: document.source.id)
    }
    let url = folder.appendingPathComponent("report.html")
    try HTMLReport.write(
      documents: documents.map { $0.keepingQuotes(EvidencePicker.quotesInSummaries) },
      problems: [], taxonomy: taxonomy, context: context, to: url
    ) { document, index in
      HTMLReport.numbered(try spool.profile(of: document.source.id) ?? "", index + 1)
    }
    let whole = HTMLReport.render(
      documents: documents, problems: [], taxonomy: taxonomy, context: context)
    #expect(try String(contentsOf: url, encoding: .utf8) == whole)
    #expect(!whole.contains(HTMLReport.numberToken))
    // The profiles quote eight passages per category, beyond the two kept in memory.
    #expect(whole.contains("id=\"ev-1-O01\"") && whole.contains("(a, p. 3)"))
    #expect(whole.components(separatedBy: "<blockquote>").count - 1 > 2 * 2 * 2)
    // Each quote takes its direction from its own text: Arabic reads right to left.
    #expect(
      whole.components(separatedBy: "<blockquote><span class=\"quote\" dir=\"auto\">").count
        == whole.components(separatedBy: "<blockquote>").count)
  }
}
