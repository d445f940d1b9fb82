import Foundation

/// What a run learnt about one document, as the report writers need it.
public struct DocumentRecord: Sendable {
  public var source: SourceDocument
  /// The file's path relative to the input folder.
  public var file: String
  public var pageCount: Int
  public var classifications: [Classification]
  public var coverage: DocumentCoverage
  /// Problems that did not stop the analysis, as (category, message).
  public var warnings: [(category: String, message: String)]
  public var metadata: DocumentMetadata
  /// The pages read with OCR, in order.
  public var ocrPages: [Int]

  public init(
    source: SourceDocument, file: String, pageCount: Int, classifications: [Classification],
    coverage: DocumentCoverage, warnings: [(category: String, message: String)],
    metadata: DocumentMetadata = DocumentMetadata(), ocrPages: [Int] = []
  ) {
    self.metadata = metadata
    self.ocrPages = ocrPages
    self.source = source
    self.file = file
    self.pageCount = pageCount
    self.classifications = classifications
    self.coverage = coverage
    self.warnings = warnings
  }

  /// What the reports need of this record: every passage (an analyst may give any of them a
  /// category gcmap missed, and passages.csv lists them all), each with the scores of its
  /// labels and withheld labels only. Coverage is already aggregated, so nothing in the outputs
  /// changes; dropping the other scores keeps a batch's records and cache entries small.
  public func compacted() -> DocumentRecord {
    var compact = self
    compact.classifications = classifications.map { classification in
      let shown = classification.labels + classification.withheld
      var kept = classification
      kept.scores = classification.scores.filter { shown.contains($0.category) }
      return kept
    }
    return compact
  }
}

extension DocumentRecord: Codable {
  private struct WarningEntry: Codable {
    var category: String
    var message: String
  }

  private enum CodingKeys: String, CodingKey {
    case source, file, pageCount, classifications, coverage, warnings, metadata, ocrPages
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      source: try container.decode(SourceDocument.self, forKey: .source),
      file: try container.decode(String.self, forKey: .file),
      pageCount: try container.decode(Int.self, forKey: .pageCount),
      classifications: try container.decode([Classification].self, forKey: .classifications),
      coverage: try container.decode(DocumentCoverage.self, forKey: .coverage),
      warnings: try container.decode([WarningEntry].self, forKey: .warnings).map {
        ($0.category, $0.message)
      },
      metadata: try container.decode(DocumentMetadata.self, forKey: .metadata),
      ocrPages: try container.decode([Int].self, forKey: .ocrPages))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(source, forKey: .source)
    try container.encode(file, forKey: .file)
    try container.encode(pageCount, forKey: .pageCount)
    try container.encode(classifications, forKey: .classifications)
    try container.encode(coverage, forKey: .coverage)
    try container.encode(
      warnings.map { WarningEntry(category: $0.category, message: $0.message) }, forKey: .warnings)
    try container.encode(metadata, forKey: .metadata)
    try container.encode(ocrPages, forKey: .ocrPages)
  }
}

/// A file that could not be processed, or only in part.
public struct Problem: Sendable, Equatable, Codable {
  public var file: String
  /// A short category: empty, not-pdf, password, truncated, damaged, no-text, unreadable ...
  public var category: String
  public var message: String

  public init(file: String, category: String, message: String) {
    self.file = file
    self.category = category
    self.message = message
  }
}
