import Foundation
import Hashing

/// What an analyst decided about one category of one passage.
///
/// `confirm` and `reject` answer a label gcmap gave; `add` gives a category gcmap missed;
/// `change` replaces the label `category` with `newCategory` (the old label is dropped, the
/// new one included).
public enum DecisionKind: String, Sendable, Hashable, Codable, CaseIterable {
  case confirm, reject, add, change
}

/// An analyst's decision, keyed by what survives a re-run: the document's SHA-256, a hash of
/// the passage's normalized text and the category. A new pipeline or a new gcmap version that
/// cuts the same passage finds it again; one that cuts it differently does not, and the
/// decision is then listed as unmatched, never dropped silently.
///
/// `document`, `page` and `excerpt` are for people reading the store or its CSV; they are not
/// part of the key.
public struct Decision: Sendable, Hashable, Codable {
  public var documentSHA256: String
  public var passageHash: String
  public var category: String
  public var kind: DecisionKind
  /// The category that replaces `category` (`change` only).
  public var newCategory: String?
  public var reviewer: String
  public var note: String
  /// UTC, ISO 8601 with milliseconds ("2026-12-02T05:01:02.123Z"): sorts as text.
  public var decidedAt: String
  public var document: String
  public var page: Int
  public var excerpt: String

  public init(
    documentSHA256: String, passageHash: String, category: String, kind: DecisionKind,
    newCategory: String? = nil, reviewer: String, note: String = "", decidedAt: String,
    document: String = "", page: Int = 0, excerpt: String = ""
  ) {
    self.documentSHA256 = documentSHA256
    self.passageHash = passageHash
    self.category = category
    self.kind = kind
    self.newCategory = newCategory
    self.reviewer = reviewer
    self.note = note
    self.decidedAt = decidedAt
    self.document = document
    self.page = page
    self.excerpt = excerpt
  }

  /// The key a later decision on the same thing replaces.
  public var key: DecisionKey {
    DecisionKey(documentSHA256: documentSHA256, passageHash: passageHash, category: category)
  }

  /// The time now in the store's format.
  public static func now() -> String {
    timeFormatter().string(from: Date())
  }

  /// Whether `decidedAt` is a time in the store's format.
  public static func isTime(_ text: String) -> Bool {
    timeFormatter().date(from: text) != nil
  }

  /// UTC, ISO 8601 with milliseconds. A new one each time: the formatter is not Sendable.
  private static func timeFormatter() -> ISO8601DateFormatter {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter
  }
}

/// Document, passage and category: what a decision is about.
public struct DecisionKey: Sendable, Hashable, Comparable {
  public var documentSHA256: String
  public var passageHash: String
  public var category: String

  public init(documentSHA256: String, passageHash: String, category: String) {
    self.documentSHA256 = documentSHA256
    self.passageHash = passageHash
    self.category = category
  }

  public static func < (a: DecisionKey, b: DecisionKey) -> Bool {
    (a.documentSHA256, a.passageHash, a.category) < (b.documentSHA256, b.passageHash, b.category)
  }
}

/// The hash a passage is known by across runs.
public enum PassageHash {
  /// SHA-256 of the passage's text lower-cased with its whitespace runs folded to one space and
  /// trimmed: a re-run that only reflows lines or changes case keeps the key; a different cut
  /// of the page does not.
  public static func of(_ text: String) -> String {
    let folded = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    return SHA256.hex(Array(folded.utf8))
  }
}
