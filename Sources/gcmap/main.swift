import ArgumentParser
import Foundation
import Pipeline

/// The gcmap command line: parsing and printing only; the work is in the Pipeline module.
@main
struct GCMap: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gcmap",
    abstract: "Map national GCM review PDFs against the Compact's objectives and principles.",
    version: gcmapVersion,
    subcommands: [Run.self, Extract.self, Explain.self, Evaluate.self]
  )
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

  func run() throws {
    let extraction: DocumentExtraction
    do {
      extraction = try DocumentExtraction(corpus: Corpus.locate(explicit: corpus))
    } catch {
      printError("gcmap: \(error)")
      throw ExitCode(1)
    }
    let result: ExtractedText
    do {
      result = try extraction.run(path: file, password: password)
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
      printError("\(file): \(result.warnings.joined(separator: "; "))")
      throw ExitCode(2)
    }
  }
}

/// Options every command that classifies shares: where the corpus and the pipeline are.
struct AnalysisOptions: ParsableArguments {
  @Option(help: "The pipeline file (default: Pipelines/default.yml beside the corpus).")
  var pipeline: String?

  @Option(help: "The Corpus folder (default: $GCMAP_CORPUS, ./Corpus or beside the executable).")
  var corpus: String?

  /// The analysis these options name; a configuration error is printed and exits with 1.
  func analysis() throws -> Analysis {
    do {
      let corpus = try Corpus.locate(explicit: self.corpus)
      let file = pipeline.map { URL(fileURLWithPath: $0) } ?? corpus.defaultPipeline
      return try Analysis(corpus: corpus, settings: PipelineSettings.load(file))
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
      Writes coverage.csv, coverage.json, passages.csv, regions.csv, problems.csv and run.json \
      into the output folder. Exit status: 0 when every file was processed whole, 2 when some were not \
      (they are listed in problems.csv), 1 on a usage or configuration error.
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

  @OptionGroup var options: AnalysisOptions

  func run() throws {
    let analysis = try options.analysis()
    if let metadata {
      do {
        analysis.metadataFile = try MetadataFile(
          URL(fileURLWithPath: metadata), countries: analysis.metadataDetector.countries)
      } catch {
        printError("gcmap: \(error)")
        throw ExitCode(1)
      }
    }
    let summary: BatchRun.Summary
    do {
      summary = try BatchRun.run(
        input: URL(fileURLWithPath: folder), output: URL(fileURLWithPath: out), analysis: analysis,
        progress: printError)
    } catch {
      printError("gcmap: \(error)")
      throw ExitCode(1)
    }
    printError(
      "gcmap: \(summary.processed) of \(summary.inputs) PDFs processed, \(summary.problems) with problems, "
        + "\(summary.skipped) other files skipped; results in \(out)")
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
    } catch let failure as ExtractionFailure {
      printError(failure.description)
      throw ExitCode(2)
    }
  }
}

struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure classification on a labelled folder (labels.csv and pdfs/).")

  @Argument(help: "The labelled folder.")
  var folder: String

  @Flag(help: "List every practice passage whose top label is not the file's objective.")
  var misses = false

  @OptionGroup var options: AnalysisOptions

  func run() throws {
    let analysis = try options.analysis()
    do {
      let evaluation = try Evaluation.run(
        folder: URL(fileURLWithPath: folder), analysis: analysis, progress: { _ in })
      print(evaluation.report(misses: misses), terminator: "")
    } catch {
      printError("gcmap: \(error)")
      throw ExitCode(1)
    }
  }
}

func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}
