import Hashing
import Foundation
import GCMapCore
import OCR
import PDFText
import Synchronization
import TextProcessing

/// A document taken from file to passages: the raw and the normalized pages, the passages, and
/// what each normalization stage did.
public struct ExtractedText: Sendable {
  public var source: SourceDocument
  public var rawPages: [Page]
  public var pages: [Page]
  public var passages: [Passage]
  public var normalization: [Normalizer.StageReport]
  /// Problems that did not stop extraction (a truncated file, pages without text).
  public var warnings: [Warning]
  /// The document's language as identified on its text: "en", "fr", "es", "other" or "".
  public var language: String
  /// True when the PDF opened only with a password: its text is then not cached.
  public var needsPassword: Bool
  /// Seconds spent reading with poppler, normalizing and segmenting.
  public var seconds: (extract: Double, normalize: Double, segment: Double)
}

/// A problem that did not stop extraction: a short category and the reason.
public struct Warning: Sendable, Equatable, Codable {
  /// truncated, damaged-pages or no-text-pages.
  public var category: String
  public var message: String
}

/// Why a file yielded no text; prints as "PATH: reason".
public struct ExtractionFailure: Error, CustomStringConvertible, Sendable {
  public var path: String
  /// A short name for the kind of problem, for problems.csv: empty, not-pdf, password,
  /// wrong-password, truncated, damaged, no-text, not-found, unreadable.
  public var category: String
  public var reason: String
  public var description: String { "\(path): \(reason)" }

  public init(path: String, category: String, reason: String) {
    self.path = path
    self.category = category
    self.reason = reason
  }

  init(path: String, problem: PDFProblem) {
    let category: String
    switch problem {
    case .fileNotFound: category = "not-found"
    case .unreadable: category = "unreadable"
    case .emptyFile: category = "empty"
    case .notPDF: category = "not-pdf"
    case .passwordRequired: category = "password"
    case .wrongPassword: category = "wrong-password"
    case .truncated: category = "truncated"
    case .damaged: category = "damaged"
    }
    self.init(path: path, category: category, reason: problem.description)
  }
}

/// Extraction of one file, read top to bottom: identify, extract, normalize, segment.
///
/// PDFs go through poppler; `.txt` files (an extractor's output, pages split by form feeds)
/// skip extraction, which lets text from other tools use the same normalization.
public struct DocumentExtraction: Sendable {
  /// Normalization and vocabulary of one language.
  public struct LanguageTools: Sendable {
    public var normalizer: Normalizer
    /// The vocabulary that tells real words from garbage; nil skips that check.
    public var vocabulary: Vocabulary?

    public init(normalizer: Normalizer, vocabulary: Vocabulary?) {
      self.normalizer = normalizer
      self.vocabulary = vocabulary
    }
  }

  /// Each language's tools, built the first time a document in that language comes: a
  /// word list takes a moment to read, and most runs need one or two languages.
  public final class Toolbox: Sendable {
    private let built = Mutex<[String: LanguageTools]>([:])
    private let makers: [String: @Sendable () throws -> LanguageTools]

    public init(_ makers: [String: @Sendable () throws -> LanguageTools]) {
      self.makers = makers
    }

    /// The tools for `language`, else English's; nil if neither can be built.
    func tools(_ language: String) throws -> LanguageTools? {
      try built.withLock { built in
        for code in [language, "en"] {
          if let tools = built[code] { return tools }
          if let make = makers[code] {
            let tools = try make()
            built[code] = tools
            return tools
          }
        }
        return nil
      }
    }
  }

  /// By language code; "en" is used for any language without tools of its own.
  public var languages: Toolbox
  public var segmenter: Segmenter
  /// Which pages are read with OCR, and how.
  public var ocr = OCRSettings()

  public init(normalizer: Normalizer, segmenter: Segmenter, vocabulary: Vocabulary? = nil) {
    let tools = LanguageTools(normalizer: normalizer, vocabulary: vocabulary)
    self.init(languages: Toolbox(["en": { tools }]), segmenter: segmenter)
  }

  public init(languages: Toolbox, segmenter: Segmenter) {
    self.languages = languages
    self.segmenter = segmenter
  }

