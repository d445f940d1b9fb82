import Foundation
import Pipeline
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
    let strict = original.replacingOccurrences(
      of: #"\n  threshold: [0-9.]+"#, with: "\n  threshold: 3", options: .regularExpression)
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

@Suite("Cache keys")
struct CacheKeyTests {
  /// Each ingredient changed in turn, and the level it must send back to work: `.extraction`
  /// (re-scored from the cached text) or `.none` (extracted again).
  static let changes:
    [(name: String, change: @Sendable (inout CacheIngredients) -> Void, level: String)] = [
      ("gcmap version", { $0.gcmapVersion += "-next" }, "none"),
      ("extraction code", { $0.extractionCode = String(repeating: "0", count: 64) }, "none"),
      ("poppler version", { $0.engines["poppler"] = "99.0.0" }, "none"),
      ("tesseract version", { $0.engines["tesseract"] = "99.0.0" }, "none"),
      (
        "tesseract models", { $0.engines["tesseract-models"] = String(repeating: "4", count: 64) },
        "none"
      ),
      ("OCR mode", { $0.ocr.mode = .force }, "none"),
      ("OCR resolution", { $0.ocr.dpi = 150 }, "none"),
      ("word lists", { $0.wordLists = String(repeating: "1", count: 64) }, "none"),
      ("normalization", { $0.normalization.removeLast() }, "none"),
      ("segmentation", { $0.segmentation.minimumWords += 1 }, "none"),
      ("scoring code", { $0.analysisCode = String(repeating: "2", count: 64) }, "extraction"),
      ("corpus", { $0.corpus = String(repeating: "3", count: 64) }, "extraction"),
      ("classifier settings", { $0.classifier.threshold += 0.01 }, "extraction"),
      ("coverage settings", { $0.coverage.substantivePassages += 1 }, "extraction"),
    ]

  static func analysis() throws -> Analysis {
    try Analysis.shipped()
  }

  /// Runs the batch in this process with `ingredients`, returning each file's cache use.
  static func run(
    _ input: URL, cache: URL, analysis: Analysis, ingredients: CacheIngredients
  ) throws -> [String] {
    let out = outputFolder()
    var options = BatchRun.Options(
      workers: nil, maximumSize: 1 << 30, cache: AnalysisCache(folder: cache))
    options.cacheIngredients = ingredients
    _ = try BatchRun.run(
      input: input, output: out, analysis: analysis, options: options, progress: { _ in })
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(read(out, "run.json").utf8)) as? [String: Any])
    let inputs = try #require(manifest["inputs"] as? [[String: Any]])
    return inputs.compactMap { $0["cache"] as? String }
  }

  @Test(
    "This build's ingredients: the code identities are SHA-256 digests, poppler's version is read")
  func current() throws {
    let ingredients = try CacheIngredients.current(Self.analysis())
    for digest in [ingredients.extractionCode, ingredients.analysisCode] {
      #expect(digest.count == 64 && digest.allSatisfy(\.isHexDigit))
    }
    #expect(ingredients.extractionCode != ingredients.analysisCode)
    let poppler = try #require(ingredients.engines["poppler"])
    #expect(poppler.split(separator: ".").count >= 2, "\(poppler)")
  }

  @Test("Every ingredient changes the key of its level, and the analysis key with it")
  func keys() throws {
    let base = try CacheIngredients.current(Self.analysis())
    let file = String(repeating: "a", count: 64)
    let original = AnalysisCache.keys(sha256: file, ingredients: base)
    #expect(AnalysisCache.keys(sha256: file, ingredients: base) == original)
    #expect(
      AnalysisCache.keys(sha256: String(repeating: "b", count: 64), ingredients: base).extraction
        != original.extraction)
    for (name, change, level) in Self.changes {
      var changed = base
      change(&changed)
      let keys = AnalysisCache.keys(sha256: file, ingredients: changed)
      #expect(keys.analysis != original.analysis, "\(name)")
      #expect((keys.extraction == original.extraction) == (level == "extraction"), "\(name)")
    }
  }

  @Test(
    "A run after any ingredient changed re-scores or re-extracts every file, never serves the old result"
  )
  func runs() throws {
    let input = try folder(CacheTests.fixtures.prefix(3).map { $0 })
    let analysis = try Self.analysis()
    let base = try CacheIngredients.current(analysis)
    for (name, change, level) in Self.changes {
      let cache = outputFolder()
      #expect(
        try Self.run(input, cache: cache, analysis: analysis, ingredients: base) == [
          "none", "none", "none",
        ])
      #expect(
        try Self.run(input, cache: cache, analysis: analysis, ingredients: base) == [
          "analysis", "analysis", "analysis",
        ], "\(name)")
      var changed = base
      change(&changed)
      #expect(
        try Self.run(input, cache: cache, analysis: analysis, ingredients: changed)
          == [level, level, level], "\(name)")
      try? FileManager.default.removeItem(at: cache)
    }
  }

  @Test("cache info counts the entries; prune keeps the most recently used under the bound")
  func prune() throws {
    let input = try folder(CacheTests.fixtures.prefix(3).map { $0 })
    let cache = outputFolder()
    var environment = ProcessInfo.processInfo.environment
    environment["GCMAP_CACHE"] = cache.path
    _ = GCMapBinary.run(
      ["run", input.path, "--out", outputFolder().path], environment: environment)
    let store = AnalysisCache(folder: cache)
    let usage = store.usage()
    #expect(usage.extraction.entries == 3)
    #expect(usage.analysis.entries == 3)
    let info = GCMapBinary.run(["cache", "info", "--cache", cache.path])
    #expect(info.code == 0)
    #expect(info.output.contains("extracted text: 3 entries"), "\(info.output)")
    #expect(info.output.contains("analyses: 3 entries"), "\(info.output)")

    // A left-over of an earlier version goes first; then the least recently used entries.
    let stale = cache.appendingPathComponent("analysis/old.json")
    try Data("{}".utf8).write(to: stale)
    let analysisFolder = cache.appendingPathComponent("analysis")
    let entries = try FileManager.default.contentsOfDirectory(atPath: analysisFolder.path)
      .filter { $0.hasSuffix(".bin") }.sorted()
    let recent = analysisFolder.appendingPathComponent(entries[0]).path
    var all = try FileManager.default.contentsOfDirectory(atPath: cache.path + "/extract").map {
      cache.path + "/extract/" + $0
    }
    all += entries.map { analysisFolder.appendingPathComponent($0).path }
    for path in all {
      try FileManager.default.setAttributes(
        [.modificationDate: Date(timeIntervalSinceNow: path == recent ? 0 : -86_400)],
        ofItemAtPath: path)
    }
    let bound = try #require(
      try FileManager.default.attributesOfItem(atPath: recent)[.size] as? Int)
    let removed = store.prune(maximumBytes: bound)
    #expect(removed.entries == 6)
    #expect(!FileManager.default.fileExists(atPath: stale.path))
    #expect(FileManager.default.fileExists(atPath: recent))
    #expect(store.usage().bytes <= bound)

    let emptied = GCMapBinary.run(["cache", "prune", "--max-size", "0", "--cache", cache.path])
    #expect(emptied.code == 0, "\(emptied.error)")
    #expect(store.usage().bytes == 0)
    #expect(store.usage().extraction.entries + store.usage().analysis.entries == 0)
  }
}

