import ArgumentParser
import Foundation
import Pipeline

/// The gcmap command line: parsing and printing only; the work is in the Pipeline module.
@main
struct GCMap: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gcmap",
    abstract: "Map national GCM review PDFs against the Compact's objectives and principles.",
    version: "0.1.0",
    subcommands: [Extract.self]
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

func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}
