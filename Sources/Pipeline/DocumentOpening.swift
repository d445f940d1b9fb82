import Foundation
import GCMapCore
import PDFText

/// Opening a file for extraction: a PDF (with the passwords given) or an extractor's text.
extension DocumentExtraction {
  /// A file's pages as its text layer gives them, before OCR and normalization.
  struct RawDocument {
    var pages: [Page]
    /// The language of the text pages ("" when there are none to tell it by).
    var language: String
    var needsPassword = false
    /// The open PDF, for OCR; nil for a text file.
    var pdf: OpenedPDF?
  }

  /// Opens `path`: a `.txt` file (pages split by form feeds) as it is, else a PDF, tried
  /// without a password, then with each of `passwords`.
  func open(_ path: String, passwords: [String]) throws(ExtractionFailure) -> RawDocument {
    if path.lowercased().hasSuffix(".txt") {
      let pages = try plainTextPages(path)
      return RawDocument(pages: pages, language: language(of: pages))
    }
    let pdf = try openPDF(path, passwords: passwords)
    return RawDocument(
      pages: pdf.pages, language: language(of: pdf.pages), needsPassword: pdf.needsPassword,
      pdf: pdf)
  }

  func plainTextPages(_ path: String) throws(ExtractionFailure) -> [Page] {
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
  struct OpenedPDF {
    var path: String
    var file: PDFFile
    var pages: [Page]
    /// Pages poppler could not load.
    var unloadable: [Int]
    var needsPassword: Bool
  }

  /// Opens a PDF and reads its text layer. An encrypted file is tried without a password,
  /// then with each given one.
  func openPDF(_ path: String, passwords: [String]) throws(ExtractionFailure) -> OpenedPDF {
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
}
