import CSVFormat
import Foundation
import GCMapCore

#if canImport(Glibc)
  import Glibc
#endif

/// Writes the run's data files: coverage.csv, coverage.json, passages.csv, regions.csv,
/// problems.csv, and coverage.xlsx with the same tables.
///
/// Deterministic: rows sorted by document id (then page and passage), floats with four
/// decimals, no timestamps; every file is written to a temporary name and renamed, so a
/// reader never sees half a file.
public enum DataFiles {
  /// Writes every data file. `passageRows` gives a document's passages table rows; by default
  /// they are made from the record, a batch passes them back from its `ReportSpool`, with
  /// `passageCSV`, the same rows already written as CSV lines (nil: written from the rows).
  public static func writeAll(
    documents: [DocumentRecord], problems: [Problem], taxonomy: Taxonomy, to folder: URL,
    passageRows: @escaping @Sendable (DocumentRecord) throws -> [[CellValue]] = {
      passageRows($0)
    },
    passageCSV: (@Sendable (DocumentRecord) throws -> [UInt8])? = nil
  ) throws {
    // The CSV lines of a document's passages: as given (already written), or from its rows.
    let passageCSV = passageCSV ?? { Array(CSV.rows(try passageRows($0)).utf8) }
    let sorted = documents.sorted { $0.source.id < $1.source.id }
    let passages = passagesTable(sorted, rows: passageRows)
    // The workbook's Passages sheet: the rows with a label (given, withheld or reviewed);
    // passages.csv also lists the passages without one, which would make the workbook several
    // times larger and slower to write for a spreadsheet reader who filters them out.
    let labelColumns = ["label", "withheld", "review"].compactMap {
      passages.header.firstIndex(of: $0)
    }
    let labelledPassages = passagesTable(sorted) { document in
      try passageRows(document).filter { row in
        labelColumns.contains { row.indices.contains($0) && row[$0] != .text("") }
      }
    }
    // The workbook, the largest file, is written beside the others.
    try Concurrently.run([
      {
        try atomicWrite(
          try coverageTable(sorted, taxonomy).csv(),
          to: folder.appendingPathComponent("coverage.csv"))
        try atomicWrite(
          coverageJSON(sorted, taxonomy), to: folder.appendingPathComponent("coverage.json"))
        let passagesFile = try OutputFile(folder.appendingPathComponent("passages.csv"))
        passagesFile.write(CSV.row(passages.header))
        for document in sorted { passagesFile.write(try passageCSV(document)) }
        try passagesFile.commit()
        try atomicWrite(
          try regionsTable(sorted, taxonomy).csv(),
          to: folder.appendingPathComponent("regions.csv"))
        try atomicWrite(
          problemsCSV(problems.sorted { ($0.file, $0.category) < ($1.file, $1.category) }),
          to: folder.appendingPathComponent("problems.csv"))
      },
      {
        try Workbook.write(
          [
            coverageTable(sorted, taxonomy), presenceTable(sorted, taxonomy),
            countsTable(sorted, taxonomy), labelledPassages, regionsTable(sorted, taxonomy),
          ], to: folder.appendingPathComponent("coverage.xlsx"))
      },
    ])
  }

  /// One row per document; per category: passages, share, strongest score, level.
  /// The metadata columns every matrix carries, then the extra columns of a metadata file.
  static func metadataHeader(_ documents: [DocumentRecord]) -> [String] {
    ["country", "country_name", "region", "sub_region", "year", "language", "title"]
      + extraColumns(documents)
  }

  static func extraColumns(_ documents: [DocumentRecord]) -> [String] {
    Array(Set(documents.flatMap { $0.metadata.extra.keys })).sorted()
  }

  static func metadataFields(_ document: DocumentRecord, extras: [String]) -> [String] {
    let metadata = document.metadata
    return [
      metadata.country, metadata.countryName, metadata.region, metadata.subRegion, metadata.year,
      metadata.language, metadata.title,
    ] + extras.map { metadata.extra[$0] ?? "" }
  }

