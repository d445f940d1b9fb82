import Foundation
import GCMapCore
import Reports
import Scoring
import TextProcessing

/// A folder of PDFs through the analysis, into the output folder.
///
/// Files are taken in path order; a file that fails becomes a row of problems.csv and the
/// batch goes on. Every file found ends up processed, a problem or skipped (not a PDF, or a
/// copy of one already analysed), and is listed in run.json. A document's id is its path
/// under the input folder without ".pdf", so adding a file never changes another document's
/// rows. Documents go through a pool of worker processes, `jobs` at a time, in any order; the
/// outputs are sorted, so they do not depend on that order. Outputs are replaced only at the
/// end, each atomically: a run killed half-way leaves the previous outputs as they were.
public enum BatchRun {
  public struct Summary: Sendable {
    /// Every file found under the input folder.
    public var inputs = 0
    /// PDFs analysed, whole or in part.
    public var processed = 0
    /// PDFs that could not be analysed.
    public var problems = 0
    /// Files left aside: not PDFs, or copies of a PDF already analysed.
    public var skipped = 0
  }

  /// How files are read: in worker processes with limits (or in this process), passwords to
  /// try, a size limit, the cache and a metadata file.
  public struct Options: Sendable {
    /// nil: analyse in this process, one document at a time.
    public var workers: WorkerPool.Settings?
    /// Worker processes side by side.
    public var jobs: Int
    public var passwords: PasswordBook
    /// Files larger than this many bytes are not opened.
    public var maximumSize: Int
    /// nil: no cache.
    public var cache: AnalysisCache?
    /// Metadata given by the user, over what detection finds.
    public var metadataFile: MetadataFile?

    public init(
      workers: WorkerPool.Settings?, jobs: Int = 1, passwords: PasswordBook = PasswordBook(),
      maximumSize: Int, cache: AnalysisCache? = nil, metadataFile: MetadataFile? = nil
    ) {
      self.workers = workers
      self.jobs = jobs
      self.passwords = passwords
      self.maximumSize = maximumSize
      self.cache = cache
      self.metadataFile = metadataFile
    }
  }

  /// One PDF to analyse, once identified.
  private struct Job {
    var relative: String
    var request: AnalysisRequest
  }

