import Foundation
import GCMapCore
import Reports
import Scoring
import TextProcessing

/// Everything a run needs to turn one file into a row of the coverage matrix, built once.
///
/// The whole per-document pipeline reads top to bottom in `analyze`: extract, normalize and
/// segment (`DocumentExtraction`), classify each passage, aggregate.
public final class Analysis {
  public let corpus: Corpus
  public let taxonomy: Taxonomy
  public let settings: PipelineSettings
  public let extraction: DocumentExtraction
  public let classifier: PassageClassifier
  public let aggregator: CoverageAggregator
  public let metadataDetector: MetadataDetector
  /// Metadata given by the user, over what detection finds.
  public var metadataFile: MetadataFile?

  public init(corpus: Corpus, settings: PipelineSettings) throws {
    self.corpus = corpus
    self.settings = settings
    metadataDetector = MetadataDetector(countries: try corpus.countries())
    taxonomy = try corpus.taxonomy()
    extraction = DocumentExtraction(
      languages: DocumentExtraction.toolbox(corpus: corpus) { settings.normalizer(vocabulary: $0) },
      segmenter: settings.segmenter)
    var models: [String: PassageClassifier.LanguageModel] = [:]
    for language in corpus.scoringLanguages {
      models[language] = try Self.model(language: language, corpus: corpus, taxonomy: taxonomy)
    }
    classifier = PassageClassifier(
      settings: settings.classifier, models: models, categoryIDs: taxonomy.ids)
    aggregator = CoverageAggregator(settings: settings.coverage, categoryIDs: taxonomy.ids)
  }

  static let stemmers = ["en": "english", "fr": "french", "es": "spanish"]

  /// A language's scoring model. English tf-idf profiles are the Compact's text, with IDF
  /// fitted on its paragraphs; French and Spanish ones are built from their lexicons and the
  /// principles' names, the Corpus having no French or Spanish text of the Compact yet.
  static func model(language: String, corpus: Corpus, taxonomy: Taxonomy) throws
    -> PassageClassifier.LanguageModel
  {
    let tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: stemmers[language] ?? "english"))
    let lexicons = try corpus.lexicons(language: language, ids: taxonomy.ids)
    let stopwords = try corpus.stopwords(language: language)
    let tfidf: TfIdfModel
    if language == "en" {
      tfidf = TfIdfModel(taxonomy: taxonomy, tokenizer: tokenizer, stopwords: stopwords)
    } else {
      let profiles = zip(taxonomy.categories, lexicons).map { category, lexicon in
        let terms = lexicon.terms.flatMap { term in
          [String](
            repeating: term.phrase.trimmingCharacters(in: CharacterSet(charactersIn: "=")),
            count: Int(term.weight))
        }
        return (category.id, ([category.names[language] ?? ""] + terms).joined(separator: ". "))
      }
      tfidf = TfIdfModel(
        reference: profiles.map(\.1), profiles: profiles.map { ($0.0, $0.1) }, tokenizer: tokenizer,
        stopwords: stopwords)
    }
    return PassageClassifier.LanguageModel(
      tokenizer: tokenizer, matcher: LexiconMatcher(lexicons: lexicons, tokenizer: tokenizer),
      tfidf: tfidf)
  }

  /// Time spent per stage, summed over documents.
  public struct Timings: Sendable {
    public var extract = 0.0
    public var score = 0.0
    public var aggregate = 0.0

    public init() {}
  }

  /// One file, from PDF to coverage row. `id` names the document in every output.
  public func analyze(
    path: String, id: String, file: String, password: String? = nil, passwords: [String] = [],
    isolated: IsolatedExtractor? = nil, source: SourceDocument? = nil, timings: inout Timings
  ) throws(ExtractionFailure) -> DocumentRecord {
    var clock = ContinuousClock.now
    var text = try extraction.run(
      path: path, password: password, passwords: passwords, isolated: isolated, source: source)
    timings.extract += Self.seconds(since: &clock)
    text.source.id = id
    let passages = text.passages.enumerated().map { index, passage in
      var renamed = passage
      renamed.id = "\(id)#\(index + 1)"
      renamed.documentID = id
      return renamed
    }
    let classifications = passages.map { classifier.classify($0, documentLanguage: text.language) }
    if text.language == "other" {
      text.warnings.append(
        Warning(
          category: "other-language",
          message: "written in a language gcmap does not read (not English, French or Spanish): "
            + "its passages are not classified"))
    }
    timings.score += Self.seconds(since: &clock)
    let coverage = aggregator.aggregate(documentID: id, classifications)
    var metadata = metadataDetector.detect(text.pages)
    if let metadataFile {
      metadata = metadataFile.apply(
        to: metadata, relativePath: file, countries: metadataDetector.countries)
    }
    timings.aggregate += Self.seconds(since: &clock)
    return DocumentRecord(
      source: text.source, file: file, pageCount: text.pages.count,
      classifications: classifications, coverage: coverage,
      warnings: text.warnings.map { ($0.category, $0.message) }, metadata: metadata)
  }

  static func seconds(since start: inout ContinuousClock.Instant) -> Double {
    let now = ContinuousClock.now
    let elapsed = now - start
    start = now
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }
}

