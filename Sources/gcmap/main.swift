import ArgumentParser
import CSVFormat
import Decisions
import Foundation
import Pipeline
import Review

/// The gcmap command line: parsing and printing only; the work is in the Pipeline module.
@main
struct GCMap: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gcmap",
    abstract: "Map national GCM review PDFs against the Compact's objectives and principles.",
    version: gcmapVersion,
    subcommands: [
      Run.self, Extract.self, Explain.self, Evaluate.self, ReviewCommand.self,
      DecisionsCommand.self, CacheCommand.self, Worker.self,
    ]
  )

  static func main() {
    ProcessSetup.limitOCRThreads()
    let command: ParsableCommand
    do { command = try parseAsRoot() } catch { exit(withError: error) }
    do {
      var runnable = command
      try runnable.run()
    } catch {
      exit(withError: error)
    }
  }
}

struct Extract: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print a PDF's passages with page numbers (or its pages and passages as JSON).",
    discussion: """
      Exit status: 0 when the file was read whole; 2 when it could not be read, or only in \
      part (a truncated file, pages without text): the reason goes to standard error, as one \
      line naming the file; 1 on a usage or configuration error.
      """
  )

  @Argument(help: "The PDF to read (or a .txt file of extracted text, pages split by form feeds).")
  var file: String

  @Flag(help: "Print pages and passages as JSON, with character offsets.")
  var json = false

  @Flag(help: "Show the text before normalization, page by page.")
  var raw = false

  @Option(help: "Password for an encrypted PDF.")
  var password: String?

  @Option(help: "The Corpus folder (default: $GCMAP_CORPUS, ./Corpus or beside the executable).")
  var corpus: String?

  @Option(help: ArgumentHelp(OCRSettings.Mode.help, valueName: "auto|off|force"))
  var ocr = OCRSettings.Mode.auto

  func run() throws {
    var extraction: DocumentExtraction
    do {
      extraction = try DocumentExtraction(corpus: Corpus.locate(explicit: corpus))
    } catch {
      printError("gcmap: \(error)")
      throw ExitCode(1)
    }
    extraction.ocr.mode = ocr
    let result: ExtractedText
    do {
      // Where a long scan is, for a person watching; a script reading stderr gets one line.
      let watched = isatty(2) == 1
      result = try extraction.run(path: file, password: password) { progress in
        guard watched, progress.page > 0 else { return }
        printError("\(file): OCR of page \(progress.page) (\(progress.index) of \(progress.count))")
      }
    } catch {
      printError(error.description)
      throw ExitCode(2)
    }
    if json {
      print(try ExtractListing.json(result, raw: raw), terminator: "")
    } else {
      print(raw ? ExtractListing.rawText(result) : ExtractListing.text(result), terminator: "")
    }
    if !result.warnings.isEmpty {
      printError("\(file): \(result.warnings.map(\.message).joined(separator: "; "))")
      // Pages OCR read with low confidence were read: only missing text makes it partial.
      if result.warnings.contains(where: { $0.category != "ocr-low-confidence" }) {
        throw ExitCode(2)
      }
    }
  }
}

/// Options every command that classifies shares: where the corpus and the pipeline are.
struct AnalysisOptions: ParsableArguments {
  @Option(help: "The pipeline file (default: Pipelines/default.yml beside the corpus).")
  var pipeline: String?

  @Option(help: "The Corpus folder (default: $GCMAP_CORPUS, ./Corpus or beside the executable).")
  var corpus: String?

  @Option(help: ArgumentHelp(OCRSettings.Mode.help, valueName: "auto|off|force"))
  var ocr = OCRSettings.Mode.auto

  /// The analysis these options name; `checked`: the batch that started this worker checked
  /// the corpus files (see `Analysis.init`).
  func makeAnalysis(checked: Bool = false) throws -> Analysis {
    let corpus = try Corpus.locate(explicit: self.corpus)
    let file = pipeline.map { URL(fileURLWithPath: $0) } ?? corpus.defaultPipeline
    var settings = try PipelineSettings.load(file)
    settings.ocr.mode = ocr
    return try Analysis(corpus: corpus, settings: settings, checked: checked)
  }