  public static func run(
    input: URL, output: URL, analysis: Analysis, options: Options,
    progress: @escaping @Sendable (String) -> Void
  ) throws -> Summary {
    let started = ContinuousClock.now
    let (pdfs, others) = try discover(input)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    removeStalePartials(output)
    var summary = Summary()
    summary.inputs = pdfs.count + others.count
    summary.skipped = others.count
    var problems: [Problem] = others.map {
      Problem(file: $0, category: "skipped", message: "skipped: not a PDF (by its name)")
    }
    var inputs: [RunManifest.Input] = []

    // Identify every file (size, hash) on all threads, then find copies in path order.
    let paths = pdfs.map { input.appendingPathComponent($0).path }
    let identities = Identities(count: pdfs.count)
    Parallel.forEach(pdfs.count, threads: options.jobs) { index, _ in
      identities.set(index, identify(paths[index], maximumSize: options.maximumSize))
    }
    let fingerprints = try Fingerprints(analysis)
    var queue: [Job] = []
    var firstWithHash: [String: String] = [:]
    for (index, relative) in pdfs.enumerated() {
      switch identities.get(index) {
      case .tooLarge(let size)?:
        let reason =
          "too large: \(size / (1 << 20)) MiB, over the limit of \(options.maximumSize / (1 << 20)) MiB"
        problems.append(Problem(file: relative, category: "too-large", message: reason))
        summary.problems += 1
        inputs.append(.init(file: relative, sha256: nil, size: size, status: "too-large"))
      case .failed(let failure)?:
        problems.append(
          Problem(file: relative, category: failure.category, message: failure.reason))
        summary.problems += 1
        inputs.append(.init(file: relative, sha256: nil, size: nil, status: failure.category))
      case .identified(let source)?:
        if let first = firstWithHash[source.sha256] {
          problems.append(
            Problem(
              file: relative, category: "duplicate",
              message: "skipped: the same content as \(first), analysed once"))
          summary.skipped += 1
          inputs.append(
            .init(file: relative, sha256: source.sha256, size: source.size, status: "duplicate"))
          continue
        }
        firstWithHash[source.sha256] = relative
        let keys = options.cache.map { cache in
          let (extraction, analysisKey) = AnalysisCache.keys(
            sha256: source.sha256, extractionFingerprint: fingerprints.extraction,
            scoringFingerprint: fingerprints.scoring)
          return AnalysisRequest.CacheKeys(
            folder: cache.folder.path, extraction: extraction, analysis: analysisKey)
        }
        queue.append(
          Job(
            relative: relative,
            request: AnalysisRequest(
              path: paths[index], file: relative, id: String(relative.dropLast(4)),
              passwords: options.passwords.passwords(for: relative), source: source, cache: keys)))
      case nil:
        break
      }
    }

    // Analyse: from the cache in this thread when the whole analysis is there, else in a
    // worker (or in this process without workers). As each record arrives, its passages.csv
    // rows and its profile in report.html go to disk and the record keeps only the quotes of
    // the summaries, so that memory grows little with the number of documents.
    let jobs = queue
    let replies = Replies(count: jobs.count)
    let spool = try ReportSpool(folder: output)
    let taxonomy = analysis.taxonomy
    let spoolFailure = Slots<String>(count: 1)
    let done = Counter()
    let pool = options.workers.map { WorkerPool(settings: $0, size: options.jobs) }
    let metadataFile = options.metadataFile
    let countries = analysis.metadataDetector.countries
    let report: @Sendable (Int, AnalysisReply) -> Void = { index, reply in
      var reply = reply
      if var record = reply.record {
        if let metadataFile {
          record.metadata = metadataFile.apply(
            to: record.metadata, relativePath: jobs[index].relative, countries: countries)
        }
        do {
          try spool.addRows(of: record)
          try spool.addProfile(
            HTMLReport.profile(record, number: HTMLReport.numberToken, taxonomy),
            of: record.source.id)
        } catch {
          spoolFailure.set(0, "\(error)")
        }
        reply.record = record.keepingQuotes(EvidencePicker.quotesInSummaries)
      }
      replies.set(index, reply)
      let number = done.increment()
      let how = reply.cache == .analysis ? " (cached)" : ""
      progress("[\(number)/\(jobs.count)] \(jobs[index].relative)\(how)")
      if let failure = reply.failure { progress("  problem: \(failure.reason)") }
    }
    if let pool {
      let cache = options.cache
      let requests = jobs.map(\.request)
      // Largest files first, so that no long document starts last while the other workers
      // sit idle.
      let order = jobs.indices.sorted {
        (jobs[$0].request.source.size, $1) > (jobs[$1].request.source.size, $0)
      }
      Parallel.forEach(jobs.count, threads: pool.size) { position, slot in
        let index = order[position]
        let request = requests[index]
        if let cache, let keys = request.cache, let record = cache.record(keys.analysis) {
          var reply = AnalysisReply()
          reply.record = record.renamed(id: request.id, file: request.file, source: request.source)
          reply.cache = .analysis
          report(index, reply)
        } else {
          report(index, pool.process(request, slot: slot))
        }
      }
      pool.shutdown()
    } else {
      for (index, job) in jobs.enumerated() { report(index, analysis.process(job.request)) }
    }

    var records: [DocumentRecord] = []
    var timings = Analysis.Timings()
    var cacheUse: [AnalysisReply.CacheUse: Int] = [:]
    for (index, job) in jobs.enumerated() {
      let reply = replies.get(index) ?? AnalysisReply()
      timings.add(reply.timings)
      cacheUse[reply.cache, default: 0] += 1
      let relative = job.relative
      let source = job.request.source
      guard let record = reply.record else {
        let failure =
          reply.failure ?? .init(category: "crashed", reason: "crashed: no answer for this file")
        problems.append(
          Problem(file: relative, category: failure.category, message: failure.reason))
        summary.problems += 1
        inputs.append(
          .init(
            file: relative, sha256: source.sha256, size: source.size, status: failure.category,
            cache: reply.cache.rawValue))
        continue
      }
      records.append(record)
      summary.processed += 1
      for warning in record.warnings {
        problems.append(
          Problem(file: relative, category: warning.category, message: warning.message))
      }
      inputs.append(
        .init(
          file: relative, sha256: source.sha256, size: source.size,
          status: record.warnings.isEmpty ? "processed" : "processed in part",
          cache: reply.cache.rawValue))
    }
    if let failure = spoolFailure.get(0) {
      throw CocoaError(
        .fileWriteUnknown,
        userInfo: ["reason": "cannot keep passages and profiles on disk: \(failure)"])
    }
    var clock = ContinuousClock.now
    let context = ReportContext(
      toolVersion: gcmapVersion, corpusVersion: analysis.taxonomy.version,
      corpusHash: fingerprints.corpusHash,
      pipelineName: analysis.settings.name, settings: analysis.settings.summary)
    let kept = records
    let problemList = problems
    // The data files and the two reports are independent: written side by side.
    try Concurrently.run([
      {
        try DataFiles.writeAll(
          documents: kept, problems: problemList, taxonomy: taxonomy, to: output,
          passageRows: { try spool.rows(of: $0.source.id) },
          passageCSV: { try spool.csv(of: $0.source.id) })
      },
      {
        try HTMLReport.write(
          documents: kept, problems: problemList, taxonomy: taxonomy, context: context,
          to: output.appendingPathComponent("report.html")
        ) { document, index in
          guard let profile = try spool.profile(of: document.source.id) else {
            throw CocoaError(
              .fileReadUnknown, userInfo: ["reason": "no profile kept for \(document.source.id)"]
            )
          }
          return HTMLReport.numbered(profile, index + 1)
        }
        try DataFiles.atomicWrite(
          EvidenceMarkdown.render(kept, taxonomy: taxonomy),
          to: output.appendingPathComponent("evidence.md"))
      },
    ])
    let reportSeconds = DocumentExtraction.seconds(since: &clock)
    let manifest = RunManifest(
      tool: .init(name: "gcmap", version: gcmapVersion),
      corpus: .init(
        path: analysis.corpus.root.path, taxonomyVersion: analysis.taxonomy.version,
        sha256: fingerprints.corpusHash),
      pipeline: .init(
        name: analysis.settings.name, file: analysis.settings.file,
        sha256: SHA256.hex(
          [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: analysis.settings.file))) ?? Data()))),
      input: input.path,
      counts: .init(
        inputs: summary.inputs, processed: summary.processed, problems: summary.problems,
        skipped: summary.skipped),
      inputs: inputs, skipped: others,
      execution: .init(
        jobs: pool == nil ? 0 : options.jobs, cache: options.cache?.folder.path,
        extracted: cacheUse[.none] ?? 0, extractionFromCache: cacheUse[.extraction] ?? 0,
        analysisFromCache: cacheUse[.analysis] ?? 0),
      timings: .init(
        extract: DataFiles.decimal(timings.extract),
        normalize: DataFiles.decimal(timings.normalize),
        segment: DataFiles.decimal(timings.segment), score: DataFiles.decimal(timings.score),
        aggregate: DataFiles.decimal(timings.aggregate), report: DataFiles.decimal(reportSeconds),
        total: DataFiles.decimal((ContinuousClock.now - started).seconds)))
    try DataFiles.atomicWrite(
      JSONText.encode(manifest), to: output.appendingPathComponent("run.json"))
    return summary
  }

  /// What identification found of one file.
  fileprivate enum Identity: Sendable {
    case identified(SourceDocument)
    case tooLarge(Int)
    case failed(ExtractionFailure)
  }

  private static func identify(_ path: String, maximumSize: Int) -> Identity {
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    if size > maximumSize { return .tooLarge(size) }
    do { return .identified(try DocumentExtraction.identify(path)) } catch {
      return .failed(error)
    }
  }

  /// What the cache keys depend on besides each file, and the corpus's hash for run.json.
  private struct Fingerprints {
    var extraction: String
    var scoring: String
    var corpusHash: String

    init(_ analysis: Analysis) throws {
      let hashes = try analysis.corpus.fileHashes()
      corpusHash = Corpus.combine(hashes)
      let wordLists = Corpus.combine(hashes.filter { $0.file.hasPrefix("/wordlists/") })
      let settings = analysis.settings.summary
      extraction = ([wordLists] + settings.prefix(2)).joined(separator: "\n")
      scoring = ([corpusHash] + settings).joined(separator: "\n")
    }
  }

  /// Deletes the temporary files of a run that was killed while writing its outputs.
  static func removeStalePartials(_ folder: URL) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in names where name.hasPrefix(".") && name.contains(".partial-") {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
  }

  /// PDFs (by extension, any case) under `folder`, recursively, as sorted relative paths; and
  /// the other files, skipped.
  static func discover(_ folder: URL) throws -> (pdfs: [String], skipped: [String]) {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder),
      isFolder.boolValue
    else {
      throw ConfigurationError(file: folder.path, line: nil, message: "not a folder")
    }
    let base = folder.standardizedFileURL.path
    var pdfs: [String] = []
    var skipped: [String] = []
    let enumerator = FileManager.default.enumerator(
      at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
    while let url = enumerator?.nextObject() as? URL {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else {
        continue
      }
      let relative = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
      if url.pathExtension.lowercased() == "pdf" {
        pdfs.append(relative)
      } else {
        skipped.append(relative)
      }
    }
    return (pdfs.sorted(), skipped.sorted())
  }
}

