import CSVFormat
import CorpusConfiguration
import Decisions
import Foundation
import GCMapCore
import Pipeline
import TestSupport
import Testing

@Suite("Analysts' decisions: store, CSV, and their application to a run")
struct DecisionsTests {
  static func decision(
    _ kind: DecisionKind, _ category: String, at time: String, by reviewer: String = "Ada",
    passage: String = "p1", newCategory: String? = nil
  ) -> Decision {
    Decision(
      documentSHA256: String(repeating: "a", count: 64), passageHash: passage, category: category,
      kind: kind, newCategory: newCategory, reviewer: reviewer, note: "a note, with \"quotes\"",
      decidedAt: time, document: "doc", page: 3, excerpt: "Some text\nover two lines")
  }

  @Test("The store keeps every decision as history; the latest per key applies; it reopens")
  func history() throws {
    let path = Scratch.path("store").path + ".sqlite"
    do {
      let store = try DecisionStore(path: path)
      try store.record(Self.decision(.confirm, "O01", at: "2026-12-02T10:00:00.000Z"))
      try store.record(Self.decision(.reject, "O01", at: "2026-12-02T11:00:00.000Z"))
      try store.record(Self.decision(.add, "O07", at: "2026-12-02T10:30:00.000Z"))
    }
    let reopened = try DecisionStore(path: path, create: false)
    #expect(try reopened.history().count == 3)
    let latest = try reopened.latest()
    #expect(latest.map(\.kind) == [.reject, .add])
    #expect(latest.first?.note == "a note, with \"quotes\"")
  }

  @Test("Export and import give the same history back; a second import adds nothing")
  func csvRoundTrip() throws {
    let history = [
      Self.decision(.confirm, "O01", at: "2026-12-02T10:00:00.000Z"),
      Self.decision(.change, "O02", at: "2026-12-02T10:01:00.000Z", newCategory: "O05"),
    ]
    let text = DecisionCSV.render(history)
    #expect(try DecisionCSV.parse(text, file: "d.csv") == history)
    let store = try DecisionStore(path: Scratch.path("import").path)
    let first = try store.importDecisions(history)
    let second = try store.importDecisions(history)
    #expect(first.added == 2 && second.added == 0 && second.alreadyThere == 2)
    #expect(DecisionCSV.render(try store.history()) == text)
  }

  @Test("Analysts who disagree on a key are a conflict, listed")
  func conflicts() throws {
    let store = try DecisionStore(path: Scratch.path("conflicts").path)
    let result = try store.importDecisions([
      Self.decision(.confirm, "O01", at: "2026-12-02T10:00:00.000Z", by: "Ada"),
      Self.decision(.reject, "O01", at: "2026-12-02T10:05:00.000Z", by: "Ben"),
      Self.decision(.confirm, "O02", at: "2026-12-02T10:00:00.000Z", by: "Ada"),
      Self.decision(.confirm, "O02", at: "2026-12-02T10:05:00.000Z", by: "Ben"),
    ])
    #expect(result.conflicts.count == 1)
    #expect(result.conflicts.first?.map(\.reviewer) == ["Ada", "Ben"])
  }

  @Test("A CSV row with an unknown decision or a bad time is an error naming the file and line")
  func badCSV() throws {
    let good = DecisionCSV.render([Self.decision(.confirm, "O01", at: "2026-12-02T10:00:00.000Z")])
    let badKind = good.replacingOccurrences(of: ",confirm,", with: ",approve,")
    #expect(throws: DecisionStoreError.self) { try DecisionCSV.parse(badKind, file: "x.csv") }
    do {
      _ = try DecisionCSV.parse(
        good.replacingOccurrences(of: "2026-12-02T10:00:00.000Z", with: "yesterday"),
        file: "x.csv")
      Issue.record("a bad time was accepted")
    } catch let error as DecisionStoreError {
      #expect(error.file == "x.csv:2" && error.message.contains("decided_at"))
    }
  }