  /// One row per document; per category: passages, share, strongest score, level.
  public static func coverageTable(_ documents: [DocumentRecord], _ taxonomy: Taxonomy) -> Table {
    let extras = extraColumns(documents)
    var header =
      ["document", "file"] + metadataHeader(documents) + ["sha256", "pages", "passages"]
    for id in taxonomy.ids {
      header += ["\(id)_passages", "\(id)_share", "\(id)_score", "\(id)_level"]
    }
    let rows = documents.map { document -> [CellValue] in
      var row: [CellValue] =
        [.text(document.source.id), .text(document.file)]
        + metadataFields(document, extras: extras).map(CellValue.text)
        + [
          .text(document.source.sha256), .integer(document.pageCount),
          .integer(document.coverage.passageCount),
        ]
      for id in taxonomy.ids {
        let cell = document.coverage.cell(id)
        row += [
          .integer(cell?.passages ?? 0), .decimal(cell?.share ?? 0), .decimal(cell?.strongest ?? 0),
          .text((cell?.level ?? .none).rawValue),
        ]
      }
      return row
    }
    return Table(name: "Matrix", header: header, rows: rows)
  }

  /// 1 where a document addresses a category (addressed or substantive), else 0.
  public static func presenceTable(_ documents: [DocumentRecord], _ taxonomy: Taxonomy) -> Table {
    Table(
      name: "Presence", header: ["document", "country"] + taxonomy.ids,
      rows: documents.map { document in
        [.text(document.source.id), .text(document.metadata.country)]
          + taxonomy.ids.map {
            .integer((document.coverage.cell($0)?.level ?? .none) >= .addressed ? 1 : 0)
          }
      })
  }

  /// Per category: documents at each coverage level, and labelled passages in all.
  public static func countsTable(_ documents: [DocumentRecord], _ taxonomy: Taxonomy) -> Table {
    Table(
      name: "Counts",
      header: ["category", "title"] + CoverageLevel.allCases.map { "documents_\($0.rawValue)" } + [
        "passages"
      ],
      rows: taxonomy.categories.map { category in
        let cells = documents.compactMap { $0.coverage.cell(category.id) }
        return [.text(category.id), .text(category.shortTitle)]
          + CoverageLevel.allCases.map { level in .integer(cells.filter { $0.level == level }.count)
          }
          + [.integer(cells.reduce(0) { $0 + $1.passages })]
      })
  }

  private struct CoverageFile: Encodable {
    struct CategoryInfo: Encodable {
      var id: String
      var kind: String
      var shortTitle: String
      var paragraph: String
    }
    struct Cell: Encodable {
      var passages: Int
      var share: String
      var strongest: String
      var mentions: Int
      var level: String
    }
    struct Row: Encodable {
      var id: String
      var file: String
      var sha256: String
      var pages: Int
      var passages: Int
      var topObjective: String?
      var metadata: DocumentMetadata
      var categories: [String: Cell]
    }
    var categories: [CategoryInfo]
    var levels: [String]
    var documents: [Row]
  }

  public static func coverageJSON(_ documents: [DocumentRecord], _ taxonomy: Taxonomy) throws
    -> String
  {
    let file = CoverageFile(
      categories: taxonomy.categories.map {
        .init(id: $0.id, kind: $0.kind.rawValue, shortTitle: $0.shortTitle, paragraph: $0.paragraph)
      },
      levels: CoverageLevel.allCases.map(\.rawValue),
      documents: documents.map { document in
        var cells: [String: CoverageFile.Cell] = [:]
        for cell in document.coverage.cells {
          cells[cell.category] = .init(
            passages: cell.passages, share: decimal(cell.share), strongest: decimal(cell.strongest),
            mentions: cell.mentions, level: cell.level.rawValue)
        }
        return .init(
          id: document.source.id, file: document.file, sha256: document.source.sha256,
          pages: document.pageCount, passages: document.coverage.passageCount,
          topObjective: taxonomy.topObjective(document.coverage),
          metadata: document.metadata,
          categories: cells)
      })
    return try JSONText.encode(file)
  }

