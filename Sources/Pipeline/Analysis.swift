import Foundation
import GCMapCore
import Reports
import Scoring
import TextProcessing

/// Everything a run needs to turn one file into a row of the coverage matrix, built once.
///
/// The whole per-document pipeline reads top to bottom in `process`: take the prepared text
/// from the cache or extract, normalize and segment it (`DocumentExtraction`); then classify
/// each passage, aggregate, detect metadata. A batch runs `process` in worker processes; the
/// `explain` and `evaluate` commands call `analyze` in their own.
public final class Analysis {
  public let corpus: Corpus
  public let taxonomy: Taxonomy
  public let settings: PipelineSettings
  public let extraction: DocumentExtraction
  public let classifier: PassageClassifier
  public let aggregator: CoverageAggregator
  public let metadataDetector: MetadataDetector

  /// `checked`: the corpus files were read and checked by the process that starts this one
  /// (a batch's workers): a language other than English reads its files when a passage in it
  /// first comes, not at start (a batch of English reviews then never reads them).
  public init(corpus: Corpus, settings: PipelineSettings, checked: Bool = false) throws {
    self.corpus = corpus
    self.settings = settings
    metadataDetector = MetadataDetector(countries: try corpus.countries())
    taxonomy = try corpus.taxonomy()
    var extraction = DocumentExtraction(
      languages: DocumentExtraction.toolbox(corpus: corpus) { settings.normalizer(vocabulary: $0) },
      segmenter: settings.segmenter)
    extraction.ocr = settings.ocr
    extraction.scored = Set(corpus.scoringLanguages)
    self.extraction = extraction
    // Each language's files are read and checked now (unless `checked`); its model is built
    // when a passage in the language first comes (`LanguageModels`).
    var builders: [String: @Sendable () -> PassageClassifier.LanguageModel?] = [:]
    let taxonomy = taxonomy
    let weights = settings.classifier.apparatusWeights
    let languages = corpus.scoringLanguages
    let readNow = languages.filter { !checked || $0 == "en" }
    // Read side by side: a start checks every language's files.
    let read = Locked([String: Result<ModelFiles, Error>]())
    DispatchQueue.concurrentPerform(iterations: readNow.count) { index in
      let language = readNow[index]
      let files = Result { try ModelFiles(language: language, corpus: corpus, taxonomy: taxonomy) }
      read.withLock { $0[language] = files }
    }
    let found = read.withLock { $0 }
    for language in languages {
      if let files = found[language] {
        let files = try files.get()
        builders[language] = { Self.model(files, taxonomy: taxonomy, apparatusWeights: weights) }
      } else {
        builders[language] = {
          (try? ModelFiles(language: language, corpus: corpus, taxonomy: taxonomy)).map {
            Self.model($0, taxonomy: taxonomy, apparatusWeights: weights)
          }
        }
      }
    }
    classifier = PassageClassifier(
      settings: settings.classifier, models: LanguageModels(builders: builders),
      categories: taxonomy.categories)
    aggregator = CoverageAggregator(settings: settings.coverage, categoryIDs: taxonomy.ids)
  }

  /// Snowball's stemmer for each language; Chinese tokens (pairs of characters) are not
  /// stemmed, and the English stemmer reads the Latin words among them.
  static let stemmers = [
    "en": "english", "fr": "french", "es": "spanish", "ar": "arabic", "ru": "russian",
    "zh": "english",
  ]

  /// The names of `codes` in English, "English, French or Spanish".
  static func languageNames(_ codes: [String]) -> String {
    let names = [
      "en": "English", "fr": "French", "es": "Spanish", "ar": "Arabic", "ru": "Russian",
      "zh": "Chinese",
    ]
    let named = codes.map { names[$0] ?? $0 }
    guard let last = named.last, named.count > 1 else { return named.first ?? "" }
    return named.dropLast().joined(separator: ", ") + " or " + last
  }