/// run.json: what ran, on what, with which corpus and pipeline, and how long it took.
struct RunManifest: Encodable {
  struct Tool: Encodable {
    var name: String
    var version: String
  }
  struct CorpusInfo: Encodable {
    var path: String
    var taxonomyVersion: String
    var sha256: String
  }
  struct PipelineInfo: Encodable {
    var name: String
    var file: String
    var sha256: String
  }
  struct Counts: Encodable {
    var inputs: Int
    var processed: Int
    var problems: Int
    var skipped: Int
  }
  struct Input: Encodable {
    var file: String
    var sha256: String?
    var size: Int?
    var status: String
    /// none, extraction or analysis: what came from the cache.
    var cache: String?
  }
  struct Execution: Encodable {
    /// Worker processes (0: in this process).
    var jobs: Int
    var cache: String?
    var extracted: Int
    var extractionFromCache: Int
    var analysisFromCache: Int
  }
  /// Seconds per stage, summed over documents and workers; report and total are wall time.
  struct Timings: Encodable {
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
}

/// The version gcmap reports in run.json and --version.
public let gcmapVersion = "0.2.0"

extension Duration {
  fileprivate var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}

/// Per-index results filled in by the pool's threads.
private final class Slots<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [Value?]

  init(count: Int) { values = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: Value) {
    lock.lock()
    values[index] = value
    lock.unlock()
  }

  func get(_ index: Int) -> Value? {
    lock.lock()
    defer { lock.unlock() }
    return values[index]
  }
}

private typealias Replies = Slots<AnalysisReply>
private typealias Identities = Slots<BatchRun.Identity>