  /// One row per passage × label, with the scores and the terms behind it; each document's
  /// rows come from `rows`, one document at a time.
  public static func passagesTable(
    _ documents: [DocumentRecord],
    rows: @escaping @Sendable (DocumentRecord) throws -> [[CellValue]] = { passageRows($0) }
  ) -> Table {
    Table(
      name: "Passages",
      header: [
        "document", "country", "page", "end_page", "passage", "language", "source",
        "ocr_confidence", "part", "label",
        "withheld", "score", "keyword", "tfidf", "mention", "heading", "document_share",
        "relevance", "subject_words", "subject_density",
        "apparatus", "terms",
        "mentions", "closest_action", "action_similarity", "subject_from", "apparatus_cues",
        "heading_text", "review", "text",
      ]
    ) { emit in
      for document in documents {
        for row in try rows(document) { try emit(row) }
      }
    }
  }

  /// A document's rows of the passages table: one per label, for report apparatus one per
  /// withheld label (its `label` empty, `withheld` naming it, `part` "apparatus"), one per
  /// label an analyst rejected (`review` "rejected": it counts for nothing), and one row with
  /// no label for a passage without any, so that every passage of the document is listed.
  public static func passageRows(_ document: DocumentRecord) -> [[CellValue]] {
    var rows: [[CellValue]] = []
    for classification in document.classifications {
      let passage = classification.passage
      let part = classification.part
      let labelled = classification.labels.map { ($0, $0, "") }
      let withheld = classification.withheld.map { ($0, "", $0) }
      let rejected = classification.rejected.map { ($0, $0, "") }
      func row(label: String, held: String, _ score: CategoryScore?, review: ReviewMark?)
        -> [CellValue]
      {
        let terms = Array(Set((score?.terms ?? []).map(\.term))).sorted().joined(separator: "; ")
        let mentions = (score?.mentions ?? []).map(\.text).joined(separator: "; ")
        let scoreCells: [CellValue] =
          score.map {
            [
              .decimal($0.combined), .decimal($0.keyword), .decimal($0.tfidf),
              .decimal($0.mention), .decimal($0.heading), .decimal($0.document),
            ]
          } ?? Array(repeating: .text(""), count: 6)
        return [
          .text(document.source.id), .text(document.metadata.country), .integer(passage.page),
          .integer(passage.endPage), .text(passage.id), .text(classification.language),
          .text(passage.ocrConfidence == nil ? "text" : "ocr"),
          passage.ocrConfidence.map { .decimal($0) } ?? .text(""), .text(part), .text(label),
          .text(held),
        ] + scoreCells + [
          .decimal(classification.relevance),
          .integer(classification.subjectWords), .decimal(classification.subjectDensity),
          .decimal(classification.apparatusScore), .text(terms),
          .text(mentions), .text(score?.closestAction ?? ""),
          score?.closestAction == nil ? .text("") : .decimal(score?.actionSimilarity ?? 0),
          .text(classification.subjectSource),
          .text(classification.apparatusCues.joined(separator: "; ")),
          .text(passage.heading ?? ""), .text(review?.rawValue ?? ""), .text(passage.text),
        ]
      }
      for (category, label, held) in labelled + withheld {
        let score = classification.score(category)
        rows.append(row(label: label, held: held, score, review: score?.review))
      }
      for (category, label, held) in rejected {
        rows.append(
          row(label: label, held: held, classification.score(category), review: .rejected))
      }
      if labelled.isEmpty && withheld.isEmpty && rejected.isEmpty {
        rows.append(row(label: "", held: "", nil, review: nil))
      }
    }
    return rows
  }