  /// A language's scoring model. English tf-idf profiles are the Compact's text, with IDF
  /// fitted on its paragraphs; French and Spanish ones are built from their lexicons and the
  /// principles' names, the Corpus having no French or Spanish text of the Compact yet.
  static func model(
    _ files: ModelFiles, taxonomy: Taxonomy,
    apparatusWeights: ApparatusDetector.Weights = ApparatusDetector.Weights()
  ) -> PassageClassifier.LanguageModel {
    let language = files.language
    let tokenizer = files.tokenizer
    let lexicons = files.lexicons
    let stopwords = files.stopwords
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
        reference: profiles.map(\.1),
        profiles: profiles.map { ($0.0, $0.1) }
          + [(TfIdfModel.wholeCompact, profiles.map(\.1).joined(separator: ". "))],
        tokenizer: tokenizer, stopwords: stopwords)
    }
    return PassageClassifier.LanguageModel(
      tokenizer: tokenizer,
      matcher: LexiconMatcher(lexicons: lexicons, tokenizer: tokenizer, subjects: files.subjects),
      tfidf: tfidf,
      apparatus: files.apparatus.map {
        ApparatusDetector(lexicon: $0, tokenizer: tokenizer, weights: apparatusWeights)
      })
  }

  /// What a language's model is made of, read from the corpus and checked (strict files,
  /// a stemmer for the language).
  struct ModelFiles: Sendable {
    var language: String
    var tokenizer: Tokenizer
    var lexicons: [Lexicon]
    var stopwords: Set<String>
    var subjects: Subjects
    var apparatus: Lexicon?

    init(language: String, corpus: Corpus, taxonomy: Taxonomy) throws {
      self.language = language
      tokenizer = Tokenizer(
        stemmer: try Stemmer(algorithm: Analysis.stemmers[language] ?? "english"))
      lexicons = try corpus.lexicons(language: language, ids: taxonomy.ids)
      stopwords = try corpus.stopwords(language: language)
      subjects = try corpus.subjects(language: language)
      apparatus = try corpus.apparatus(language: language)
    }
  }

  /// Seconds spent per stage, summed over documents (and over workers when they run side by
  /// side, so the sum can exceed the run's wall time).
  public struct Timings: Sendable, Codable, Equatable {
    public var extract = 0.0
    public var normalize = 0.0
    public var segment = 0.0
    public var score = 0.0
    public var aggregate = 0.0

    public init() {}

    public mutating func add(_ other: Timings) {
      extract += other.extract
      normalize += other.normalize
      segment += other.segment
      score += other.score
      aggregate += other.aggregate
    }
  }

  /// What scoring needs of an extracted document, and what the extraction cache keeps: the
  /// passages, the first pages (for metadata detection), warnings and language.
  public struct PreparedText: Sendable, Codable {
    public var source: SourceDocument
    public var pageCount: Int
    public var leadingPages: [Page]
    public var passages: [Passage]
    public var warnings: [Warning]
    public var language: String
    /// The pages read with OCR.
    public var ocrPages: [Int]

    init(_ text: ExtractedText) {
      ocrPages = text.rawPages.filter { $0.ocrConfidence != nil }.map(\.number)
      source = text.source
      pageCount = text.pages.count
      leadingPages = Array(text.pages.prefix(MetadataDetector.pagesRead))
      passages = text.passages
      warnings = text.warnings
      language = text.language
    }
  }

  /// One file, from PDF to coverage row, in this process. `id` names the document in every
  /// output.
  public func analyze(
    path: String, id: String, file: String, password: String? = nil, passwords: [String] = [],
    source: SourceDocument? = nil, timings: inout Timings
  ) throws(ExtractionFailure) -> DocumentRecord {
    let text = try extraction.run(
      path: path, password: password, passwords: passwords, source: source)
    timings.extract += text.seconds.extract
    timings.normalize += text.seconds.normalize
    timings.segment += text.seconds.segment
    return score(PreparedText(text), id: id, file: file, timings: &timings)
  }

  /// Classifies the passages of a prepared text and aggregates them into a coverage row.
  public func score(
    _ prepared: PreparedText, id: String, file: String, timings: inout Timings,
    evidence: PassageClassifier.Evidence = .all
  ) -> DocumentRecord {
    var clock = ContinuousClock.now
    var source = prepared.source
    source.id = id
    let passages = prepared.passages.enumerated().map { index, passage in
      var renamed = passage
      renamed.id = "\(id)#\(index + 1)"
      renamed.documentID = id
      return renamed
    }
    let classifications = classifier.classify(
      passages, documentLanguage: prepared.language, evidence: evidence)
    var warnings = prepared.warnings
    if prepared.language == "other" {
      warnings.append(
        Warning(
          category: "other-language",
          message: "written in a language gcmap does not read (not "
            + Self.languageNames(corpus.scoringLanguages) + "): its passages are not classified"))
    }
    timings.score += DocumentExtraction.seconds(since: &clock)
    let coverage = aggregator.aggregate(documentID: id, classifications)
    let metadata = metadataDetector.detect(prepared.leadingPages, language: prepared.language)
    timings.aggregate += DocumentExtraction.seconds(since: &clock)
    return DocumentRecord(
      source: source, file: file, pageCount: prepared.pageCount,
      classifications: classifications, coverage: coverage,
      warnings: warnings.map { ($0.category, $0.message) }, metadata: metadata,
      ocrPages: prepared.ocrPages)
  }

  /// One document of a batch, read top to bottom: the analysis from the cache if this file,
  /// corpus and pipeline were analysed before; else the prepared text from the cache if this
  /// file was extracted before with the same extractor and normalization; else extraction.
  /// Failures that depend on the file alone (not a PDF, no text...) are cached too.
  public func process(
    _ request: AnalysisRequest, progress: (OCRProgress) -> Void = { _ in }
  ) -> AnalysisReply {
    let cache = request.cache.map { AnalysisCache(folder: URL(fileURLWithPath: $0.folder)) }
    var reply = AnalysisReply()
    if let cache, let keys = request.cache {
      let found = cache.record(keys.analysis)
      if let record = found.value {
        reply.record = record.renamed(id: request.id, file: request.file, source: request.source)
        reply.cache = .analysis
        return reply
      }
      reply.noteDamage(found.damage(level: "analysis"))
    }
    var prepared: PreparedText
    var needsPassword = false
    let extracted = request.cache.flatMap { keys in cache?.extraction(keys.extraction) }
    reply.noteDamage(extracted?.damage(level: "extraction"))
    switch extracted?.value {
    case .text(let cached)?:
      prepared = cached
      prepared.source = request.source
      reply.cache = .extraction
    case .failure(let category, let reason)?:
      reply.failure = .init(category: category, reason: reason)
      reply.cache = .extraction
      return reply
    case nil:
      do {
        let text = try extraction.run(
          path: request.path, passwords: request.passwords, source: request.source,
          skipOCR: request.skipOCR, progress: progress)
        reply.timings.extract = text.seconds.extract
        reply.timings.normalize = text.seconds.normalize
        reply.timings.segment = text.seconds.segment
        prepared = PreparedText(text)
        needsPassword = text.needsPassword
        // Text that needed a password stays out of the cache: it would be readable there.
        if let cache, let keys = request.cache, !text.needsPassword {
          cache.store(.text(prepared), key: keys.extraction)
        }
      } catch {
        reply.failure = .init(category: error.category, reason: error.reason)
        if let cache, let keys = request.cache,
          AnalysisCache.fileBoundFailures.contains(error.category)
        {
          cache.store(.failure(error.category, error.reason), key: keys.extraction)
        }
        return reply
      }
    }
    // The batch keeps the labels' scores only (`compacted`), so only they need contributors.
    let record = score(
      prepared, id: request.id, file: request.file, timings: &reply.timings, evidence: .labels
    )
    .compacted()
    if let cache, let keys = request.cache, !needsPassword {
      reply.encodedRecord = cache.store(record, key: keys.analysis)
    }
    reply.record = record
    return reply
  }
}

