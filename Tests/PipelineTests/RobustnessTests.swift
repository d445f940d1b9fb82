import Foundation
import TestSupport
import Testing

@Suite("Robust batches")
struct RobustnessTests {
  /// Every kind of bad input a batch brings, next to good files with awkward names.
  static func mixedFolder() throws -> URL {
    try folder(
      [
        ("two-column.pdf", "review.pdf"), ("two-column.pdf", "copy of review.pdf"),
        ("title-ghana.pdf", "Revue nationale – Côte d'Ivoire \"final\".pdf"),
        ("title-senegal.pdf", "sub/dir/nested.PDF"), ("empty.pdf", "empty.pdf"),
        ("not-a-pdf.pdf", "not-a-pdf.pdf"), ("truncated.pdf", "truncated.pdf"),
        ("encrypted.pdf", "encrypted.pdf"),
        ("image-only.pdf", "image-only.pdf"), ("garbled.pdf", "garbled.pdf"),
      ],
      extra: [
        "notes.txt": "minutes of a meeting",
        "passwords.tsv": "encrypted.pdf\tguess\nencrypted.pdf\tsecret\n",
      ])
  }

  @Test("Every input is processed, a problem or skipped, with the right category")
  func accounting() throws {
    let input = try Self.mixedFolder()
    let out = outputFolder()
    let passwords = input.appendingPathComponent("passwords.tsv").path
    let result = GCMapBinary.run(["run", input.path, "--out", out.path, "--passwords", passwords])
    #expect(result.code == 2, "\(result.error)")
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(read(out, "run.json").utf8)) as? [String: Any])
    let counts = try #require(manifest["counts"] as? [String: Int])
    let inputs = counts["inputs"] ?? -1
    #expect(inputs == 12)
    #expect(
      (counts["processed"] ?? 0) + (counts["problems"] ?? 0) + (counts["skipped"] ?? 0) == inputs)
    #expect(counts["processed"] == 4)
    #expect(counts["skipped"] == 3)

    let problems = read(out, "problems.csv")
    let expected: [(String, String)] = [
      ("empty.pdf", "empty"), ("not-a-pdf.pdf", "not-pdf"), ("truncated.pdf", "truncated"),
      ("image-only.pdf", "no-text"), ("garbled.pdf", "unreadable-text"), ("notes.txt", "skipped"),
      ("passwords.tsv", "skipped"),
      // Files are taken in path order: the copy comes first, so the later one is the duplicate.
      ("review.pdf", "duplicate"),
    ]
    for (file, category) in expected {
      #expect(problems.contains("\(file),\(category),"), "\(file) should be \(category)")
    }
    let coverage = read(out, "coverage.csv")
    for document in ["copy of review", "encrypted", "sub/dir/nested"] {
      #expect(rows(coverage, document: document).count == 1, "\(document) missing")
    }
    #expect(coverage.contains("\"Revue nationale – Côte d'Ivoire \"\"final\"\"\""))
    // Each input appears once: in the results or in problems.csv.
    let files = (manifest["inputs"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String }
    #expect(files.count == 10)
  }

  @Test("A file over the time limit is stopped and reported; the batch goes on")
  func timeout() throws {
    let input = try folder([("two-column.pdf", "a.pdf")])
    let out = outputFolder()
    let result = GCMapBinary.run(["run", input.path, "--out", out.path, "--timeout", "0.01"])
    #expect(result.code == 2)
    #expect(
      read(out, "problems.csv").contains(
        "a.pdf,timeout,timeout: reading and scoring took longer than 0.01 s"))
  }

  @Test("A worker that dies (here: too little memory) is a crash row, not the end of the run")
  func crash() throws {
    let input = try folder([("two-column.pdf", "a.pdf"), ("broken-ligatures.pdf", "b.pdf")])
    let out = outputFolder()
    let result = GCMapBinary.run(["run", input.path, "--out", out.path, "--max-memory", "64"])
    #expect(result.code == 2)
    let problems = read(out, "problems.csv")
    #expect(problems.contains("a.pdf,crashed,") && problems.contains("b.pdf,crashed,"))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
  }

  @Test(
    "Killed (kill -9) with its new outputs written but not renamed, a run leaves the previous ones")
  func killed() throws {
    let input = try folder(
      [
        ("two-column.pdf", "a.pdf"), ("title-ghana.pdf", "b.pdf"), ("title-senegal.pdf", "c.pdf"),
        ("hostile-text.pdf", "d.pdf"),
      ])
    let out = outputFolder()
    _ = GCMapBinary.run(["run", input.path, "--out", out.path])
    let before = Self.dataFiles(out)
    // One more document, so that the new outputs differ from the old ones.
    try FileManager.default.copyItem(
      at: URL(fileURLWithPath: GeneratedFixtures.path("broken-ligatures.pdf")),
      to: input.appendingPathComponent("e.pdf"))
    let reference = outputFolder()
    _ = GCMapBinary.run(["run", input.path, "--out", reference.path])
    #expect(Self.dataFiles(reference) != before)

    // The run pauses just before it renames its first output: killed there.
    let marker = Scratch.path("paused")
    let cache = Scratch.path("cache")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: GCMapBinary.path)
    process.arguments = ["run", input.path, "--out", out.path]
    var environment = ProcessInfo.processInfo.environment
    environment["GCMAP_CORPUS"] = Repository.corpus.path
    environment["GCMAP_CACHE"] = cache.path
    environment["GCMAP_PAUSE_BEFORE_RENAME"] = marker.path
    process.environment = environment
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(120)
    while !FileManager.default.fileExists(atPath: marker.path) && process.isRunning
      && Date() < deadline
    {
      usleep(10_000)
    }
    let paused = FileManager.default.fileExists(atPath: marker.path)
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(paused, "the run never reached its pause before renaming")
    #expect(process.terminationReason == .uncaughtSignal, "the run ended before it was killed")
    // Its new outputs were written beside the old ones, which are as they were.
    let partial = (try FileManager.default.contentsOfDirectory(atPath: out.path)).filter {
      $0.contains(".partial-")
    }
    #expect(!partial.isEmpty, "the killed run had written no new output")
    #expect(Self.changed(Self.dataFiles(out), before) == [])

    _ = GCMapBinary.run(["run", input.path, "--out", out.path])
    #expect(Self.dataFiles(out) == Self.dataFiles(reference))
    let leftovers = (try FileManager.default.contentsOfDirectory(atPath: out.path)).filter {
      $0.contains(".partial-")
    }
    #expect(leftovers.isEmpty)
  }

  /// The names of the data files whose contents differ between two `dataFiles` lists.
  static func changed(_ files: [String], _ others: [String]) -> [String] {
    zip(dataFileNames, zip(files, others)).filter { $1.0 != $1.1 }.map(\.0)
  }

  static let dataFileNames = [
    "coverage.csv", "coverage.json", "passages.csv", "problems.csv", "regions.csv", "report.html",
    "evidence.md",
  ]

  static func dataFiles(_ folder: URL) -> [String] {
    dataFileNames.map { read(folder, $0) }
  }
}
