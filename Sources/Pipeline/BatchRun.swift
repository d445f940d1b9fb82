import Hashing
import Foundation
import GCMapCore
import Reports
import Scoring
import Synchronization
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
    /// What cache keys are made of; nil: this build's, corpus's and pipeline's
    /// (`CacheIngredients.current`). Tests set it to stand for another build or library.
    public var cacheIngredients: CacheIngredients?
    /// Analysts' decisions to apply to each document as it arrives (`--decisions`).
    public var decisions: (any LabelDecisions)?

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
  struct Job: Sendable {
    var relative: String
    var request: AnalysisRequest
  }

  /// The files found under the input folder: PDFs and the others, as sorted relative paths.
  struct Discovery: Sendable {
    var pdfs: [String]
    var others: [String]
  }

  /// What identification made of the PDFs found: the distinct ones to analyse, and the rest
  /// (too large, unreadable, copies) as problems with their run.json entries.
  struct Identification: Sendable {
    var jobs: [Job] = []
    var problems: [Problem] = []
    var inputs: [RunManifest.Input] = []
    /// Files that could not be identified (too large, unreadable).
    var failed = 0
    /// Copies of a PDF already queued.
    var duplicates = 0
  }

  /// Every document's reply, in the order of the jobs.
  struct Analysed: Sendable {
    var replies: [AnalysisReply]
    var workers: Int
  }

  /// The results gathered for the outputs: records of the documents processed, every
  /// problem, run.json's entries and the counts.
  struct Aggregate: Sendable {
    var records: [DocumentRecord] = []
    var problems: [Problem] = []
    var inputs: [RunManifest.Input] = []
    var summary = Summary()
    var timings = Analysis.Timings()
    var cacheUse: [AnalysisReply.CacheUse: Int] = [:]
  }

  /// The batch, read top to bottom: discover → identify → analyse (each document spooled as it
  /// arrives) → aggregate → write.
  public static func run(
    input: URL, output: URL, analysis: Analysis, options: Options,
    progress: @escaping @Sendable (String) -> Void
  ) throws -> Summary {
    let started = ContinuousClock.now
    let discovery = try discover(input)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    removeStalePartials(output)
    let ingredients = try options.cacheIngredients ?? CacheIngredients.current(analysis)
    let identification = identify(
      discovery, in: input, options: options, ingredients: ingredients)
    let reportSpool = try ReportSpool(folder: output)
    let (taxonomy, countries) = (analysis.taxonomy, analysis.metadataDetector.countries)
    let aggregator = analysis.aggregator
    let analysed = try analyse(
      identification.jobs, analysis: analysis, options: options, progress: progress
    ) { job, record in
      let reviewed = options.decisions?.apply(to: record, aggregator: aggregator) ?? record
      return try spool(
        reviewed, of: job, into: reportSpool, taxonomy: taxonomy, countries: countries,
        metadataFile: options.metadataFile)
    }
    let results = aggregate(discovery, identification, analysed)
    try write(
      results, spool: reportSpool, to: output, input: input, analysis: analysis, options: options,
      ingredients: ingredients, workers: analysed.workers, started: started)
    return results.summary
  }

  /// Identifies every PDF (size, hash) on all threads, then finds copies in path order and
  /// makes the requests of the distinct ones, with their cache keys.
  static func identify(
    _ discovery: Discovery, in input: URL, options: Options, ingredients: CacheIngredients
  ) -> Identification {
    let pdfs = discovery.pdfs
    let paths = pdfs.map { input.appendingPathComponent($0).path }
    let identities = Identities(count: pdfs.count)
    Parallel.forEach(pdfs.count, threads: options.jobs) { index, _ in
      identities.set(index, identify(paths[index], maximumSize: options.maximumSize))
    }
    var result = Identification()
    var firstWithHash: [String: String] = [:]
    for (index, relative) in pdfs.enumerated() {
      switch identities.get(index) {
      case .tooLarge(let size)?:
        let reason =
          "too large: \(size / (1 << 20)) MiB, over the limit of \(options.maximumSize / (1 << 20)) MiB"
        result.problems.append(Problem(file: relative, category: "too-large", message: reason))
        result.failed += 1
        result.inputs.append(.init(file: relative, sha256: nil, size: size, status: "too-large"))
      case .failed(let failure)?:
        result.problems.append(
          Problem(file: relative, category: failure.category, message: failure.reason))
        result.failed += 1
        result.inputs.append(
          .init(file: relative, sha256: nil, size: nil, status: failure.category))
      case .identified(let source)?:
        if let first = firstWithHash[source.sha256] {
          result.problems.append(
            Problem(
              file: relative, category: "duplicate",
              message: "skipped: the same content as \(first), analysed once"))
          result.duplicates += 1
          result.inputs.append(
            .init(file: relative, sha256: source.sha256, size: source.size, status: "duplicate"))
          continue
        }
        firstWithHash[source.sha256] = relative
        let keys = options.cache.map { cache in
          let (extraction, analysisKey) = AnalysisCache.keys(
            sha256: source.sha256, ingredients: ingredients)
          return AnalysisRequest.CacheKeys(
            folder: cache.folder.path, extraction: extraction, analysis: analysisKey)
        }
        result.jobs.append(
          Job(
            relative: relative,
            request: AnalysisRequest(
              path: paths[index], file: relative, id: String(relative.dropLast(4)),
              passwords: options.passwords.passwords(for: relative), source: source, cache: keys)))
      case nil:
        break
      }
    }
    return result
  }

  /// "  file.pdf: OCR of page 7 (2 of 60)": where a long scan is.
  static func ocrProgress(_ file: String, _ told: OCRProgress) -> String {
    "  \(file): OCR of page \(told.page) (\(told.index) of \(told.count))"
  }

  /// Analyses every job: from the cache in this thread when the whole analysis is there, else
  /// in a worker (or in this process without workers). `receive` gets each record as it
  /// arrives and returns what to keep of it; progress says which document is done.
  static func analyse(
    _ jobs: [Job], analysis: Analysis, options: Options,
    progress: @escaping @Sendable (String) -> Void,
    receive: @escaping @Sendable (Job, DocumentRecord) throws -> DocumentRecord
  ) throws -> Analysed {
    let replies = Replies(count: jobs.count)
    let receiveFailure = Slots<String>(count: 1)
    let done = Counter()
    let report: @Sendable (Int, AnalysisReply) -> Void = { index, reply in
      var reply = reply
      if let record = reply.record {
        do { reply.record = try receive(jobs[index], record) } catch {
          receiveFailure.set(0, "\(error)")
        }
      }
      replies.set(index, reply)
      let number = done.increment()
      let how = reply.cache == .analysis ? " (cached)" : ""
      progress("[\(number)/\(jobs.count)] \(jobs[index].relative)\(how)")
      if let failure = reply.failure { progress("  problem: \(failure.reason)") }
    }
    var workers = 0
    if let settings = options.workers {
      let pool = WorkerPool(settings: settings, size: options.jobs)
      workers = options.jobs
      let cache = options.cache
      // Largest files first, so that no long document starts last while the other workers
      // sit idle.
      let order = jobs.indices.sorted {
        (jobs[$0].request.source.size, $1) > (jobs[$1].request.source.size, $0)
      }
      Parallel.forEach(jobs.count, threads: pool.size) { position, slot in
        let index = order[position]
        let request = jobs[index].request
        let found = request.cache.flatMap { keys in cache?.record(keys.analysis) }
        if let record = found?.value {
          var reply = AnalysisReply()
          reply.record = record.renamed(id: request.id, file: request.file, source: request.source)
          reply.cache = .analysis
          report(index, reply)
        } else {
          var reply = pool.process(request, slot: slot) { told in
            if told.page > 0 { progress(ocrProgress(jobs[index].relative, told)) }
          }
          reply.noteDamage(found?.damage(level: "analysis"))
          report(index, reply)
        }
      }
      pool.shutdown()
    } else {
      for (index, job) in jobs.enumerated() {
        report(
          index,
          analysis.process(job.request) { told in
            if told.page > 0 { progress(ocrProgress(job.relative, told)) }
          })
      }
    }
    if let failure = receiveFailure.get(0) {
      throw CocoaError(
        .fileWriteUnknown,
        userInfo: ["reason": "cannot keep passages and profiles on disk: \(failure)"])
    }
    return Analysed(
      replies: jobs.indices.map { replies.get($0) ?? AnalysisReply() }, workers: workers)
  }

  /// Puts one arriving document's passages.csv rows and report.html profile on disk (with the
  /// `--metadata` overrides applied) and returns the record keeping only the quotes of the
  /// summaries, so that memory grows little with the number of documents.
  static func spool(
    _ arrived: DocumentRecord, of job: Job, into spool: ReportSpool, taxonomy: Taxonomy,
    countries: CountryTable, metadataFile: MetadataFile?
  ) throws -> DocumentRecord {
    var record = arrived
    if let metadataFile {
      record.metadata = metadataFile.apply(
        to: record.metadata, relativePath: job.relative, countries: countries)
    }
    try spool.addRows(of: record)
    try spool.addProfile(
      HTMLReport.profile(record, number: HTMLReport.numberToken, taxonomy),
      of: record.source.id)
    return record.keepingQuotes(EvidencePicker.quotesInSummaries)
  }

  /// Gathers the replies into records, problems, run.json entries and counts: every file found
  /// ends up processed, a problem or skipped.
  static func aggregate(
    _ discovery: Discovery, _ identification: Identification, _ analysed: Analysed
  ) -> Aggregate {
    var result = Aggregate()
    result.summary.inputs = discovery.pdfs.count + discovery.others.count
    result.summary.skipped = discovery.others.count + identification.duplicates
    result.summary.problems = identification.failed
    result.problems =
      discovery.others.map {
        Problem(file: $0, category: "skipped", message: "skipped: not a PDF (by its name)")
      } + identification.problems
    result.inputs = identification.inputs
    for (job, reply) in zip(identification.jobs, analysed.replies) {
      result.timings.add(reply.timings)
      result.cacheUse[reply.cache, default: 0] += 1
      let relative = job.relative
      let source = job.request.source
      let keys = job.request.cache
      guard let record = reply.record else {
        let failure =
          reply.failure ?? .init(category: "crashed", reason: "crashed: no answer for this file")
        result.problems.append(
          Problem(file: relative, category: failure.category, message: failure.reason))
        result.summary.problems += 1
        result.inputs.append(
          .init(
            file: relative, sha256: source.sha256, size: source.size, status: failure.category,
            cache: reply.cache.rawValue, extractionKey: keys?.extraction,
            analysisKey: keys?.analysis, cacheDamage: reply.damageNotes))
        continue
      }
      result.records.append(record)
      result.summary.processed += 1
      for warning in record.warnings {
        result.problems.append(
          Problem(file: relative, category: warning.category, message: warning.message))
      }
      result.inputs.append(
        .init(
          file: relative, sha256: source.sha256, size: source.size,
          status: record.warnings.isEmpty ? "processed" : "processed in part",
          cache: reply.cache.rawValue, extractionKey: keys?.extraction,
          analysisKey: keys?.analysis, cacheDamage: reply.damageNotes,
          ocrPages: record.ocrPages.isEmpty ? nil : record.ocrPages))
    }
    return result
  }

  /// Writes the data files and the two reports side by side, then run.json.
  static func write(
    _ results: Aggregate, spool: ReportSpool, to output: URL, input: URL, analysis: Analysis,
    options: Options, ingredients: CacheIngredients, workers: Int,
    started: ContinuousClock.Instant
  ) throws {
    var clock = ContinuousClock.now
    let taxonomy = analysis.taxonomy
    let decisions = options.decisions?.summary()
    var reportContext = ReportContext(
      toolVersion: gcmapVersion, corpusVersion: taxonomy.version,
      corpusHash: ingredients.corpus,
      pipelineName: analysis.settings.name, settings: analysis.settings.summary)
    reportContext.review = decisions?.reportSummary
    let context = reportContext
    let kept = results.records
    let problemList = results.problems
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
    let summary = results.summary
    let timings = results.timings
    let manifest = RunManifest(
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
        total: DataFiles.decimal((ContinuousClock.now - started).seconds)),
      decisions: decisions)
    try DataFiles.atomicWrite(
      JSONText.encode(manifest), to: output.appendingPathComponent("run.json"))
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

  /// Deletes the temporary files of a run that was killed while writing its outputs.
  static func removeStalePartials(_ folder: URL) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in names where name.hasPrefix(".") && name.contains(".partial-") {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
  }

  /// PDFs (by extension, any case) under `folder`, recursively, as sorted relative paths; and
  /// the other files, skipped.
  static func discover(_ folder: URL) throws -> Discovery {
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
    return Discovery(pdfs: pdfs.sorted(), others: skipped.sorted())
  }
}

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

extension AnalysisReply {
  /// The damaged cache entries for run.json, sorted; nil when there are none.
  fileprivate var damageNotes: [String]? { cacheDamage.isEmpty ? nil : cacheDamage.sorted() }
}

/// The version gcmap reports in run.json and --version.
public let gcmapVersion = "0.2.0"

extension Duration {
  fileprivate var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}

/// Per-index results filled in by the pool's threads.
private final class Slots<Value: Sendable>: Sendable {
  private let values: Mutex<[Value?]>

  init(count: Int) { values = Mutex(Array(repeating: nil, count: count)) }

  func set(_ index: Int, _ value: Value) {
    values.withLock { $0[index] = value }
  }

  func get(_ index: Int) -> Value? {
    values.withLock { $0[index] }
  }
}

private typealias Replies = Slots<AnalysisReply>
private typealias Identities = Slots<BatchRun.Identity>