  /// The analysis these options name; a configuration error is printed and exits with 1.
  func analysis() throws -> Analysis {
    do {
      return try makeAnalysis()
    } catch {
      printError("gcmap: \(error)")
      throw ExitCode(1)
    }
  }
}

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Classify every PDF in a folder and write the coverage matrix and evidence.",
    discussion: """
      Writes into the output folder: report.html (heatmap, evidence, profiles, problems, \
      method), evidence.md (quotes per objective and principle), coverage.xlsx (the tables \
      for spreadsheets), coverage.csv and coverage.json (the matrix), passages.csv (every \
      labelled passage and why), regions.csv (documents per region and category), \
      problems.csv (files not processed, or only in part) and run.json (versions, inputs, \
      cache use, timings). Exit status: 0 when every file was processed whole, 2 when some \
      were not (they are listed in problems.csv), 1 on a usage or configuration error.
      """
  )

  @Argument(help: "The folder of PDFs (searched recursively).")
  var folder: String

  @Option(help: "The output folder.")
  var out: String

  @Option(
    help: ArgumentHelp(
      "A CSV file of document metadata, over what is detected.",
      discussion:
        "Columns: file, and any of country (ISO code or name), year, language, title; other columns are carried into the outputs."
    ))
  var metadata: String?

  @Option(help: "A file of passwords for encrypted PDFs: file name, a tab or comma, password.")
  var passwords: String?

  @Option(help: "Seconds a PDF's extraction may take before it is stopped.")
  var timeout: Double = 120

  @Option(help: "Memory (MiB) a PDF's extraction may use.")
  var maxMemory: Int = 2048

  @Option(help: "Size (MiB) above which a PDF is not opened.")
  var maxSize: Int = 500

  @Flag(help: "Analyse in this process instead of isolated worker processes (for debugging).")
  var inProcess = false

  @Option(help: "Worker processes side by side (default: the number of cores).")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(
    help: ArgumentHelp(
      "The cache folder (default: $GCMAP_CACHE, else $XDG_CACHE_HOME/gcmap, else ~/.cache/gcmap).",
      discussion:
        "Keeps each file's extracted text and analysis, keyed by its content and the versions and settings that made them."
    ))
  var cache: String?

  @Flag(help: "Neither read nor write the cache.")
  var noCache = false

  @Option(
    help: ArgumentHelp(
      "Analysts' decisions to apply: a store of `gcmap review` or a CSV of `gcmap decisions export`.",
      discussion:
        "Rejected labels are dropped, confirmed, added and changed ones included, coverage counted again; passages.csv says which in its review column, run.json how many applied and which matched no passage."
    ))
  var decisions: String?

  @OptionGroup var options: AnalysisOptions

  func validate() throws {
    guard timeout > 0, maxMemory >= 64, maxSize > 0, jobs >= 1 else {
      throw ValidationError(
        "--timeout must be positive, --max-memory at least 64, --max-size positive, --jobs at least 1"
      )
    }
    if noCache && cache != nil {
      throw ValidationError("--cache and --no-cache exclude each other")
    }
  }

  func run() throws {
    let analysis = try options.analysis()
    let metadataFile: MetadataFile?
    let book: PasswordBook
    let reviewDecisions: ReviewDecisions?
    do {
      reviewDecisions = try decisions.map { try ReviewDecisions(file: $0) }
      metadataFile = try metadata.map {
        try MetadataFile(
          URL(fileURLWithPath: $0), countries: analysis.metadataDetector.countries)
      }
      book = try passwords.map { try PasswordBook(URL(fileURLWithPath: $0)) } ?? PasswordBook()
    } catch {
      printError("gcmap: \(error)")
      throw ExitCode(1)
    }
    let workers =
      inProcess
      ? nil
      : WorkerPool.Settings(
        executable: WorkerPool.currentExecutable, corpus: analysis.corpus.root.path,
        pipeline: analysis.settings.file, timeLimit: timeout, memoryLimit: maxMemory << 20,
        ocr: analysis.settings.ocr)
    let cacheFolder =
      noCache
      ? nil
      : cache.map { URL(fileURLWithPath: $0) }
        ?? AnalysisCache.defaultFolder(environment: ProcessInfo.processInfo.environment)
    var runOptions = BatchRun.Options(
      workers: workers, jobs: jobs, passwords: book, maximumSize: maxSize << 20,
      cache: cacheFolder.map { AnalysisCache(folder: $0) }, metadataFile: metadataFile)
    runOptions.decisions = reviewDecisions
    let summary: BatchRun.Summary
    do {
      summary = try BatchRun.run(
        input: URL(fileURLWithPath: folder), output: URL(fileURLWithPath: out), analysis: analysis,
        options: runOptions, progress: { printError($0) })
    } catch {
      printError("gcmap: \(error)")
      throw ExitCode(1)
    }
    printError(
      "gcmap: \(summary.inputs) files: \(summary.processed) processed, \(summary.problems) with problems, "
        + "\(summary.skipped) skipped (see problems.csv); results in \(out)")
    if let reviewDecisions {
      let applied = reviewDecisions.summary()
      printError(
        "gcmap: decisions: \(applied.applied) of \(applied.decisions) applied, "
          + "\(applied.unmatched.count) match no passage of this run (listed in run.json)")
    }
    if summary.problems > 0 { throw ExitCode(2) }
  }
}

struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show the passages of a PDF that carry a category, and why (terms, tf-idf, mentions)."
  )

  @Argument(help: "The PDF.")
  var file: String

  @Option(help: "The category id, O01…O23 or P01…P10.")
  var category: String

  @Option(help: "Password for an encrypted PDF.")
  var password: String?

  @OptionGroup var options: AnalysisOptions

  func run() throws {
    let analysis = try options.analysis()
    guard let category = analysis.taxonomy.category(category.uppercased()) else {
      printError("gcmap: unknown category \(category): use O01…O23 or P01…P10")
      throw ExitCode(1)
    }
    var timings = Analysis.Timings()
    do {
      let id = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
      let record = try analysis.analyze(
        path: file, id: id, file: file, password: password, timings: &timings)
      print(
        Explanation.text(record, category: category, settings: analysis.settings), terminator: "")
    } catch {
      printError(error.description)
      throw ExitCode(2)
    }
  }
}

struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure classification on a labelled folder.",
    discussion: """
      A folder with labels.csv and pdfs/ (one objective per document, as ../shared/eval-dev): \
      documents whose top objective is their label, and practice passages whose top label is \
      it. A folder with passages.csv (passages of real reports labelled by readers, as \
      ../shared/eval-realistic, whose PDFs are in --documents): false coverage, primary \
      top-1 and micro precision, recall and F1, for the classifier alone and the whole \
      pipeline.
      """)

  @Argument(help: "The labelled folder.")
  var folder: String

  @Flag(help: "List every practice passage whose top label is not the file's objective.")
  var misses = false

  @Flag(
    help:
      "For a passages.csv folder, also print the whole pipeline's counts for each PDF (the folds of a cross-validation)."
  )
  var byDocument = false

  @Option(help: "The PDFs of a passages.csv folder (default: ../realistic beside it).")
  var documents: String?

  @Option(
    help:
      "Write the scorers' outputs of the labelled passages to this CSV (for scripts/fit-classifier)."
  )
  var features: String?

  @OptionGroup var options: AnalysisOptions

  func run() throws {
    let analysis = try options.analysis()
    let url = URL(fileURLWithPath: folder)
    let rows = features.map { _ in FeatureRows() }
    do {
      let passages = url.appendingPathComponent("passages.csv")
      if FileManager.default.fileExists(atPath: passages.path) {
        let pdfs =
          documents.map { URL(fileURLWithPath: $0) }
          ?? url.standardizedFileURL.deletingLastPathComponent().appendingPathComponent(
            "realistic")
        let evaluation = try PassageEvaluation.run(
          labels: passages, documents: pdfs, analysis: analysis, features: rows,
          progress: { _ in })
        print(evaluation.report(byDocument: byDocument), terminator: "")
      } else {
        let evaluation = try Evaluation.run(
          folder: url, analysis: analysis, features: rows, progress: { _ in })
        print(evaluation.report(misses: misses), terminator: "")
      }
      if let rows, let features { try rows.write(to: URL(fileURLWithPath: features)) }
    } catch {
      printError("gcmap: \(error)")
      throw ExitCode(1)
    }
  }
}

/// `gcmap cache info|prune`: how much the cache holds, and bounding it.
struct CacheCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cache",
    abstract: "Show how much the cache of extracted text and analyses holds, or bound it.",
    subcommands: [CacheInfo.self, CachePrune.self])
}

/// Where the cache is, as `run` finds it.
struct CacheLocation: ParsableArguments {
  @Option(
    help:
      "The cache folder (default: $GCMAP_CACHE, else $XDG_CACHE_HOME/gcmap, else ~/.cache/gcmap).")
  var cache: String?

  var store: AnalysisCache {
    AnalysisCache(
      folder: cache.map { URL(fileURLWithPath: $0) }
        ?? AnalysisCache.defaultFolder(environment: ProcessInfo.processInfo.environment))
  }
}

func megabytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

struct CacheInfo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info", abstract: "Print the cache's folder, entries and size.")

  @OptionGroup var location: CacheLocation

  func run() throws {
    let store = location.store
    let usage = store.usage()
    print("cache: \(store.folder.path)")
    print(
      "extracted text: \(usage.extraction.entries) entries, \(megabytes(usage.extraction.bytes))")
    print("analyses: \(usage.analysis.entries) entries, \(megabytes(usage.analysis.bytes))")
    if usage.leftovers.entries > 0 {
      print(
        "unused files: \(usage.leftovers.entries), \(megabytes(usage.leftovers.bytes)) "
          + "(removed by prune)")
    }
    print("total: \(megabytes(usage.bytes))")
  }
}

