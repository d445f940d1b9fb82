import Foundation
import GCMapCore

/// Gathering the documents' replies into what the outputs are written from.
extension BatchRun {
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
}

extension AnalysisReply {
  /// The damaged cache entries for run.json, sorted; nil when there are none.
  fileprivate var damageNotes: [String]? { cacheDamage.isEmpty ? nil : cacheDamage.sorted() }
}
