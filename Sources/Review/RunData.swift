import CSVFormat
import CorpusConfiguration
import Decisions
import Foundation

/// What the review page shows of a finished run: its categories, documents with their matrix
/// row, and every passage with gcmap's labels, read from the run's coverage.json and
/// passages.csv (so the page needs neither the PDFs nor the corpus).
struct RunData: Codable, Sendable {
  struct Category: Codable, Sendable {
    var id: String
    var kind: String
    var title: String
  }

  struct Document: Codable, Sendable {
    var id: String
    var sha256: String
    var title: String
    var passages: Int
    /// Category id → coverage level in the run.
    var levels: [String: String]
  }

  struct Label: Codable, Sendable {
    var category: String
    var score: String
    var keyword: String
    var tfidf: String
    var mention: String
    var heading: String
    var terms: [String]
    /// The Compact's action the passage is closest to ("5(c)"), "" if none.
    var closestAction: String
    /// The review mark the run itself applied (a run made with --decisions), else "".
    var review: String
  }

  struct Passage: Codable, Sendable {
    var document: String
    var sha256: String
    var id: String
    var page: Int
    var part: String
    var heading: String
    var hash: String
    var text: String
    var labels: [Label]
  }

  var categories: [Category]
  var documents: [Document]
  var passages: [Passage]

  /// Reads `folder`'s coverage.json and passages.csv; an error names the file.
  static func load(_ folder: String) throws -> RunData {
    let coveragePath = (folder as NSString).appendingPathComponent("coverage.json")
    let passagesPath = (folder as NSString).appendingPathComponent("passages.csv")
    guard let coverageData = FileManager.default.contents(atPath: coveragePath) else {
      throw DecisionStoreError(
        file: coveragePath, message: "no coverage.json: is this the output folder of gcmap run?")
    }
    let coverage: CoverageFile
    do {
      coverage = try JSONDecoder().decode(CoverageFile.self, from: coverageData)
    } catch {
      throw DecisionStoreError(file: coveragePath, message: "not a gcmap coverage.json (\(error))")
    }
    let table: CSVTable
    do {
      table = try CSVTable.load(URL(fileURLWithPath: passagesPath))
    } catch {
      throw DecisionStoreError(file: passagesPath, message: "\(error)")
    }
    for column in ["document", "page", "passage", "part", "label", "score", "terms", "text"]
    where !table.header.contains(column) {
      throw DecisionStoreError(file: passagesPath, message: "no column \(column)")
    }
    let shaByDocument = Dictionary(
      coverage.documents.map { ($0.id, $0.sha256) }, uniquingKeysWith: { first, _ in first })
    var passages: [Passage] = []
    var indexByID: [String: Int] = [:]
    for row in table.rows {
      // Text cells come back as written: passages.csv neutralizes formula openings.
      func field(_ name: String) -> String { CSV.spreadsheetPlain(row[name] ?? "") }
      let id = field("passage")
      if indexByID[id] == nil {
        indexByID[id] = passages.count
        let text = field("text")
        passages.append(
          Passage(
            document: field("document"), sha256: shaByDocument[field("document")] ?? "",
            id: id, page: Int(field("page")) ?? 0, part: field("part"),
            heading: field("heading_text"), hash: PassageHash.of(text), text: text, labels: []))
      }
      let label = field("label")
      guard !label.isEmpty, let index = indexByID[id] else { continue }
      passages[index].labels.append(
        Label(
          category: label, score: field("score"), keyword: field("keyword"),
          tfidf: field("tfidf"), mention: field("mention"), heading: field("heading"),
          terms: field("terms").split(separator: ";").map {
            $0.trimmingCharacters(in: .whitespaces)
          }.filter { !$0.isEmpty }, closestAction: field("closest_action"),
          review: field("review")))
    }
    return RunData(
      categories: coverage.categories.map {
        Category(id: $0.id, kind: $0.kind, title: $0.shortTitle)
      },
      documents: coverage.documents.map { document in
        Document(
          id: document.id, sha256: document.sha256,
          title: document.metadata?.title ?? document.id, passages: document.passages,
          levels: document.categories.mapValues(\.level))
      },
      passages: passages)
  }

  /// The parts of coverage.json the page needs.
  private struct CoverageFile: Decodable {
    struct Category: Decodable {
      var id: String
      var kind: String
      var shortTitle: String
    }
    struct Cell: Decodable {
      var level: String
    }
    struct Metadata: Decodable {
      var title: String?
    }
    struct Document: Decodable {
      var id: String
      var sha256: String
      var passages: Int
      var metadata: Metadata?
      var categories: [String: Cell]
    }
    var categories: [Category]
    var documents: [Document]
  }
}
