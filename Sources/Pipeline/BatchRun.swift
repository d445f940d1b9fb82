import Foundation
import GCMapCore
import Reports

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
}
