import Foundation
import TestSupport
import Testing

@Suite("Worker pool and cache")
struct CacheTests {
  static let fixtures = [
    ("two-column.pdf", "a.pdf"), ("title-ghana.pdf", "b.pdf"), ("title-senegal.pdf", "c.pdf"),
    ("broken-ligatures.pdf", "d.pdf"), ("french-review.pdf", "e.pdf"), ("empty.pdf", "f.pdf"),
  ]

  /// run.json's "execution" object: how many documents were extracted, or taken from the cache.
  static func execution(_ out: URL) throws -> [String: Any] {
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(read(out, "run.json").utf8)) as? [String: Any])
    return try #require(manifest["execution"] as? [String: Any])
  }

  static func counts(_ out: URL) throws -> [Int] {
    let execution = try Self.execution(out)
    return ["extracted", "extractionFromCache", "analysisFromCache"].map {
      execution[$0] as? Int ?? -1
    }
  }

  @Test("Two workers, one worker and no worker give byte-identical outputs")
  func jobsDoNotChangeResults() throws {
    let input = try folder(Self.fixtures)
    var outputs: [[String]] = []
    for arguments in [["--jobs", "2"], ["--jobs", "1"], ["--in-process"]] {
      let out = outputFolder()
      let result = GCMapBinary.run(
        ["run", input.path, "--out", out.path, "--no-cache"] + arguments)
      #expect(result.code == 2, "\(result.error)")  // f.pdf is empty
      outputs.append(RobustnessTests.dataFiles(out))
      #expect(
        try Self.execution(out)["jobs"] as? Int
          == (arguments[0] == "--jobs" ? Int(arguments[1]) : 0))
    }
    #expect(outputs[0] == outputs[1])
    #expect(outputs[0] == outputs[2])
    #expect(outputs[0][0].contains("a,"))
  }

  @Test("A warm run reads every analysis from the cache; a changed file alone is extracted again")
  func warmRun() throws {
    let input = try folder(Self.fixtures)
    let cache = outputFolder()
    let environment = ["GCMAP_CACHE": cache.path]
    func run() throws -> URL {
      let out = outputFolder()
      var merged = ProcessInfo.processInfo.environment
      merged.merge(environment) { $1 }
      _ = GCMapBinary.run(["run", input.path, "--out", out.path], environment: merged)
      return out
    }
    let cold = try run()
    #expect(try Self.counts(cold) == [6, 0, 0])
    // The empty file's failure depends on its bytes alone: it comes from the extraction cache.
    let warm = try run()
    #expect(try Self.counts(warm) == [0, 1, 5])
    #expect(RobustnessTests.dataFiles(warm) == RobustnessTests.dataFiles(cold))

    // New contents for b.pdf: only it is extracted again.
    let changed = input.appendingPathComponent("b.pdf")
    try FileManager.default.removeItem(at: changed)
    try FileManager.default.copyItem(
      at: URL(fileURLWithPath: GeneratedFixtures.path("title-bolivia.pdf")), to: changed)
    let touched = try run()
    #expect(try Self.counts(touched) == [1, 1, 4])
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(read(touched, "run.json").utf8))
        as? [String: Any])
    let inputs = try #require(manifest["inputs"] as? [[String: Any]])
    let extracted = inputs.filter { $0["cache"] as? String == "none" }.compactMap {
      $0["file"] as? String
    }
    #expect(extracted == ["b.pdf"])
    #expect(rows(read(touched, "coverage.csv"), document: "b").first?.contains("BOL") == true)
  }

  @Test("A changed pipeline re-scores from the cached text without extracting")
  func changedPipeline() throws {
    let input = try folder(Self.fixtures.prefix(3).map { $0 })
    let cache = outputFolder()
    var environment = ProcessInfo.processInfo.environment
    environment["GCMAP_CACHE"] = cache.path
    let first = outputFolder()
    _ = GCMapBinary.run(["run", input.path, "--out", first.path], environment: environment)
    #expect(try Self.counts(first) == [3, 0, 0])

    let pipeline = outputFolder().appendingPathComponent("strict.yml")
    try FileManager.default.createDirectory(
      at: pipeline.deletingLastPathComponent(), withIntermediateDirectories: true)
    let original = try String(
      contentsOf: Repository.root.appendingPathComponent("Pipelines/default.yml"), encoding: .utf8)
    let strict = original.replacingOccurrences(of: "threshold: 0.45", with: "threshold: 0.9")
    #expect(strict != original)
    try strict.write(to: pipeline, atomically: true, encoding: .utf8)
    let second = outputFolder()
    _ = GCMapBinary.run(
      ["run", input.path, "--out", second.path, "--pipeline", pipeline.path],
      environment: environment)
    #expect(try Self.counts(second) == [0, 3, 0])
    #expect(read(second, "passages.csv") != read(first, "passages.csv"))
  }

  @Test("--no-cache neither reads nor writes the cache")
  func noCache() throws {
    let input = try folder(Self.fixtures.prefix(2).map { $0 })
    let cache = outputFolder()
    var environment = ProcessInfo.processInfo.environment
    environment["GCMAP_CACHE"] = cache.path
    for _ in 0..<2 {
      let out = outputFolder()
      _ = GCMapBinary.run(
        ["run", input.path, "--out", out.path, "--no-cache"], environment: environment)
      #expect(try Self.counts(out) == [2, 0, 0])
    }
    #expect(!FileManager.default.fileExists(atPath: cache.path))
  }
}
