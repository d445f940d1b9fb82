import Foundation
import GRDB

/// A problem with a decisions store or file, naming it.
public struct DecisionStoreError: Error, CustomStringConvertible, Equatable {
  public var file: String
  public var message: String

  public init(file: String, message: String) {
    self.file = file
    self.message = message
  }

  public var description: String { "\(file): \(message)" }
}

/// The analysts' decisions in an SQLite file: every decision ever made, as history.
///
/// Nothing is overwritten or deleted; the latest decision on a key (by time, then by order of
/// recording) is the one that applies. The file is marked as gcmap's (SQLite's application
/// id), so that a foreign SQLite file is refused with a clear error instead of being written
/// into. Writes are in WAL mode with `synchronous = FULL`: a decision acknowledged to the
/// browser is on disk, and survives `kill -9` of the server. One connection, serialized: the
/// review server's concurrent requests queue up, none is lost.
public final class DecisionStore: Sendable {
  /// "gcmd" as a big-endian 32-bit number: SQLite's `application_id` of a gcmap store.
  public static let applicationID: Int32 = 0x6763_6D64
  public static let schemaVersion = 1

  public let path: String
  private let queue: DatabaseQueue

  /// Opens the store at `path`, creating it when the file does not exist and `create` is set.
  public init(path: String, create: Bool = true) throws {
    self.path = path
    let exists = FileManager.default.fileExists(atPath: path)
    if !exists && !create {
      throw DecisionStoreError(file: path, message: "no such decisions store")
    }
    if exists {
      try Self.checkHeader(path)
    }
    var configuration = GRDB.Configuration()
    configuration.busyMode = .timeout(10)
    do {
      queue = try DatabaseQueue(path: path, configuration: configuration)
      try queue.writeWithoutTransaction { db in
        try Self.prepare(db, path: path)
      }
    } catch let error as DecisionStoreError {
      throw error
    } catch let error as DatabaseError {
      throw DecisionStoreError(file: path, message: Self.explain(error))
    }
  }

  /// A file that exists must be empty or an SQLite database: anything else is refused before
  /// SQLite sees it.
  private static func checkHeader(_ path: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw DecisionStoreError(file: path, message: "cannot read the file")
    }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: 16)) ?? Data()
    if head.isEmpty { return }
    if head != Data("SQLite format 3\u{0}".utf8) {
      throw DecisionStoreError(
        file: path,
        message: "not an SQLite database (a decisions store is one); nothing was changed")
    }
  }

  private static func prepare(_ db: Database, path: String) throws {
    try db.execute(sql: "PRAGMA journal_mode = WAL")
    try db.execute(sql: "PRAGMA synchronous = FULL")
    let application = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
    let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
    if application == 0 && tables == 0 {
      try db.inTransaction {
        try db.execute(
          sql: """
            CREATE TABLE decisions (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              document_sha256 TEXT NOT NULL,
              passage_hash TEXT NOT NULL,
              category TEXT NOT NULL,
              decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject', 'add', 'change')),
              new_category TEXT,
              reviewer TEXT NOT NULL,
              note TEXT NOT NULL DEFAULT '',
              decided_at TEXT NOT NULL,
              document TEXT NOT NULL DEFAULT '',
              page INTEGER NOT NULL DEFAULT 0,
              excerpt TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX decisions_key ON decisions (document_sha256, passage_hash, category);
            """)
        try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
        return .commit
      }
      return
    }
    guard application == applicationID else {
      throw DecisionStoreError(
        file: path,
        message: "an SQLite database that is not a gcmap decisions store (it holds \(tables) "
          + "other objects); nothing was changed")
    }
    let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
    guard version == schemaVersion else {
      throw DecisionStoreError(
        file: path,
        message: "a decisions store of schema version \(version); this gcmap reads version "
          + "\(schemaVersion)")
    }
  }

  private static func explain(_ error: DatabaseError) -> String {
    switch error.resultCode {
    case .SQLITE_NOTADB, .SQLITE_CORRUPT:
      return "the decisions store is damaged (\(error.message ?? "corrupt")); nothing was changed"
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return "the decisions store is locked by another program"
    case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
      return "cannot open the decisions store for writing (\(error.message ?? "denied"))"
    default:
      return "SQLite error: \(error.message ?? "\(error.resultCode)")"
    }
  }

  private func run<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try queue.write(body)
    } catch let error as DatabaseError {
      throw DecisionStoreError(file: path, message: Self.explain(error))
    }
  }

  /// Records a decision; returns its number in the history. Returns once it is on disk.
  @discardableResult
  public func record(_ decision: Decision) throws -> Int64 {
    try run { db in
      try db.execute(
        sql: """
          INSERT INTO decisions (document_sha256, passage_hash, category, decision, new_category,
            reviewer, note, decided_at, document, page, excerpt)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          decision.documentSHA256, decision.passageHash, decision.category,
          decision.kind.rawValue, decision.newCategory, decision.reviewer, decision.note,
          decision.decidedAt, decision.document, decision.page, decision.excerpt,
        ])
      return db.lastInsertedRowID
    }
  }

  /// Every decision, oldest first (by time, then by order of recording).
  ///
  /// A row that is not a decision (an unknown kind, a missing or mistyped field: a store
  /// edited by hand or by another program) is an error that names the store and the row,
  /// never a guess.
  public func history() throws -> [Decision] {
    let rows = try run { db in
      try Row.fetchAll(db, sql: "SELECT * FROM decisions ORDER BY decided_at, id")
    }
    return try rows.map { row in
      let number: DatabaseValue = row["id"]
      func fail(_ message: String) -> DecisionStoreError {
        DecisionStoreError(file: path, message: "decision row \(number): \(message)")
      }
      func text(_ column: String) throws -> String {
        guard let value = String.fromDatabaseValue(row[column] as DatabaseValue) else {
          throw fail("no text in \(column)")
        }
        return value
      }
      let kindName = try text("decision")
      guard let kind = DecisionKind(rawValue: kindName) else {
        throw fail(
          "decision '\(kindName)' is none of "
            + DecisionKind.allCases.map(\.rawValue).joined(separator: ", "))
      }
      guard let page = Int.fromDatabaseValue(row["page"] as DatabaseValue) else {
        throw fail("no page number")
      }
      return Decision(
        documentSHA256: try text("document_sha256"), passageHash: try text("passage_hash"),
        category: try text("category"), kind: kind,
        newCategory: String.fromDatabaseValue(row["new_category"] as DatabaseValue),
        reviewer: try text("reviewer"), note: try text("note"),
        decidedAt: try text("decided_at"), document: try text("document"), page: page,
        excerpt: try text("excerpt"))
    }
  }

  /// The decision that applies for each key: the latest.
  public func latest() throws -> [Decision] {
    Self.latest(try history())
  }

  /// The latest decision of each key in `history` (oldest first), sorted by key.
  public static func latest(_ history: [Decision]) -> [Decision] {
    var byKey: [DecisionKey: Decision] = [:]
    for decision in history { byKey[decision.key] = decision }
    return byKey.keys.sorted().compactMap { byKey[$0] }
  }
}
