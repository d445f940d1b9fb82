import Foundation
import GCMapCore
import Reports

/// Writing a batch's outputs: the data files and the two reports side by side, then run.json.
extension BatchRun {
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
    let manifest = RunManifest(
      results, input: input, analysis: analysis, options: options, ingredients: ingredients,
      workers: workers, decisions: decisions, reportSeconds: reportSeconds,
      totalSeconds: (ContinuousClock.now - started).seconds)
    try DataFiles.atomicWrite(
      JSONText.encode(manifest), to: output.appendingPathComponent("run.json"))
  }
}
