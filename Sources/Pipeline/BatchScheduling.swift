import Foundation
import GCMapCore
import Reports
import Scoring

/// Sending each document to a worker (or the cache) and taking each record as it arrives.
extension BatchRun {
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
}

/// Per-index results filled in by the pool's threads.
final class Slots<Value: Sendable>: Sendable {
  private let values: Locked<[Value?]>

  init(count: Int) { values = Locked(Array(repeating: nil, count: count)) }

  func set(_ index: Int, _ value: Value) {
    values.withLock { $0[index] = value }
  }

  func get(_ index: Int) -> Value? {
    values.withLock { $0[index] }
  }
}

typealias Replies = Slots<AnalysisReply>
typealias Identities = Slots<BatchRun.Identity>