  @Test("A stored row with an unknown decision kind or a missing field is an error naming it")
  func unknownKindInStore() throws {
    let path = Scratch.path("edited").path + ".sqlite"
    do {
      let store = try DecisionStore(path: path)
      try store.record(Self.decision(.confirm, "O01", at: "2026-12-02T10:00:00.000Z"))
      try store.record(Self.decision(.reject, "O02", at: "2026-12-02T11:00:00.000Z"))
    }
    // Another program writes past the table's check: a kind gcmap does not know, on row 2.
    func edit(_ sql: String) {
      let script =
        "import sqlite3,sys; c = sqlite3.connect(sys.argv[1]); "
        + "c.execute('PRAGMA ignore_check_constraints = ON'); c.execute(sys.argv[2]); c.commit()"
      let result = run("/usr/bin/env", ["python3", "-c", script, path, sql])
      #expect(result.code == 0, "\(result.error)")
    }
    edit("UPDATE decisions SET decision = 'approve' WHERE id = 2")
    do {
      _ = try DecisionStore(path: path, create: false).history()
      Issue.record("an unknown decision kind was read")
    } catch let error as DecisionStoreError {
      #expect(error.file == path)
      #expect(
        error.message
          == "decision row 2: decision 'approve' is none of confirm, reject, add, change")
    }
    edit("UPDATE decisions SET decision = 'reject', page = 'three' WHERE id = 2")
    #expect(throws: DecisionStoreError(file: path, message: "decision row 2: no page number")) {
      try DecisionStore(path: path, create: false).history()
    }
  }

  @Test("A foreign SQLite file, a damaged store and a text file are refused, and left as they were")
  func refusedFiles() throws {
    let text = Scratch.path("text").path
    try Data("not a database".utf8).write(to: URL(fileURLWithPath: text))
    #expect(throws: DecisionStoreError.self) { try DecisionStore(path: text) }
    #expect(try String(contentsOfFile: text, encoding: .utf8) == "not a database")

    let foreign = Scratch.path("foreign").path
    let made = run(
      "/usr/bin/env",
      [
        "python3", "-c",
        "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('CREATE TABLE t (x)')", foreign,
      ])
    #expect(made.code == 0)
    do {
      _ = try DecisionStore(path: foreign)
      Issue.record("a foreign SQLite file was opened")
    } catch let error as DecisionStoreError {
      #expect(error.message.contains("not a gcmap decisions store") && error.file == foreign)
    }

    let damaged = Scratch.path("damaged").path
    do {
      let store = try DecisionStore(path: damaged)
      try store.record(Self.decision(.confirm, "O01", at: "2026-12-02T10:00:00.000Z"))
    }
    var bytes = try Data(contentsOf: URL(fileURLWithPath: damaged))
    for index in 100..<min(bytes.count, 4096) {
      bytes[index] = UInt8(truncatingIfNeeded: index * 7)
    }
    try bytes.write(to: URL(fileURLWithPath: damaged))
    do {
      _ = try DecisionStore(path: damaged).history()
      Issue.record("a damaged store was read")
    } catch let error as DecisionStoreError {
      #expect(error.message.contains("damaged"), "\(error)")
    }
  }

  @Test("--decisions: confirmed, rejected, added and changed labels in passages.csv and coverage")
  func applied() throws {
    let input = Scratch.path("decisions-input")
    try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: GeneratedFixtures.directory.appendingPathComponent("english-review.pdf"),
      to: input.appendingPathComponent("english-review.pdf"))
    let analysis = try CacheKeyTests.analysis()
    let plain = Scratch.path("plain")
    _ = try BatchRun.run(
      input: input, output: plain, analysis: analysis,
      options: BatchRun.Options(workers: nil, maximumSize: 1 << 30), progress: { _ in })
    let rows = try CSVTable.load(plain.appendingPathComponent("passages.csv"))
    let labelled = rows.rows.filter { !$0["label", default: ""].isEmpty }
    let first = try #require(labelled.first)
    let sha = try #require(
      try CSVTable.load(plain.appendingPathComponent("coverage.csv")).rows.first?["sha256"])
    let hash = PassageHash.of(first["text", default: ""])
    let label = first["label", default: ""]
    let store = Scratch.path("applied").path
    do {
      let decisions = try DecisionStore(path: store)
      for decision in [
        Decision(
          documentSHA256: sha, passageHash: hash, category: label, kind: .reject,
          reviewer: "Ada", decidedAt: "2026-12-02T10:00:00.000Z"),
        Decision(
          documentSHA256: sha, passageHash: hash, category: "O19", kind: .add, reviewer: "Ada",
          decidedAt: "2026-12-02T10:01:00.000Z"),
        // A category gcmap did not give this passage, rejected: listed as rejected too.
        Decision(
          documentSHA256: sha, passageHash: hash, category: "O22", kind: .reject,
          reviewer: "Ada", decidedAt: "2026-12-02T10:01:30.000Z"),
        Decision(
          documentSHA256: sha, passageHash: "gone", category: "O01", kind: .confirm,
          reviewer: "Ada", decidedAt: "2026-12-02T10:02:00.000Z", document: "english-review"),
      ] {
        try decisions.record(decision)
      }
    }
    var options = BatchRun.Options(workers: nil, maximumSize: 1 << 30)
    options.decisions = try ReviewDecisions(file: store)
    let reviewed = Scratch.path("reviewed")
    _ = try BatchRun.run(
      input: input, output: reviewed, analysis: analysis, options: options, progress: { _ in })
    let after = try CSVTable.load(reviewed.appendingPathComponent("passages.csv")).rows
    let marks = after.filter { !$0["review", default: ""].isEmpty }.map {
      "\($0["passage", default: ""]) \($0["label", default: ""]) \($0["review", default: ""])"
    }
    let passage = first["passage", default: ""]
    #expect(
      labelled.filter { $0["passage"] == first["passage"] }.allSatisfy { $0["label"] != "O22" })
    #expect(
      marks.sorted()
        == [
          "\(passage) O19 added", "\(passage) O22 rejected", "\(passage) \(label) rejected",
        ].sorted())
    let coverage = try CSVTable.load(reviewed.appendingPathComponent("coverage.csv")).rows.first
    let before = try CSVTable.load(plain.appendingPathComponent("coverage.csv")).rows.first
    #expect(coverage?["O19_passages"] == "1")
    #expect(
      Int(coverage?["\(label)_passages"] ?? "") == (Int(before?["\(label)_passages"] ?? "") ?? 0)
        - 1)
    let manifest = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: reviewed.appendingPathComponent("run.json"))) as? [String: Any])
    let info = try #require(manifest["decisions"] as? [String: Any])
    #expect(info["applied"] as? Int == 3 && info["decisions"] as? Int == 4)
    #expect((info["unmatched"] as? [[String: Any]])?.first?["passageHash"] as? String == "gone")
    // Every passage of the document is listed, labelled or not.
    #expect(
      Set(after.map { $0["passage", default: ""] }).count
        >= Set(labelled.map { $0["passage", default: ""] }).count)
  }
}

@Suite("The review and decisions commands")
struct ReviewCommandTests {
  @Test("gcmap review on a folder that is no run, and export of a missing store: status 1, named")
  func clearErrors() throws {
    let folder = Scratch.path("not-a-run")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let review = GCMapBinary.run(["review", folder.path, "--port", "0"])
    #expect(review.code == 1)
    #expect(review.error.contains("coverage.json") && review.error.contains(folder.path))
    let missing = folder.appendingPathComponent("none.sqlite").path
    let export = GCMapBinary.run(["decisions", "export", missing])
    #expect(export.code == 1 && export.error.contains(missing))
    #expect(!FileManager.default.fileExists(atPath: missing), "export created a store")
  }
}