  /// A group of documents for the regions table: a region, or a sub-region within one.
  public struct RegionRow: Sendable, Equatable {
    public var level: String
    public var region: String
    public var subRegion: String
    public var documents: Int
    /// Per category id: documents that address it (level addressed or substantive).
    public var addressing: [String: Int]
  }

  /// Regions and sub-regions × categories: how many documents address each category. Documents
  /// whose country is unknown form the region "unknown".
  public static func regionRows(_ documents: [DocumentRecord], _ taxonomy: Taxonomy) -> [RegionRow]
  {
    func row(_ level: String, _ region: String, _ subRegion: String, _ members: [DocumentRecord])
      -> RegionRow
    {
      var addressing: [String: Int] = [:]
      for id in taxonomy.ids {
        addressing[id] =
          members.filter { ($0.coverage.cell(id)?.level ?? .none) >= .addressed }.count
      }
      return RegionRow(
        level: level, region: region, subRegion: subRegion, documents: members.count,
        addressing: addressing)
    }
    var rows: [RegionRow] = [row("all", "all", "", documents)]
    let byRegion = Dictionary(grouping: documents) {
      $0.metadata.region.isEmpty ? "unknown" : $0.metadata.region
    }
    for region in byRegion.keys.sorted() {
      let members = byRegion[region] ?? []
      rows.append(row("region", region, "", members))
      let bySub = Dictionary(grouping: members) { $0.metadata.subRegion }
      for sub in bySub.keys.sorted() where !sub.isEmpty {
        rows.append(row("sub-region", region, sub, bySub[sub] ?? []))
      }
    }
    return rows
  }

  public static func regionsTable(_ documents: [DocumentRecord], _ taxonomy: Taxonomy) -> Table {
    Table(
      name: "Regions", header: ["level", "region", "sub_region", "documents"] + taxonomy.ids,
      rows: regionRows(documents, taxonomy).map { row in
        [.text(row.level), .text(row.region), .text(row.subRegion), .integer(row.documents)]
          + taxonomy.ids.map { .integer(row.addressing[$0] ?? 0) }
      })
  }

  public static func problemsCSV(_ problems: [Problem]) -> String {
    ([CSV.row(["file", "category", "message"])]
      + problems.map {
        CSV.row([$0.file, $0.category, $0.message].map(CSV.spreadsheetSafe))
      }).joined()
  }

  /// Four decimals, the same on every machine.
  ///
  /// Scores are rounded to four decimals already: such a value is written from its integer
  /// ten-thousandths, which gives printf's digits without its cost; any other value goes
  /// through `String(format: "%.4f")`.
  public static func decimal(_ value: Double) -> String {
    let scaled = value * 10_000
    let units = scaled.rounded()
    guard abs(scaled - units) < 1e-6, abs(units) < 1e15 else {
      return String(format: "%.4f", value)
    }
    let whole = Int64(units)
    let magnitude = whole.magnitude
    let fraction = String(magnitude % 10_000)
    let sign = whole < 0 ? "-" : (value.sign == .minus ? "-" : "")
    return sign + String(magnitude / 10_000) + "."
      + String(repeating: "0", count: 4 - fraction.count) + fraction
  }

  /// Writes `text` to a temporary file beside `url`, then renames it into place (see
  /// `OutputFile`).
  public static func atomicWrite(_ text: String, to url: URL) throws {
    let file = try OutputFile(url)
    file.write(text)
    try file.commit()
  }
}

extension CSV {
  /// Rows of cell values as CSV lines; text cells are neutralized for spreadsheets.
  public static func rows(_ rows: [[CellValue]]) -> String {
    var out = ""
    for row in rows { out += self.row(row.map(\.csv)) }
    return out
  }
}

/// Pretty, key-sorted JSON: the same bytes for the same data.
public enum JSONText {
  public static func encode<Value: Encodable>(_ value: Value) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
  }
}
