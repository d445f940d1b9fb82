import Foundation
import GCMapCore
import PDFText
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
