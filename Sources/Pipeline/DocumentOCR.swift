import Foundation
import GCMapCore
import OCR
import TextProcessing

/// Which pages of a document are read with OCR, in which language, and when a reading is
/// given up.
extension DocumentExtraction {
  /// Reads with OCR the pages of `document` without a text layer or with broken codes, in the
  /// language of its text pages (English, French and Spanish together when it has none), then
  /// checks its pages. Returns the warnings of the pages (truncated, damaged, without text,
  /// read with low confidence).
  func readScannedPages(
    _ document: inout RawDocument, path: String, skip: [Int], recognizers: Recognizers,
    progress: (OCRProgress) -> Void
  ) throws(ExtractionFailure) -> [Warning] {
    guard let pdf = document.pdf else { return [] }
    let toRead = PageReader(settings: ocr).pagesToRead(
      document.pages, unloadable: pdf.unloadable, skip: skip)
    // The language of the text pages as identified, also one gcmap has no lexicons for: its
    // OCR model reads the scanned pages among them.
    let textLanguage =
      toRead.isEmpty || document.language != "other"
      ? document.language : Self.identifiedLanguage(of: document.pages)
    document.pages = try read(
      toRead, of: pdf, pages: document.pages, language: textLanguage, recognizers: recognizers,
      progress: progress)
    if !toRead.isEmpty { document.language = language(of: document.pages) }
    // Read in three languages at once (English first), a French or Spanish scan is then
    // read again in its own language (it keeps its accents better: "grâce à" rather than
    // "grace a"; measured on the generated pages, 95.9% → 100% of French words, 97.3% →
    // 100% of Spanish ones, English unchanged at 100%, so English is not read twice); the
    // reading with the higher mean confidence stays.
    if !toRead.isEmpty, TextRecognizer.code(textLanguage) == nil, document.language != "en",
      TextRecognizer.code(document.language) != nil
    {
      let again = try read(
        toRead, of: pdf, pages: document.pages, language: document.language,
        recognizers: recognizers, progress: progress)
      if Self.meanConfidence(again) > Self.meanConfidence(document.pages) {
        document.pages = again
      }
    }
    var warnings: [Warning] = []
    document.pages = try Self.checkPages(
      path, document.pages, pageCount: pdf.file.pageCount, truncated: pdf.file.isTruncated,
      unreadable: pdf.unloadable, ocr: ocr, warnings: &warnings)
    return warnings
  }

  /// Text whose letters make no words (a broken font encoding): every page the text layer
  /// gave is read again with OCR, and normalized in the language OCR's text is in. Fails the
  /// document when OCR is off, there is nothing to read, or OCR cannot read it either.
  func rereadUnreadable(
    _ document: inout RawDocument, path: String, reason: String, skip: [Int],
    recognizers: Recognizers, progress: (OCRProgress) -> Void, warnings: inout [Warning]
  ) throws(ExtractionFailure) -> (pages: [Page], report: [Normalizer.StageReport]) {
    let fromText = document.pages.filter {
      $0.ocrConfidence == nil && !$0.lines.isEmpty && !skip.contains($0.number)
    }
    guard ocr.mode == .auto, let pdf = document.pdf, !fromText.isEmpty else {
      throw ExtractionFailure(path: path, category: "unreadable-text", reason: reason)
    }
    document.pages = try read(
      fromText.map(\.number), of: pdf, pages: document.pages, language: "",
      recognizers: recognizers, progress: progress)
    let reread = language(of: document.pages)
    guard let tools = try? languages.tools(reread) else {
      throw ExtractionFailure(path: path, category: "unreadable-text", reason: reason)
    }
    let normalized = tools.normalizer.normalize(document.pages, language: reread)
    if let vocabulary = tools.vocabulary, let again = Self.unreadable(normalized.pages, vocabulary)
    {
      throw ExtractionFailure(
        path: path, category: "unreadable-text", reason: again + " (OCR could not read it either)")
    }
    document.language = reread
    warnings.removeAll { $0.category == "ocr-low-confidence" }
    warnings += Self.lowConfidence(document.pages, ocr: ocr)
    return (normalized.pages, normalized.report)
  }

