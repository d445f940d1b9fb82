import CSVFormat
import CorpusConfiguration
import Foundation
import GCMapCore
import Scoring
import TextProcessing

/// Detects a document's metadata from its first pages: country, title, year, language.
///
/// Title: the largest text on the first page (the first lines, for plain text). Year: the
/// first year from 2015 to 2035 in the title area, else the most frequent on the first page.
/// Language: the document's, identified once on its first five pages ("" if none stands out).
/// Country: `CountryDetector`.
public struct MetadataDetector: Sendable {
  public let countries: CountryTable
  private let detector: CountryDetector

  public init(countries: CountryTable) {
    self.countries = countries
    detector = CountryDetector(table: countries)
  }

  /// How many leading pages detection reads; the rest of a document does not change it.
  public static let pagesRead = 5

  /// `language` is the document's, as identified on its text once (see `DocumentExtraction`).
  public func detect(_ pages: [Page], language: String) -> DocumentMetadata {
    var metadata = DocumentMetadata()
    if let country = detector.detect(pages).country {
      metadata.country = country.iso3
      metadata.countryName = country.name
      metadata.region = country.region
      metadata.subRegion = country.subRegion
      metadata.countrySource = "detected"
    }
    metadata.title = Self.title(pages.first)
    metadata.year = Self.year(pages.first)
    metadata.language = language
    return metadata
  }

  static func title(_ page: Page?) -> String {
    guard let page, !page.lines.isEmpty else { return "" }
    let largest = page.lines.compactMap(\.fontSize).max()
    let lines: [TextLine]
    if let largest {
      // The run of lines in the largest type, where it first appears.
      let start = page.lines.firstIndex { ($0.fontSize ?? 0) >= largest * 0.95 } ?? 0
      lines = Array(page.lines[start...].prefix { ($0.fontSize ?? 0) >= largest * 0.95 }.prefix(4))
    } else {
      lines = Array(page.lines.prefix(1))
    }
    let text = lines.map(\.text).joined(separator: " ")
    return text.count > 200 ? String(text.prefix(200)) + "…" : text
  }

  static func year(_ page: Page?) -> String {
    guard let page else { return "" }
    func years(_ text: String) -> [String] {
      text.matches(of: #/\b(20[1-3]\d)\b/#).map { String($0.output.1) }
        .filter { (2015...2035).contains(Int($0) ?? 0) }
    }
    if let first = years(page.lines.prefix(15).map(\.text).joined(separator: " ")).first {
      return first
    }
    let counts = Dictionary(grouping: years(page.text), by: { $0 }).mapValues(\.count)
    return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? ""
  }
}

/// A `--metadata` file: one row per document file, overriding what detection found.
///
/// Columns: `file` (the PDF's name or path under the input folder) and any of `country` (ISO
/// code or name in English, French or Spanish), `year`, `language`, `title`; every other
/// column is carried into the outputs as it is.
public struct MetadataFile: Sendable {
  public let rows: [String: [String: String]]
  public let extraColumns: [String]
  public let file: String

  public static let knownColumns = ["file", "country", "year", "language", "title"]

  public init(_ url: URL, countries: CountryTable) throws {
    let table = try CSVTable.load(url)
    guard table.header.contains("file") else {
      throw ConfigurationError(
        file: url.path, line: 1, message: "the metadata file needs a \"file\" column")
    }
    var rows: [String: [String: String]] = [:]
    for (row, line) in zip(table.rows, table.lines) {
      guard let name = row["file"], !name.isEmpty else {
        throw ConfigurationError(file: url.path, line: line, message: "a row without a file name")
      }
      if let country = row["country"], !country.isEmpty, countries.find(country) == nil {
        throw ConfigurationError(
          file: url.path, line: line, message: "unknown country \"\(country)\"")
      }
      rows[name] = row
    }
    self.rows = rows
    extraColumns = table.header.filter { !Self.knownColumns.contains($0) }.sorted()
    file = url.path
  }

  /// The row for a document, found by its path under the input folder or its file name.
  public func row(for relativePath: String) -> [String: String]? {
    rows[relativePath] ?? rows[URL(fileURLWithPath: relativePath).lastPathComponent]
  }

  /// `detected` with this file's values put over it.
  public func apply(to detected: DocumentMetadata, relativePath: String, countries: CountryTable)
    -> DocumentMetadata
  {
    guard let row = row(for: relativePath) else { return detected }
    var metadata = detected
    if let value = row["country"], !value.isEmpty, let country = countries.find(value) {
      metadata.country = country.iso3
      metadata.countryName = country.name
      metadata.region = country.region
      metadata.subRegion = country.subRegion
      metadata.countrySource = "metadata file"
    }
    if let value = row["year"], !value.isEmpty { metadata.year = value }
    if let value = row["language"], !value.isEmpty { metadata.language = value }
    if let value = row["title"], !value.isEmpty { metadata.title = value }
    for column in extraColumns { metadata.extra[column] = row[column] ?? "" }
    return metadata
  }
}
