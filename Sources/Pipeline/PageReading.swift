import Foundation
import GCMapCore
import OCR
import PDFText

/// When and how gcmap reads pages with OCR (tesseract), set by `--ocr`.
public struct OCRSettings: Sendable, Equatable, Codable {
  /// auto: pages without a text layer and pages whose text is unreadable (broken font
  /// encodings); force: every page (for a bad hidden text layer); off: none.
  public enum Mode: String, Sendable, Codable, CaseIterable {
    case auto, off, force
  }
  public var mode = Mode.auto
  /// Pixels per inch of the page images tesseract reads.
  public var dpi = 300
  /// Mean word confidence (0–100) under which a page read by OCR is listed in problems.csv
  /// as `ocr-low-confidence` (its text is still used).
  public var lowConfidence = 70.0
  /// Seconds each page to read adds to a document's time limit in a worker.
  public var secondsPerPage = 20.0

  public init() {}
}

/// Where OCR is in a document, for progress on standard error.
public struct OCRProgress: Sendable, Codable, Equatable {
  /// The page being read (1-based), its place among the pages to read, and their number;
  /// page 0 says the reading is over.
  public var page: Int
  public var index: Int
  public var count: Int
}

/// Reads chosen pages of an open PDF with OCR: renders each with poppler, hands the image to
/// tesseract in memory, and returns pages of lines marked with their confidence.
struct PageReader {
  var settings: OCRSettings

  /// The pages `settings.mode` says to read: every page (force), or those without text and
  /// those whose characters are mostly private-use or replacement codes (auto). Pages poppler
  /// could not load are left out (they cannot be rendered either), and so are `skip`: pages
  /// that took too long to render before (see `WorkerPool`).
  func pagesToRead(_ pages: [Page], unloadable: [Int], skip: [Int] = []) -> [Int] {
    let candidates = pages.filter { !unloadable.contains($0.number) && !skip.contains($0.number) }
    switch settings.mode {
    case .off: return []
    case .force: return candidates.map(\.number)
    case .auto:
      return candidates.filter { $0.lines.isEmpty || Self.hasBrokenCodes($0) }.map(\.number)
    }
  }

  /// True when most of a page's characters are codes no text uses (a broken font encoding).
  static func hasBrokenCodes(_ page: Page) -> Bool {
    DocumentExtraction.TextCounts([page], vocabulary: nil).hasBrokenCodes
  }

  /// The share of its page one image must cover for an empty page of a text document to be
  /// read as a scan.
  static let scanImageShare = 0.5

  /// True when one raster image covers at least `scanImageShare` of page `number`: a
  /// scanned page (an annex printed and scanned, a signed letter) among text pages, rather
  /// than a cover or a diagram. Measured on the benchmark's manuals: their 17 empty pages that
  /// are not blank are vector drawings and small pictures, and none held words for OCR.
  static func looksScanned(_ number: Int, of file: PDFFile) -> Bool {
    (file.largestImageShare(number) ?? 0) >= scanImageShare
  }

  /// True when page `number` drawn at 24 dpi has no dark pixel: nothing to read.
  static func isBlank(_ number: Int, of file: PDFFile) -> Bool {
    guard let preview = file.renderGrey(number, dpi: 24) else { return true }
    return !preview.pixels.contains { $0 < 160 }
  }

  /// Below these a page's OCR reading is taken for a picture without words and dropped: words
  /// of three letters or more, and the mean confidence. Measured on the pictures, logos and
  /// drawings of ../shared/pdf-robustness and ../shared/realistic (at most 4 such words, or a
  /// mean confidence of 0–49) against scanned text pages (72–97).
  static let minimumWords = 5
  static let minimumConfidence = 50.0

  /// The tesseract languages for a document in `language` ("en", "fr", "es"): its own, or
  /// English, French and Spanish together when its text pages did not tell.
  static func languages(for language: String) -> [String] {
    TextRecognizer.code(language).map { [$0] } ?? ["eng", "fra", "spa"]
  }

  /// Reads `numbers` of `file` in `languages`; a page that cannot be rendered comes back
  /// without lines. `progress` hears of each page before it is read.
  func read(
    _ numbers: [Int], of file: PDFFile, languages: [String], recognizers: Recognizers,
    scansOnly: Set<Int> = [], progress: (OCRProgress) -> Void
  ) throws(OCRError) -> [Int: Page] {
    guard !numbers.isEmpty else { return [:] }
    // tesseract is started at the first page that is not blank: a text PDF's empty pages
    // (a manual's blank versos) cost a glance, not its models' memory. Started once per
    // document and set of languages (`recognizers`): loading three models takes a second.
    var started = recognizers.recognizer(languages)
    var read: [Int: Page] = [:]
    for (index, number) in numbers.enumerated() {
      progress(OCRProgress(page: number, index: index + 1, count: numbers.count))
      let dpi = settings.dpi
      guard !scansOnly.contains(number) || Self.looksScanned(number, of: file),
        !Self.isBlank(number, of: file), let image = file.renderGrey(number, dpi: dpi)
      else {
        read[number] = Page(number: number, lines: [])
        continue
      }
      let recognizer: TextRecognizer
      if let started {
        recognizer = started
      } else {
        recognizer = try TextRecognizer(languages: languages)
        started = recognizer
        recognizers.keep(recognizer, for: languages)
      }
      let found = recognizer.recognize(image)
      // A picture read as letters ("5)", "LJ", "Big Di E el LE", a logo) is no text. Chinese,
      // written without spaces, counts a word for every two ideographs.
      let words = found.lines.reduce(0) { count, line in
        let ideographs = line.text.unicodeScalars.count(where: \.isIdeograph)
        return count + line.text.split { !$0.isLetter }.filter { $0.count >= 3 }.count
          + ideographs / 2
      }
      guard words >= Self.minimumWords, (found.meanConfidence ?? 0) >= Self.minimumConfidence
      else {
        read[number] = Page(number: number, lines: [])
        continue
      }
      let toPoints = 72 / Double(dpi)
      read[number] = Page(
        number: number, width: Double(image.width) * toPoints,
        height: Double(image.height) * toPoints, lines: found.lines,
        ocrConfidence: found.meanConfidence.map { ($0 * 10).rounded() / 10 })
    }
    return read
  }
}

/// The tesseract instances a document has started, by their languages: a document read in
/// batches (a probe, then the rest) starts each only once. One document's, one thread's.
final class Recognizers {
  private var started: [[String]: TextRecognizer] = [:]

  func recognizer(_ languages: [String]) -> TextRecognizer? { started[languages] }

  func keep(_ recognizer: TextRecognizer, for languages: [String]) {
    started[languages] = recognizer
  }
}