@Suite("Worker pool in this process")
struct WorkerPoolTests {
  /// The batch's own threads and pool run in the test process (so that the thread sanitizer,
  /// in scripts/test, watches them); the workers are gcmap processes.
  @Test("Two workers started from this process give the outputs of analysing in it")
  func poolInProcess() throws {
    let input = try folder(CacheTests.fixtures)
    let analysis = try CacheKeyTests.analysis()
    var outputs: [[String]] = []
    let settings = WorkerPool.Settings(
      executable: GCMapBinary.path, corpus: analysis.corpus.root.path,
      pipeline: analysis.settings.file, timeLimit: 120, memoryLimit: 2048 << 20)
    for workers in [settings, nil] {
      let out = outputFolder()
      let summary = try BatchRun.run(
        input: input, output: out, analysis: analysis,
        options: BatchRun.Options(workers: workers, jobs: 2, maximumSize: 1 << 30),
        progress: { _ in })
      #expect(summary.processed == 5 && summary.problems == 1)
      outputs.append(RobustnessTests.dataFiles(out))
    }
    #expect(outputs[0] == outputs[1])
  }

  /// A stand-in worker: it passes requests to a real gcmap worker and its answers back, but for
  /// a file named oversized-reply.pdf announces a reply of 4 GiB, and for oversized-record.pdf
  /// passes the real reply and then announces a record of 4 GiB. Neither body is sent.
  static func oversizingWorker() throws -> String {
    let script = Scratch.path("fake-worker")
    let source = """
      #!/usr/bin/env python3
      import json, struct, subprocess, sys, time
      real = subprocess.Popen([\(String(reflecting: GCMapBinary.path))] + sys.argv[1:],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
      into, out = sys.stdin.buffer, sys.stdout.buffer
      def read(stream):
          header = stream.read(4)
          if len(header) < 4:
              return None
          return stream.read(struct.unpack('>I', header)[0])
      def write(stream, body):
          stream.write(struct.pack('>I', len(body)) + body)
          stream.flush()
      write(out, read(real.stdout))
      while True:
          request = read(into)
          if request is None:
              break
          name = json.loads(request)['file']
          if name == 'oversized-reply.pdf':
              out.write(struct.pack('>I', 0xFFFFFFF0))
              out.flush()
              time.sleep(60)
          write(real.stdin, request)
          while True:
              reply = read(real.stdout)
              write(out, reply)
              if 'progress' not in json.loads(reply):
                  break
          record = read(real.stdout)
          if name == 'oversized-record.pdf':
              out.write(struct.pack('>I', 0xFFFFFFF0))
              out.flush()
              time.sleep(60)
          write(out, record)

      """
    try source.write(to: script, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    return script.path
  }

  @Test("A worker that announces an oversized frame: its document is crashed, the others done")
  func oversizedFrames() throws {
    let input = try folder([
      ("two-column.pdf", "a.pdf"), ("title-ghana.pdf", "b.pdf"),
      ("title-senegal.pdf", "oversized-reply.pdf"),
      ("broken-ligatures.pdf", "oversized-record.pdf"),
    ])
    let analysis = try CacheKeyTests.analysis()
    let settings = WorkerPool.Settings(
      executable: try Self.oversizingWorker(), corpus: analysis.corpus.root.path,
      pipeline: analysis.settings.file, timeLimit: 120, memoryLimit: 2048 << 20)
    let out = outputFolder()
    let summary = try BatchRun.run(
      input: input, output: out, analysis: analysis,
      options: BatchRun.Options(workers: settings, jobs: 2, maximumSize: 1 << 30),
      progress: { _ in })
    #expect(summary.processed == 2 && summary.problems == 2)
    let problems = read(out, "problems.csv")
    for name in ["oversized-reply.pdf", "oversized-record.pdf"] {
      #expect(
        rows(problems, document: name).first?.contains(
          #"crashed,"crashed: the worker announced an answer of 4294967280 bytes, over the 256 MiB"#
        ) == true, "\(problems)")
    }
    let coverage = read(out, "coverage.csv")
    #expect(rows(coverage, document: "a").count == 1 && rows(coverage, document: "b").count == 1)
  }
}
