import Foundation
import Hashing
import Reports

/// run.json: what ran, on what, with which corpus and pipeline, and how long it took.
public struct RunManifest: Encodable, Sendable {
  /// The analysts' decisions a run applied (`--decisions`): the file, the hash of its history,
  /// how many decisions (the latest per key) applied, and every one that matched no passage.
  public struct DecisionsInfo: Encodable, Sendable {
    public struct Unmatched: Encodable, Sendable {
      var document: String
      var documentSHA256: String
      var page: Int
      var passageHash: String
      var category: String
      var decision: String
      var excerpt: String

      public init(
        document: String, documentSHA256: String, page: Int, passageHash: String,
        category: String, decision: String, excerpt: String
      ) {
        self.document = document
        self.documentSHA256 = documentSHA256
        self.page = page
        self.passageHash = passageHash
        self.category = category
        self.decision = decision
        self.excerpt = excerpt
      }
    }
    public struct CategoryReview: Encodable, Sendable {
      public var category: String
      public var confirmed: Int
      public var rejected: Int

      public init(category: String, confirmed: Int, rejected: Int) {
        self.category = category
        self.confirmed = confirmed
        self.rejected = rejected
      }
    }
    public var file: String
    public var sha256: String
    public var decisions: Int
    public var applied: Int
    /// Per category, gcmap's labels the decisions confirmed and rejected.
    public var byCategory: [CategoryReview]
    public var unmatched: [Unmatched]

    public init(
      file: String, sha256: String, decisions: Int, applied: Int, byCategory: [CategoryReview],
      unmatched: [Unmatched]
    ) {
      self.file = file
      self.sha256 = sha256
      self.decisions = decisions
      self.applied = applied
      self.byCategory = byCategory
      self.unmatched = unmatched
    }
  }

  struct Tool: Encodable, Sendable {
    var name: String
    var version: String
  }
  struct CorpusInfo: Encodable, Sendable {
    var path: String
    var taxonomyVersion: String
    var sha256: String
  }
  struct PipelineInfo: Encodable, Sendable {
    var name: String
    var file: String
    var sha256: String
  }
  struct Counts: Encodable, Sendable {
    var inputs: Int
    var processed: Int
    var problems: Int
    var skipped: Int
    /// Documents with pages read by OCR, and those pages.
    var ocrDocuments: Int
    var ocrPages: Int
  }
  struct Input: Encodable, Sendable {
    var file: String
    var sha256: String?
    var size: Int?
    var status: String
    /// none, extraction or analysis: what came from the cache.
    var cache: String?
    /// The cache entries this file's result was looked up under (see `AnalysisCache`).
    var extractionKey: String?
    var analysisKey: String?
    /// Cache entries found damaged, which counted as misses and were made again.
    var cacheDamage: [String]? = nil
    /// The pages read with OCR, if any.
    var ocrPages: [Int]? = nil
  }
  struct Execution: Encodable, Sendable {
    /// Worker processes (0: in this process).
    var jobs: Int
    var cache: String?
    /// What the cache keys were made of (the same for every file but its content hash).
    var cacheIngredients: CacheIngredients?
    /// When pages were read with OCR (auto, off, force).
    var ocr: String
    var extracted: Int
    var extractionFromCache: Int
    var analysisFromCache: Int
  }
  /// Seconds per stage, summed over documents and workers; report and total are wall time.
  struct Timings: Encodable, Sendable {
    var extract: String
    var normalize: String
    var segment: String
    var score: String
    var aggregate: String
    var report: String
    var total: String
  }
  var tool: Tool
  var corpus: CorpusInfo
  var pipeline: PipelineInfo
  var input: String
  var counts: Counts
  var inputs: [Input]
  var skipped: [String]
  var execution: Execution
  var timings: Timings
  var decisions: DecisionsInfo?
}

extension RunManifest {
  /// run.json of a batch: its results, what it ran with, and its times.
  init(
    _ results: BatchRun.Aggregate, input: URL, analysis: Analysis, options: BatchRun.Options,
    ingredients: CacheIngredients, workers: Int, decisions: DecisionsInfo?,
    reportSeconds: Double, totalSeconds: Double
  ) {
    let taxonomy = analysis.taxonomy
    let summary = results.summary
    let timings = results.timings
    self.init(
      tool: .init(name: "gcmap", version: gcmapVersion),
      corpus: .init(
        path: analysis.corpus.root.path, taxonomyVersion: taxonomy.version,
        sha256: ingredients.corpus),
      pipeline: .init(
        name: analysis.settings.name, file: analysis.settings.file,
        sha256: SHA256.hex(
          [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: analysis.settings.file))) ?? Data()))),
      input: input.path,
      counts: .init(
        inputs: summary.inputs, processed: summary.processed, problems: summary.problems,
        skipped: summary.skipped,
        ocrDocuments: results.inputs.filter { $0.ocrPages != nil }.count,
        ocrPages: results.inputs.reduce(0) { $0 + ($1.ocrPages?.count ?? 0) }),
      inputs: results.inputs,
      skipped: results.problems.filter { $0.category == "skipped" }.map(\.file),
      execution: .init(
        jobs: workers, cache: options.cache?.folder.path,
        cacheIngredients: options.cache == nil ? nil : ingredients,
        ocr: analysis.settings.ocr.mode.rawValue,
        extracted: results.cacheUse[.none] ?? 0,
        extractionFromCache: results.cacheUse[.extraction] ?? 0,
        analysisFromCache: results.cacheUse[.analysis] ?? 0),
      timings: .init(
        extract: DataFiles.decimal(timings.extract),
        normalize: DataFiles.decimal(timings.normalize),
        segment: DataFiles.decimal(timings.segment), score: DataFiles.decimal(timings.score),
        aggregate: DataFiles.decimal(timings.aggregate), report: DataFiles.decimal(reportSeconds),
        total: DataFiles.decimal(totalSeconds)),
      decisions: decisions)
  }
}

/// The version gcmap reports in run.json and --version.
public let gcmapVersion = "0.2.0"

extension Duration {
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