/// A folder of PDFs through the analysis, into the output folder.
///
/// Files are taken in path order; a file that fails becomes a row of problems.csv and the
/// batch goes on. Every file found ends up processed, a problem or skipped (not a PDF, or a
/// copy of one already analysed), and is listed in run.json. A document's id is its path
/// under the input folder without ".pdf", so adding a file never changes another document's
/// rows. Outputs are replaced only at the end, each atomically: a run killed half-way leaves
/// the previous outputs as they were.
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

  /// How files are read: in worker processes with limits, passwords to try, a size limit.
  public struct Options: Sendable {
    public var isolated: IsolatedExtractor?
    public var passwords: PasswordBook
    /// Files larger than this many bytes are not opened.
    public var maximumSize: Int

    public init(
      isolated: IsolatedExtractor?, passwords: PasswordBook = PasswordBook(), maximumSize: Int
    ) {
      self.isolated = isolated
      self.passwords = passwords
      self.maximumSize = maximumSize
    }
  }

  public static func run(
    input: URL, output: URL, analysis: Analysis, options: Options, progress: (String) -> Void
  ) throws -> Summary {
    let started = ContinuousClock.now
    let (pdfs, others) = try discover(input)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    removeStalePartials(output)
    var summary = Summary()
    summary.inputs = pdfs.count + others.count
    var records: [DocumentRecord] = []
    var problems: [Problem] = others.map {
      Problem(file: $0, category: "skipped", message: "skipped: not a PDF (by its name)")
    }
    summary.skipped = others.count
    var firstWithHash: [String: String] = [:]
    var timings = Analysis.Timings()
    var inputs: [RunManifest.Input] = []
    for (index, relative) in pdfs.enumerated() {
      let path = input.appendingPathComponent(relative).path
      let id = String(relative.dropLast(4))
      progress("[\(index + 1)/\(pdfs.count)] \(relative)")
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      if size > options.maximumSize {
        let reason =
          "too large: \(size / (1 << 20)) MiB, over the limit of \(options.maximumSize / (1 << 20)) MiB"
        problems.append(Problem(file: relative, category: "too-large", message: reason))
        summary.problems += 1
        inputs.append(.init(file: relative, sha256: nil, size: size, status: "too-large"))
        progress("  problem: \(reason)")
        continue
      }
      // Identified once: the hash finds duplicates and goes on with the file.
      let source = try? analysis.extraction.identify(path)
      let hash = source?.sha256
      if let hash, let first = firstWithHash[hash] {
        problems.append(
          Problem(
            file: relative, category: "duplicate",
            message: "skipped: the same content as \(first), analysed once"))
        summary.skipped += 1
        inputs.append(.init(file: relative, sha256: hash, size: size, status: "duplicate"))
        continue
      }
      if let hash { firstWithHash[hash] = relative }
      do {
        let record = try analysis.analyze(
          path: path, id: id, file: relative, passwords: options.passwords.passwords(for: relative),
          isolated: options.isolated, source: source, timings: &timings)
        records.append(record)
        summary.processed += 1
        for warning in record.warnings {
          problems.append(
            Problem(file: relative, category: warning.category, message: warning.message))
        }
        inputs.append(
          .init(
            file: relative, sha256: record.source.sha256, size: record.source.size,
            status: record.warnings.isEmpty ? "processed" : "processed in part"))
      } catch {
        problems.append(Problem(file: relative, category: error.category, message: error.reason))
        summary.problems += 1
        progress("  problem: \(error.reason)")
        inputs.append(.init(file: relative, sha256: hash, size: size, status: error.category))
      }
    }
    var clock = ContinuousClock.now
    try DataFiles.writeAll(
      documents: records, problems: problems, taxonomy: analysis.taxonomy, to: output)
    let corpusHash = try analysis.corpus.contentHash()
    let context = ReportContext(
      toolVersion: gcmapVersion, corpusVersion: analysis.taxonomy.version, corpusHash: corpusHash,
      pipelineName: analysis.settings.name, settings: analysis.settings.summary)
    try DataFiles.atomicWrite(
      HTMLReport.render(
        documents: records, problems: problems, taxonomy: analysis.taxonomy, context: context),
      to: output.appendingPathComponent("report.html"))
    try DataFiles.atomicWrite(
      EvidenceMarkdown.render(records, taxonomy: analysis.taxonomy),
      to: output.appendingPathComponent("evidence.md"))
    let reportSeconds = Analysis.seconds(since: &clock)
    let manifest = RunManifest(
      tool: .init(name: "gcmap", version: gcmapVersion),
      corpus: .init(
        path: analysis.corpus.root.path, taxonomyVersion: analysis.taxonomy.version,
        sha256: corpusHash),
      pipeline: .init(
        name: analysis.settings.name, file: analysis.settings.file,
        sha256: SHA256.hex(
          [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: analysis.settings.file))) ?? Data()))),
      input: input.path,
      counts: .init(
        inputs: summary.inputs, processed: summary.processed, problems: summary.problems,
        skipped: summary.skipped),
      inputs: inputs, skipped: others,
      timings: .init(
        extract: DataFiles.decimal(timings.extract), score: DataFiles.decimal(timings.score),
        aggregate: DataFiles.decimal(timings.aggregate), report: DataFiles.decimal(reportSeconds),
        total: DataFiles.decimal((ContinuousClock.now - started).seconds)))
    try DataFiles.atomicWrite(
      JSONText.encode(manifest), to: output.appendingPathComponent("run.json"))
    return summary
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
  }
  struct Timings: Encodable {
    var extract: String
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
  var timings: Timings
}

/// The version gcmap reports in run.json and --version.
public let gcmapVersion = "0.2.0"

extension Duration {
  fileprivate var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
