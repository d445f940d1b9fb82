import Foundation
import GCMapCore
import TextProcessing

/// Extraction of one file, read top to bottom: identify, extract, normalize, segment.
///
/// PDFs go through poppler; `.txt` files (an extractor's output, pages split by form feeds)
/// skip extraction, which lets text from other tools use the same normalization.
public struct DocumentExtraction: Sendable {
  /// By language code; "en" is used for any language without tools of its own.
  public var languages: Toolbox
  public var segmenter: Segmenter
  /// Which pages are read with OCR, and how.
  public var ocr = OCRSettings()
  /// The languages documents are read in: those the corpus has lexicons for
  /// (`Corpus.scoringLanguages`); an Arabic, Russian or Chinese document without them is
  /// "other".
  public var scored: Set<String> = ["en", "fr", "es"]

  public init(normalizer: Normalizer, segmenter: Segmenter, vocabulary: Vocabulary? = nil) {
    let tools = LanguageTools(normalizer: normalizer, vocabulary: vocabulary)
    self.init(languages: Toolbox(["en": { tools }]), segmenter: segmenter)
  }

  public init(languages: Toolbox, segmenter: Segmenter) {
    self.languages = languages
    self.segmenter = segmenter
  }

  /// The standard normalization and segmentation, with the corpus's English vocabulary.
  public init(corpus: Corpus) throws {
    self.init(
      languages: Self.toolbox(corpus: corpus) { .standard(vocabulary: $0) }, segmenter: Segmenter())
    scored = Set(corpus.scoringLanguages)
  }

  /// Extracts `path`, trying no password, then `password`, then each of `passwords` in turn.
  /// `known` is the file's identity when the caller has already hashed it; `progress` hears
  /// of each page read with OCR.
  public func run(
    path: String, password: String? = nil, passwords: [String] = [],
    source known: SourceDocument? = nil, skipOCR: [Int] = [],
    progress: (OCRProgress) -> Void = { _ in }
  ) throws(ExtractionFailure) -> ExtractedText {
    var clock = ContinuousClock.now
    let source: SourceDocument
    if let known { source = known } else { source = try Self.identify(path) }
    var document = try open(path, passwords: (password.map { [$0] } ?? []) + passwords)
    let recognizers = Recognizers()
    var warnings = try readScannedPages(
      &document, path: path, skip: skipOCR, recognizers: recognizers, progress: progress)
    warnings += slowPagesWarning(skipOCR)
    let extractSeconds = Self.seconds(since: &clock)
    var (pages, report, vocabulary) = try normalize(document, path: path)
    let unreadable =
      document.language == "other" ? nil : vocabulary.flatMap { Self.unreadable(pages, $0) }
    if document.language == "" || unreadable != nil {
      // No language named by its function words, or no words in the one it was read in: the
      // vocabulary that knows most of its words names it; if none does, a broken encoding,
      // read again with OCR.
      if let best = readByVocabulary(document) {
        (document.language, pages, report) = best
      } else if let unreadable {
        (pages, report) = try rereadUnreadable(
          &document, path: path, reason: unreadable, skip: skipOCR, recognizers: recognizers,
          progress: progress, warnings: &warnings)
      }
    }
    let normalizeSeconds = Self.seconds(since: &clock)
    let passages = segmenter.segment(pages, documentID: source.id)
    return ExtractedText(
      source: source, rawPages: document.pages, pages: pages, passages: passages,
      normalization: report, warnings: warnings, language: document.language,
      needsPassword: document.needsPassword,
      seconds: (extractSeconds, normalizeSeconds, Self.seconds(since: &clock)))
  }

  /// The document's pages normalized with its language's own tools (ligatures, hyphenation),
  /// and the vocabulary that judges whether they read.
  private func normalize(_ document: RawDocument, path: String) throws(ExtractionFailure) -> (
    pages: [Page], report: [Normalizer.StageReport], vocabulary: Vocabulary?
  ) {
    let found: LanguageTools?
    do { found = try languages.tools(document.language) } catch {
      throw ExtractionFailure(
        path: path, category: "unreadable", reason: "cannot load the word list: \(error)")
    }
    guard let tools = found else {
      throw ExtractionFailure(
        path: path, category: "unreadable", reason: "no normalization is set up")
    }
    let (pages, report) = tools.normalizer.normalize(document.pages, language: document.language)
    return (pages, report, tools.vocabulary)
  }

  /// Seconds since `start`, moving `start` to now.
  static func seconds(since start: inout ContinuousClock.Instant) -> Double {
    let now = ContinuousClock.now
    let elapsed = now - start
    start = now
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }
}