  /// A toolbox for every language whose word list the corpus has, normalizing with `make`.
  public static func toolbox(
    corpus: Corpus, normalizer make: @escaping @Sendable (Vocabulary) -> Normalizer
  ) -> Toolbox {
    var makers: [String: @Sendable () throws -> LanguageTools] = [:]
    for language in corpus.languages {
      makers[language] = {
        let vocabulary = try corpus.vocabulary(language: language)
        return LanguageTools(normalizer: make(vocabulary), vocabulary: vocabulary)
      }
    }
    return Toolbox(makers)
  }

  /// The standard normalization and segmentation, with the corpus's English vocabulary.
  public init(corpus: Corpus) throws {
    self.init(
      languages: Self.toolbox(corpus: corpus) { .standard(vocabulary: $0) }, segmenter: Segmenter())
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
    var warnings: [Warning] = []
    var rawPages: [Page]
    var needsPassword = false
    var opened: OpenedPDF?
    if path.lowercased().hasSuffix(".txt") {
      rawPages = try plainTextPages(path)
    } else {
      let pdf = try openPDF(path, passwords: (password.map { [$0] } ?? []) + passwords)
      (rawPages, needsPassword, opened) = (pdf.pages, pdf.needsPassword, pdf)
    }
    // Pages without a text layer, or with unreadable text, are read with OCR in the language
    // of the document's text pages (English, French and Spanish together when it has none).
    var language = Self.language(of: rawPages)
    let reader = PageReader(settings: ocr)
    let recognizers = Recognizers()
    if let pdf = opened {
      let toRead = reader.pagesToRead(rawPages, unloadable: pdf.unloadable, skip: skipOCR)
      let textLanguage = language
      rawPages = try read(
        toRead, of: pdf, pages: rawPages, language: language, recognizers: recognizers,
        progress: progress)
      if !toRead.isEmpty { language = Self.language(of: rawPages) }
      // Read in three languages at once (English first), a French or Spanish scan is then
      // read again in its own language (it keeps its accents better: "grâce à" rather than
      // "grace a"; measured on the generated pages, 95.9% → 100% of French words, 97.3% →
      // 100% of Spanish ones, English unchanged at 100%, so English is not read twice); the
      // reading with the higher mean confidence stays.
      if !toRead.isEmpty, TextRecognizer.code(textLanguage) == nil, language != "en",
        TextRecognizer.code(language) != nil
      {
        let again = try read(
          toRead, of: pdf, pages: rawPages, language: language, recognizers: recognizers,
          progress: progress)
        if Self.meanConfidence(again) > Self.meanConfidence(rawPages) { rawPages = again }
      }
      rawPages = try Self.checkPages(
        path, rawPages, pageCount: pdf.file.pageCount, truncated: pdf.file.isTruncated,
        unreadable: pdf.unloadable, ocr: ocr, warnings: &warnings)
    }
    if !skipOCR.isEmpty {
      warnings.append(
        Warning(
          category: "ocr-slow-pages",
          message: "page\(skipOCR.count == 1 ? "" : "s") \(Self.describe(skipOCR)) could not be "
            + "rendered for OCR in \(Int(ocr.secondsPerPage)) s and \(skipOCR.count == 1 ? "was" : "were") left unread "
            + "(costly drawing, such as shadings computed point by point)"))
    }
    let extractSeconds = Self.seconds(since: &clock)
    // Each language is normalized with its own vocabulary (ligatures, hyphenation).
    let found: LanguageTools?
    do { found = try languages.tools(language) } catch {
      throw ExtractionFailure(
        path: path, category: "unreadable", reason: "cannot load the word list: \(error)")
    }
    guard let tools = found else {
      throw ExtractionFailure(
        path: path, category: "unreadable", reason: "no normalization is set up")
    }
    var (pages, report) = tools.normalizer.normalize(rawPages, language: language)
    if language != "other", let vocabulary = tools.vocabulary,
      let reason = Self.unreadable(pages, vocabulary)
    {
      // Text whose letters make no words (a broken font encoding) is read again with OCR,
      // every page the text layer gave.
      let fromText = rawPages.filter {
        $0.ocrConfidence == nil && !$0.lines.isEmpty && !skipOCR.contains($0.number)
      }
      guard ocr.mode == .auto, let pdf = opened, !fromText.isEmpty else {
        throw ExtractionFailure(path: path, category: "unreadable-text", reason: reason)
      }
      rawPages = try read(
        fromText.map(\.number), of: pdf, pages: rawPages, language: "", recognizers: recognizers,
        progress: progress)
      let reread = Self.language(of: rawPages)
      guard let retools = try? languages.tools(reread) else {
        throw ExtractionFailure(path: path, category: "unreadable-text", reason: reason)
      }
      (pages, report) = retools.normalizer.normalize(rawPages, language: reread)
      if let vocabulary = retools.vocabulary, let again = Self.unreadable(pages, vocabulary) {
        throw ExtractionFailure(
          path: path, category: "unreadable-text", reason: again + " (OCR could not read it either)"
        )
      }
      language = reread
      warnings.removeAll { $0.category == "ocr-low-confidence" }
      warnings += Self.lowConfidence(rawPages, ocr: ocr)
    }
    let normalizeSeconds = Self.seconds(since: &clock)
    let passages = segmenter.segment(pages, documentID: source.id)
    return ExtractedText(
      source: source, rawPages: rawPages, pages: pages, passages: passages,
      normalization: report, warnings: warnings, language: language, needsPassword: needsPassword,
      seconds: (extractSeconds, normalizeSeconds, Self.seconds(since: &clock)))
  }