  /// The tesseract models to read a document in `language` with: its own; where its text
  /// pages did not tell, the model of the script tesseract sees on the first of the `probe`
  /// pages that shows one (Arabic, Cyrillic, Han: a scanned Arabic, Russian or Chinese
  /// review), else English, French and Spanish together.
  /// The page looked at is announced to `progress` first, as a page being read: a page that
  /// takes minutes to draw is then found slow and left out like any other. Looked at in 150
  /// dpi, enough to tell a script.
  private func ocrModels(
    for language: String, probe: [Int], of pdf: OpenedPDF, count: Int,
    progress: (OCRProgress) -> Void
  ) -> [String] {
    if let own = TextRecognizer.code(language) { return [own] }
    for number in probe.prefix(Self.probePages) {
      progress(OCRProgress(page: number, index: 1, count: count))
      guard !PageReader.isBlank(number, of: pdf.file),
        let image = pdf.file.renderGrey(number, dpi: min(ocr.dpi, 150)),
        let script = TextRecognizer.script(of: image)
      else { continue }
      return TextRecognizer.model(forScript: script).map { [$0] }
        ?? PageReader.languages(for: language)
    }
    return PageReader.languages(for: language)
  }

  /// The mean OCR confidence of the pages read by OCR that found words.
  static func meanConfidence(_ pages: [Page]) -> Double {
    let read = pages.compactMap(\.ocrConfidence)
    return read.isEmpty ? 0 : read.reduce(0, +) / Double(read.count)
  }

  /// `pages` with `numbers` replaced by their OCR reading.
  ///
  /// A long reading starts with a probe of `probePages` pages: when their words are no words
  /// of the language they seem to be in (a script tesseract has no model for here, as a
  /// Russian text whose fonts lost their codes), the rest is not read, and the document goes
  /// on to be reported unreadable in minutes less.
  private func read(
    _ numbers: [Int], of pdf: OpenedPDF, pages: [Page], language: String,
    recognizers: Recognizers, progress: (OCRProgress) -> Void
  ) throws(ExtractionFailure) -> [Page] {
    guard !numbers.isEmpty else { return pages }
    let reader = PageReader(settings: ocr)
    var read: [Int: Page] = [:]
    // In a document with a text layer (auto), an empty page is read only if it looks scanned.
    let hasText = pages.contains { !$0.lines.isEmpty && $0.ocrConfidence == nil }
    let empty = Set(pages.filter(\.lines.isEmpty).map(\.number))
    let scansOnly = ocr.mode == .auto && hasText ? Set(numbers.filter(empty.contains)) : []
    // The probe is spread over the document: its first pages are often a title and a licence
    // in another language.
    let probe =
      numbers.count > Self.probePages
      ? Set((1...Self.probePages).map { numbers[$0 * numbers.count / (Self.probePages + 1)] })
      : Set(numbers)
    let batches = [
      numbers.filter { probe.contains($0) }, numbers.filter { !probe.contains($0) },
    ].filter { !$0.isEmpty }
    let models = ocrModels(
      for: language, probe: batches.first ?? [], of: pdf, count: numbers.count,
      progress: progress)
    var done = 0
    for batch in batches {
      if done > 0, Self.isGibberish(Array(read.values), languages: languages) { break }
      do {
        let found = try reader.read(
          batch, of: pdf.file, languages: models,
          recognizers: recognizers, scansOnly: scansOnly
        ) { told in
          progress(OCRProgress(page: told.page, index: done + told.index, count: numbers.count))
        }
        read.merge(found) { _, new in new }
      } catch {
        throw ExtractionFailure(
          path: pdf.path, category: "ocr-unavailable", reason: error.description)
      }
      done += batch.count
    }
    progress(OCRProgress(page: 0, index: numbers.count, count: numbers.count))
    return pages.map { read[$0.number] ?? $0 }
  }

  /// Pages of a long reading read first to see whether OCR can read the document at all.
  static let probePages = 3

  /// True when OCR's words on `pages` are mostly no words of their language's vocabulary: at
  /// least 50 words, under 40% known. A readable scan, even a poor one, has most of its words
  /// known (90% and more on the scans measured); OCR of a script it has no model for gives
  /// letters that make a word by chance (15–30%), as do front matter and code examples less
  /// often. Stricter than `unreadable` (20%), which judges the whole document at the end.
  static func isGibberish(_ pages: [Page], languages: Toolbox) -> Bool {
    let language = identifiedLanguage(of: pages)
    guard let vocabulary = (try? languages.tools(language))??.vocabulary else { return false }
    let counted = TextCounts(pages, vocabulary: vocabulary)
    // Text in another script (read with its own model) is not judged by a Latin vocabulary.
    let isLatin = counted.latin * 5 > counted.letters * 4
    return isLatin && counted.words >= 50 && counted.known * 5 < counted.words * 2
  }
}
