import CSVFormat
import Foundation
import Hashing

/// Decisions as CSV, the form in which a team shares them: one row per decision of the history,
/// oldest first. Export then import gives the same history back.
public enum DecisionCSV {
  public static let header = [
    "document_sha256", "passage_hash", "category", "decision", "new_category", "reviewer", "note",
    "decided_at", "document", "page", "excerpt",
  ]

  /// The history as CSV; text cells neutralized for spreadsheets (`CSV.spreadsheetSafe`), as
  /// in the run's data files: the excerpt is PDF text, the note and reviewer an analyst's.
  public static func render(_ history: [Decision]) -> String {
    CSV.row(header)
      + history.map { decision in
        CSV.row(
          [
            decision.documentSHA256, decision.passageHash, decision.category,
            decision.kind.rawValue, decision.newCategory ?? "", decision.reviewer, decision.note,
            decision.decidedAt, decision.document, String(decision.page), decision.excerpt,
          ].map(CSV.spreadsheetSafe))
      }.joined()
  }

  /// Reads decisions, checking every field a decision needs; an error names the file and line.
  public static func parse(_ text: String, file: String) throws -> [Decision] {
    let table: CSVTable
    do {
      table = try CSVTable.parse(text, file: file)
    } catch {
      throw DecisionStoreError(file: file, message: "\(error)")
    }
    let missing = header.filter { !table.header.contains($0) }
    guard missing.isEmpty else {
      throw DecisionStoreError(
        file: file,
        message: "not a decisions file: no column \(missing.joined(separator: ", "))")
    }
    return try zip(table.rows, table.lines).map { row, line in
      func field(_ name: String) -> String { CSV.spreadsheetPlain(row[name] ?? "") }
      func fail(_ message: String) -> DecisionStoreError {
        DecisionStoreError(file: "\(file):\(line)", message: message)
      }
      guard let kind = DecisionKind(rawValue: field("decision")) else {
        throw fail(
          "decision '\(field("decision"))' is none of "
            + DecisionKind.allCases.map(\.rawValue).joined(separator: ", "))
      }
      for name in ["document_sha256", "passage_hash", "category", "reviewer", "decided_at"]
      where field(name).isEmpty {
        throw fail("\(name) is empty")
      }
      guard Decision.isTime(field("decided_at")) else {
        throw fail("decided_at '\(field("decided_at"))' is not a UTC ISO 8601 time")
      }
      let newCategory = field("new_category")
      if kind == .change && newCategory.isEmpty { throw fail("a change needs new_category") }
      return Decision(
        documentSHA256: field("document_sha256"), passageHash: field("passage_hash"),
        category: field("category"), kind: kind,
        newCategory: newCategory.isEmpty ? nil : newCategory, reviewer: field("reviewer"),
        note: field("note"), decidedAt: field("decided_at"), document: field("document"),
        page: Int(field("page")) ?? 0, excerpt: field("excerpt"))
    }
  }

  /// Decisions of a file that is either a store (SQLite) or a CSV export.
  public static func load(_ path: String) throws -> (history: [Decision], hash: String) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DecisionStoreError(file: path, message: "cannot read the file")
    }
    let history: [Decision]
    if data.starts(with: Data("SQLite format 3\u{0}".utf8)) {
      history = try DecisionStore(path: path, create: false).history()
    } else if let text = String(data: data, encoding: .utf8) {
      history = try parse(text, file: path)
    } else {
      throw DecisionStoreError(file: path, message: "neither a decisions store nor UTF-8 CSV")
    }
    // The same decisions give the same hash, from a store or from its export.
    return (history, SHA256.hex(Array(render(history).utf8)))
  }
}

/// What an import did: decisions added, those already there, and the keys on which analysts
/// disagree (their latest decisions differ), for a person to settle.
public struct ImportResult: Sendable {
  public var added = 0
  public var alreadyThere = 0
  public var conflicts: [[Decision]] = []
}

extension DecisionStore {
  /// Adds the decisions of `incoming` the store does not hold yet (the same decision, field for
  /// field, is not recorded twice), then lists the conflicts of the merged history.
  public func importDecisions(_ incoming: [Decision]) throws -> ImportResult {
    var result = ImportResult()
    var known = Set(try history())
    for decision in incoming {
      if known.insert(decision).inserted {
        try record(decision)
        result.added += 1
      } else {
        result.alreadyThere += 1
      }
    }
    result.conflicts = Self.conflicts(try history())
    return result
  }

  /// Keys whose reviewers' latest decisions disagree (a different decision or new category).
  public static func conflicts(_ history: [Decision]) -> [[Decision]] {
    var byKey: [DecisionKey: [String: Decision]] = [:]
    for decision in history { byKey[decision.key, default: [:]][decision.reviewer] = decision }
    return byKey.keys.sorted().compactMap { key in
      guard let latest = byKey[key]?.values.sorted(by: { $0.reviewer < $1.reviewer }),
        Set(latest.map { "\($0.kind.rawValue) \($0.newCategory ?? "")" }).count > 1
      else { return nil }
      return latest
    }
  }
}