  /// The mean OCR confidence of the pages read by OCR that found words.
  static func meanConfidence(_ pages: [Page]) -> Double {
    let read = pages.compactMap(\.ocrConfidence)
    return read.isEmpty ? 0 : read.reduce(0, +) / Double(read.count)
  }

  /// The language of the pages' text, read on the first five pages that have some.
  static func language(of pages: [Page]) -> String {
    LanguageIdentifier.identify(
      pages.filter { !$0.lines.isEmpty }.prefix(5).map(\.text).joined(separator: "\n"),
      minimumHits: 20)
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
    var done = 0
    for batch in batches {
      if done > 0, Self.isGibberish(Array(read.values), languages: languages) { break }
      do {
        let found = try reader.read(
          batch, of: pdf.file, languages: PageReader.languages(for: language),
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
    let language = Self.language(of: pages)
    guard let vocabulary = (try? languages.tools(language))??.vocabulary else { return false }
    let counted = TextCounts(pages, vocabulary: vocabulary)
    return counted.words >= 50 && counted.known * 5 < counted.words * 2
  }

  /// Seconds since `start`, moving `start` to now.
  static func seconds(since start: inout ContinuousClock.Instant) -> Double {
    let now = ContinuousClock.now
    let elapsed = now - start
    start = now
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }

  /// The document's id (file name without extension), content hash and size.
  public static func identify(_ path: String) throws(ExtractionFailure) -> SourceDocument {
    let url = URL(fileURLWithPath: path)
    guard let handle = try? FileHandle(forReadingFrom: url) else {
      let exists = FileManager.default.fileExists(atPath: path)
      throw exists
        ? ExtractionFailure(path: path, category: "unreadable", reason: "cannot read the file")
        : ExtractionFailure(path: path, problem: .fileNotFound)
    }
    defer { try? handle.close() }
    var hasher = SHA256()
    var size = 0
    while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      chunk.withUnsafeBytes { hasher.update($0) }
      size += chunk.count
    }
    let id = url.deletingPathExtension().lastPathComponent
    return SourceDocument(id: id, path: path, sha256: hasher.finalizeHex(), size: size)
  }

  private func plainTextPages(_ path: String) throws(ExtractionFailure) -> [Page] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ExtractionFailure(path: path, category: "unreadable", reason: "cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ExtractionFailure(path: path, category: "unreadable", reason: "not UTF-8 text")
    }
    return text.split(separator: "\u{0C}", omittingEmptySubsequences: false).enumerated().map {
      Page.fromPlainText(String($0.element), number: $0.offset + 1)
    }
  }

  /// An open PDF with its pages as its text layer gives them.
  private struct OpenedPDF {
    var path: String
    var file: PDFFile
    var pages: [Page]
    /// Pages poppler could not load.
    var unloadable: [Int]
    var needsPassword: Bool
  }

  /// Opens a PDF and reads its text layer. An encrypted file is tried without a password,
  /// then with each given one.
  private func openPDF(_ path: String, passwords: [String]) throws(ExtractionFailure) -> OpenedPDF {
    var lastProblem = PDFProblem.passwordRequired
    for password in [nil] + passwords.map(Optional.some) {
      let file: PDFFile
      do { file = try PDFFile(path: path, password: password) } catch {
        lastProblem = error
        if error == .passwordRequired || error == .wrongPassword { continue }
        break
      }
      let (pages, unreadable) = file.readAllPages()
      return OpenedPDF(
        path: path, file: file, pages: pages, unloadable: unreadable,
        needsPassword: password != nil)
    }
    if lastProblem == .wrongPassword && passwords.count > 1 {
      throw ExtractionFailure(
        path: path, category: "wrong-password",
        reason: "wrong password: none of the \(passwords.count) passwords given opens it")
    }
    throw ExtractionFailure(path: path, problem: lastProblem)
  }

  /// Fails a document with no pages or no text at all; warns of a truncated file, pages
  /// poppler could not read, pages without text (a text layer or words OCR could read) and
  /// pages OCR read with low confidence.
  static func checkPages(
    _ path: String, _ pages: [Page], pageCount: Int, truncated: Bool, unreadable: [Int],
    ocr: OCRSettings, warnings: inout [Warning]
  ) throws(ExtractionFailure) -> [Page] {
    let withText = pages.filter { !$0.lines.isEmpty }.count
    if pageCount == 0 && !truncated {
      throw ExtractionFailure(
        path: path, category: "no-pages", reason: "no pages: the PDF holds no page at all")
    }
    if pageCount == 0 || withText == 0 {
      if truncated { throw ExtractionFailure(path: path, problem: .truncated) }
      let one = pageCount == 1
      if ocr.mode == .off {
        throw ExtractionFailure(
          path: path, category: "no-text",
          reason: "no text layer: "
            + (one ? "its one page has no" : "none of its \(pageCount) pages has")
            + " extractable text (read it with --ocr auto)")
      }
      throw ExtractionFailure(
        path: path, category: "no-text",
        reason: "no text: "
          + (one
            ? "its one page has no text layer and no words OCR can read"
            : "none of its \(pageCount) pages has a text layer or words OCR can read")
          + " (blank, or pictures without words)")
    }
    if truncated {
      warnings.append(
        Warning(
          category: "truncated",
          message: "truncated: the file ends before the PDF's end-of-file marker; "
            + "\(withText) of \(pageCount) pages could be read"))
    }
    if !unreadable.isEmpty {
      warnings.append(
        Warning(
          category: "damaged-pages",
          message: "damaged pages: \(describe(unreadable)) could not be read"))
    }
    let empty = pages.filter { $0.lines.isEmpty }.map(\.number).filter { !unreadable.contains($0) }
    if !empty.isEmpty {
      let plural = empty.count == 1 ? "" : "s"
      warnings.append(
        Warning(
          category: "no-text-pages",
          message: ocr.mode == .off
            ? "no text layer on page\(plural) \(describe(empty)) "
              + "(scanned pages need --ocr auto; the other pages were analysed)"
            : "no text on page\(plural) \(describe(empty)): no text layer and no words OCR "
              + "can read (blank, or pictures without words); the other pages were analysed"))
    }
    warnings += lowConfidence(pages, ocr: ocr)
    return pages
  }

  /// The warning listing pages OCR read with a mean word confidence under the threshold.
  public static func lowConfidence(_ pages: [Page], ocr: OCRSettings) -> [Warning] {
    let low = pages.filter { ($0.ocrConfidence ?? 100) < ocr.lowConfidence }.map(\.number)
    guard !low.isEmpty else { return [] }
    return [
      Warning(
        category: "ocr-low-confidence",
        message: "OCR read page\(low.count == 1 ? "" : "s") \(describe(low)) with low confidence "
          + "(mean word confidence under \(Int(ocr.lowConfidence))): their text was used; check "
          + "their passages (source ocr in passages.csv)")
    ]
  }

  /// Why a document's text is garbage, or nil if it reads.
  ///
  /// Broken font encodings give either odd code points (private use, replacement characters,
  /// controls) or Latin letters that make no words. The second test applies only to text in
  /// Latin script with at least 50 words; other scripts are not judged here.
  static func unreadable(_ pages: [Page], _ vocabulary: Vocabulary) -> String? {
    let counted = TextCounts(pages, vocabulary: vocabulary)
    let (odd, letters, latin, words, known) = (
      counted.odd, counted.letters, counted.latin, counted.words, counted.known
    )
    if counted.hasBrokenCodes {
      return
        "text unreadable: \(odd * 100 / (odd + letters))% of its characters are private-use or "
        + "replacement codes (broken font encodings); it needs OCR"
    }
    if letters > 0, Double(latin) > 0.8 * Double(letters), words >= 50,
      Double(known) < 0.2 * Double(words)
    {
      return "text unreadable: only \(known * 100 / words)% of its words are words (broken font "
        + "encodings, or a language gcmap does not read yet)"
    }
    return nil
  }

  /// What pages' characters and words are made of: the evidence `unreadable`, `isGibberish`
  /// and `PageReader.hasBrokenCodes` judge text by.
  struct TextCounts {
    /// Private-use, replacement and control codes (what broken font encodings give).
    var odd = 0
    /// Letters, and those of them in Latin script.
    var letters = 0
    var latin = 0
    /// Words of three letters or more, and those the vocabulary knows (0 without one).
    var words = 0
    var known = 0

    init(_ pages: [Page], vocabulary: Vocabulary?) {
      for page in pages {
        for line in page.lines {
          for scalar in line.text.unicodeScalars {
            let value = scalar.value
            if (0xE000...0xF8FF).contains(value) || value == 0xFFFD
              || (value < 0x20 && value != 0x09)
            {
              odd += 1
            } else if scalar.isAlpha {
              letters += 1
              if value < 0x250 { latin += 1 }
            }
          }
          if let vocabulary {
            let counted = wordCounts(line.text, vocabulary)
            words += counted.words
            known += counted.known
          }
        }
      }
    }

    /// More than 20 odd codes, making over a fifth of the characters.
    var hasBrokenCodes: Bool { odd > 20 && odd * 5 > odd + letters }
  }

  /// Words of three letters or more in `text`, and how many of them the vocabulary knows.
  /// ASCII text is split and looked up as bytes; other text by `Character.isLetter`.
  static func wordCounts(_ text: String, _ vocabulary: Vocabulary) -> (words: Int, known: Int) {
    var words = 0
    var known = 0
    var text = text
    let isASCII = text.withUTF8 { bytes in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { lower in
        var start = 0
        for end in 0...bytes.count {
          let isLetter = end < bytes.count && (bytes[end] | 0x20) &- 0x61 < 26
          if isLetter {
            lower[end] = bytes[end] | 0x20
            continue
          }
          if end - start >= 3 {
            words += 1
            let word = UnsafeBufferPointer(rebasing: lower[start..<end])
            if vocabulary.contains(lowercased: word) { known += 1 }
          }
          start = end + 1
        }
      }
      return true
    }
    if isASCII { return (words, known) }
    // Where every scalar is a character of its own, the words are runs of letter scalars.
    if text.unicodeScalars.allSatisfy(\.standsAlone) {
      var word: [Unicode.Scalar] = []
      for scalar in text.unicodeScalars + [" "] {
        if scalar.isAlpha {
          word.append(scalar)
          continue
        }
        if word.count >= 3 {
          words += 1
          if vocabulary.contains(String(scalars: word)) { known += 1 }
        }
        word.removeAll(keepingCapacity: true)
      }
      return (words, known)
    }
    for word in text.split(whereSeparator: { !$0.isLetter }) where word.count >= 3 {
      words += 1
      if vocabulary.contains(String(word)) { known += 1 }
    }
    return (words, known)
  }

  /// "3, 5-7" for [3, 5, 6, 7].
  static func describe(_ numbers: [Int]) -> String {
    var parts: [String] = []
    var index = 0
    while index < numbers.count {
      var end = index
      while end + 1 < numbers.count, numbers[end + 1] == numbers[end] + 1 { end += 1 }
      parts.append(end == index ? "\(numbers[index])" : "\(numbers[index])-\(numbers[end])")
      index = end + 1
    }
    return parts.joined(separator: ", ")
  }
}