/// One document for `Analysis.process`: where it is, what it is called, passwords to try,
/// and the cache entries to use.
public struct AnalysisRequest: Codable, Sendable {
  public struct CacheKeys: Codable, Sendable {
    public var folder: String
    public var extraction: String
    public var analysis: String
  }

  public var path: String
  /// The path relative to the input folder, as the outputs show it.
  public var file: String
  public var id: String
  public var passwords: [String]
  public var source: SourceDocument
  public var cache: CacheKeys?
  /// Pages not to read with OCR: they took too long to render in an earlier attempt.
  public var skipOCR: [Int] = []
}

/// What became of one document: its compact record or why there is none, where it came from
/// and the time each stage took.
public struct AnalysisReply: Codable, Sendable {
  public enum CacheUse: String, Codable, Sendable {
    /// Extracted and scored now.
    case none
    /// The prepared text came from the cache; scored now.
    case extraction
    /// The whole analysis came from the cache.
    case analysis
  }

  public struct Failure: Error, Codable, Sendable {
    public var category: String
    public var reason: String
  }

  public var record: DocumentRecord?
  public var failure: Failure?
  public var cache = CacheUse.none
  public var timings = Analysis.Timings()
  /// Set in a progress frame a worker sends before its answer (a page it starts to read with
  /// OCR); such a frame has nothing else.
  public var progress: OCRProgress?
  /// Cache entries of this document found damaged (and so re-made): "analysis: why".
  public var cacheDamage: [String] = []
  /// `record` as just written to the cache (`BinaryCoding`), which a worker sends as it is;
  /// not part of the reply's own encoding.
  var encodedRecord: Data?

  public init() {}

  private enum CodingKeys: String, CodingKey {
    case record, failure, cache, timings, progress, cacheDamage
  }

  /// Adds a damaged entry's note, once.
  mutating func noteDamage(_ note: String?) {
    guard let note, !cacheDamage.contains(note) else { return }
    cacheDamage.append(note)
  }
}

extension DocumentRecord {
  /// The same analysis under another name (a cached analysis of the same content).
  func renamed(id: String, file: String, source: SourceDocument) -> DocumentRecord {
    var record = self
    let oldPrefix = self.source.id + "#"
    record.source = source
    record.source.id = id
    record.file = file
    record.coverage.documentID = id
    record.classifications = classifications.map { classification in
      var renamed = classification
      renamed.passage.documentID = id
      if renamed.passage.id.hasPrefix(oldPrefix) {
        renamed.passage.id = id + "#" + renamed.passage.id.dropFirst(oldPrefix.count)
      }
      return renamed
    }
    return record
  }
}