struct CachePrune: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prune",
    abstract: "Remove the least recently used entries until the cache fits a size.",
    discussion: "Safe while a run uses the cache: an entry removed under it is analysed again.")

  @Option(help: "The size (MiB) to keep the cache under; 0 empties it.")
  var maxSize: Int

  @OptionGroup var location: CacheLocation

  func validate() throws {
    guard maxSize >= 0 else { throw ValidationError("--max-size must be 0 or more") }
  }

  func run() throws {
    let store = location.store
    let removed = store.prune(maximumBytes: maxSize << 20)
    print(
      "removed \(removed.entries) entries, \(megabytes(removed.bytes)); "
        + "\(megabytes(store.usage().bytes)) left in \(store.folder.path)")
  }
}

/// The analysis worker the batch runs in child processes; not for direct use.
struct Worker: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Analyse PDFs for a running batch (framed requests on standard input).",
    shouldDisplay: false)

  @Option(help: "Address-space limit in bytes (0: none).")
  var memoryLimit: Int = 0

  @OptionGroup var options: AnalysisOptions

  func run() throws {
    let status = AnalysisWorker.serve(memoryLimit: memoryLimit) {
      try options.makeAnalysis(checked: true)
    }
    if status != 0 { throw ExitCode(status) }
  }
}

func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}

extension OCRSettings.Mode: ExpressibleByArgument {
  static let help =
    "When to read pages with OCR: auto (pages without a text layer or with unreadable text), "
    + "force (every page), off."
}

struct ReviewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "Confirm or correct a run's labels in the browser (a local web application).",
    discussion: """
      Serves the run's matrix and passages on 127.0.0.1 only, at an address with a random \
      access token (printed): a request without it is refused. Decisions are kept, as history, \
      in an SQLite store (default: decisions.sqlite in the output folder); apply them with \
      `gcmap run --decisions STORE`. Stops on Ctrl-C.
      """)

  @Argument(help: "The output folder of a finished `gcmap run`.")
  var outDir: String

  @Option(help: "The port to listen on (default: any free port).")
  var port: Int = 0

  @Option(help: "The decisions store (default: OUT_DIR/decisions.sqlite).")
  var store: String?

  func run() throws {
    do {
      try ReviewServer.serve(
        outputFolder: outDir,
        storePath: store
          ?? (outDir as NSString).appendingPathComponent(
            "decisions.sqlite"), port: port
      ) { printError($0) }
    } catch {
      printError("gcmap: \(error)")
      throw ExitCode(1)
    }
  }
}

struct DecisionsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "decisions",
    abstract: "Share analysts' decisions as CSV: export a store, import files into one.",
    subcommands: [DecisionsExport.self, DecisionsImport.self])
}

struct DecisionsExport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Print a store's decisions (the whole history) as CSV.")

  @Argument(help: "The decisions store.")
  var store: String

  func run() throws {
    do {
      let history = try DecisionStore(path: store, create: false).history()
      FileHandle.standardOutput.write(Data(DecisionCSV.render(history).utf8))
    } catch {
      printError("gcmap: \(error)")
      throw ExitCode(1)
    }
  }
}

struct DecisionsImport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Merge CSV files of decisions into a store, and list the conflicts.",
    discussion: """
      A decision the store already holds is not added twice. A conflict is a passage and \
      category on which reviewers' latest decisions differ; the latest still applies, and \
      the conflicts are listed for a person to settle (exit status 3).
      """)

  @Argument(help: "CSV files of `gcmap decisions export`.")
  var files: [String]

  @Option(help: "The decisions store (created when missing).")
  var into: String

  func run() throws {
    let result: ImportResult
    do {
      let store = try DecisionStore(path: into)
      var incoming: [Decision] = []
      for file in files {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
          throw DecisionStoreError(file: file, message: "cannot read the file as UTF-8 text")
        }
        incoming += try DecisionCSV.parse(text, file: file)
      }
      result = try store.importDecisions(incoming)
    } catch {
      printError("gcmap: \(error)")
      throw ExitCode(1)
    }
    printError(
      "gcmap: \(result.added) decisions added, \(result.alreadyThere) already in \(into), "
        + "\(result.conflicts.count) conflicts")
    for conflict in result.conflicts {
      guard let first = conflict.first else { continue }
      let who = conflict.map {
        "\($0.reviewer): \($0.kind.rawValue)\($0.newCategory.map { " to " + $0 } ?? "")"
      }
      print(
        "conflict: \(first.document) p. \(first.page) \(first.category) "
          + "(\(first.excerpt.prefix(60))...): \(who.joined(separator: "; "))")
    }
    if !result.conflicts.isEmpty { throw ExitCode(3) }
  }
}
