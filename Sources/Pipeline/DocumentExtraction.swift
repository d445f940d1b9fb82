import Foundation
import GCMapCore
import PDFText
@_exported import TextProcessing

/// A document taken from file to passages: the raw and the normalized pages, the passages, and
/// what each normalization stage did.
public struct ExtractedText: Sendable {
  public var source: SourceDocument
  public var rawPages: [Page]
  public var pages: [Page]
  public var passages: [Passage]
  public var normalization: [Normalizer.StageReport]
  /// Problems that did not stop extraction (a truncated file, pages without text).
  public var warnings: [String]
}

/// Why a file yielded no text; prints as "PATH: reason".
public struct ExtractionFailure: Error, CustomStringConvertible, Sendable {
  public var path: String
  /// A short name for the kind of problem, for problems.csv: empty, not-pdf, password,
  /// wrong-password, truncated, damaged, no-text, not-found, unreadable.
  public var category: String
  public var reason: String
  public var description: String { "\(path): \(reason)" }

  init(path: String, category: String, reason: String) {
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
  public var normalizer: Normalizer
  public var segmenter: Segmenter

  public init(normalizer: Normalizer, segmenter: Segmenter) {
    self.normalizer = normalizer
    self.segmenter = segmenter
  }

  /// The standard normalization and segmentation, with the corpus's English vocabulary.
  public init(corpus: Corpus) throws {
    self.init(
      normalizer: .standard(vocabulary: try corpus.vocabulary(language: "en")),
      segmenter: Segmenter())
  }

  public func run(path: String, password: String? = nil) throws(ExtractionFailure)
    -> ExtractedText
  {
    let source = try identify(path)
    var warnings: [String] = []
    let rawPages: [Page]
    if path.lowercased().hasSuffix(".txt") {
      rawPages = try plainTextPages(path)
    } else {
      rawPages = try pdfPages(path, password: password, warnings: &warnings)
    }
    let (pages, report) = normalizer.normalize(rawPages)
    let passages = segmenter.segment(pages, documentID: source.id)
    return ExtractedText(
      source: source, rawPages: rawPages, pages: pages, passages: passages,
      normalization: report, warnings: warnings)
  }

  /// The document's id (file name without extension), content hash and size.
  private func identify(_ path: String) throws(ExtractionFailure) -> SourceDocument {
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
      hasher.update([UInt8](chunk))
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

  private func pdfPages(_ path: String, password: String?, warnings: inout [String])
    throws(ExtractionFailure) -> [Page]
  {
    let file: PDFFile
    do { file = try PDFFile(path: path, password: password) } catch {
      throw ExtractionFailure(path: path, problem: error)
    }
    var pages: [Page] = []
    var unreadable: [Int] = []
    for number in 1...max(1, file.pageCount) where file.pageCount > 0 {
      if let page = file.page(number) {
        pages.append(page)
      } else {
        unreadable.append(number)
        pages.append(Page(number: number, lines: []))
      }
    }
    let withText = pages.filter { !$0.lines.isEmpty }.count
    if file.pageCount == 0 || withText == 0 {
      if file.isTruncated { throw ExtractionFailure(path: path, problem: .truncated) }
      throw ExtractionFailure(
        path: path, category: "no-text",
        reason: "no text layer: none of its \(file.pageCount) pages has extractable text "
          + "(a scanned PDF needs OCR first)")
    }
    if file.isTruncated {
      warnings.append(
        "truncated: the file ends before the PDF's end-of-file marker; "
          + "\(withText) of \(file.pageCount) pages could be read")
    }
    if !unreadable.isEmpty {
      warnings.append("damaged pages: \(Self.describe(unreadable)) could not be read")
    }
    let empty = pages.filter { $0.lines.isEmpty }.map(\.number).filter {
      !unreadable.contains($0)
    }
    if !empty.isEmpty {
      warnings.append("no text layer on page\(empty.count == 1 ? "" : "s") \(Self.describe(empty))")
    }
    return pages
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
