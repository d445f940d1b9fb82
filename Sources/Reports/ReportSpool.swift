import CSVFormat
import CompactCoding
import Foundation
import GCMapCore

#if canImport(Glibc)
  import Glibc
#endif

/// What the reports need of each document beyond its coverage, kept on disk from the moment
/// the document is analysed until the reports are written: its passages table rows (as cell
/// values for the workbook, and already written as CSV for passages.csv) and its profile
/// section of report.html.
///
/// Why: those hold every labelled passage's text and the report's quotes, the bulk of a run's
/// results; kept in memory they made a batch grow with its number of documents. Both go to
/// one file that is unlinked as soon as it is opened (nothing is left behind, even after
/// `kill -9`), and are read back one document at a time. The CSV is written as each document
/// arrives, while other documents are still being analysed, so that writing passages.csv at
/// the end is a copy. Safe to use from several threads.
public final class ReportSpool: Sendable {
  private enum Kind: Hashable { case rows, csv, profile }
  private struct Key: Hashable {
    var kind: Kind
    var id: String
  }

  /// Where the file ends, and where each stored segment is.
  private struct Layout {
    var end: Int64 = 0
    var segments: [Key: (offset: Int64, length: Int)] = [:]
  }

  private let descriptor: Int32
  /// Held while a segment is appended, so that segments never overlap.
  private let layout = Locked(Layout())

  /// A spool in `folder` (the output folder: what it holds is about as large as the outputs).
  public init(folder: URL) throws {
    let path = folder.appendingPathComponent(
      ".report.spool-\(ProcessInfo.processInfo.processIdentifier)"
    ).path
    descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw CocoaError(
        .fileWriteUnknown,
        userInfo: [NSFilePathErrorKey: path, "reason": String(cString: strerror(errno))])
    }
    unlink(path)
  }

  deinit {
    close(descriptor)
  }

  /// Stores the passages.csv rows of `document` under its id (again: replaces them).
  public func addRows(of document: DocumentRecord) throws {
    let rows = DataFiles.passageRows(document)
    try store(Self.encode(rows), Key(kind: .rows, id: document.source.id))
    try store(Array(CSV.rows(rows).utf8), Key(kind: .csv, id: document.source.id))
  }

  /// The rows stored for a document id (none if it has none).
  public func rows(of documentID: String) throws -> [[CellValue]] {
    guard let bytes = try load(Key(kind: .rows, id: documentID)) else { return [] }
    guard let rows = Self.decode(bytes) else {
      throw CocoaError(.fileReadCorruptFile, userInfo: ["reason": "report spool: bad rows"])
    }
    return rows
  }

  /// The rows stored for a document id as CSV lines (none if it has none).
  public func csv(of documentID: String) throws -> [UInt8] {
    try load(Key(kind: .csv, id: documentID)) ?? []
  }

  /// Stores a document's profile section of report.html (see `HTMLReport.profile`).
  public func addProfile(_ html: String, of documentID: String) throws {
    try store(Array(html.utf8), Key(kind: .profile, id: documentID))
  }

  /// The profile section stored for a document id, if any.
  public func profile(of documentID: String) throws -> String? {
    try load(Key(kind: .profile, id: documentID)).map { String(decoding: $0, as: UTF8.self) }
  }

  private func store(_ bytes: [UInt8], _ key: Key) throws {
    try layout.withLock { layout in
      let offset = layout.end
      if let reason = bytes.withUnsafeBufferPointer({
        writeFully(descriptor, $0, at: UInt64(offset))
      }) {
        throw CocoaError(.fileWriteUnknown, userInfo: ["reason": "report spool: \(reason)"])
      }
      layout.end += Int64(bytes.count)
      layout.segments[key] = (offset, bytes.count)
    }
  }

  private func load(_ key: Key) throws -> [UInt8]? {
    guard let segment = layout.withLock({ $0.segments[key] }) else { return nil }
    var bytes = [UInt8](repeating: 0, count: segment.length)
    try bytes.withUnsafeMutableBufferPointer { buffer in
      var done = 0
      while done < buffer.count, let base = buffer.baseAddress {
        let read = pread(
          descriptor, base + done, buffer.count - done, off_t(segment.offset) + off_t(done))
        if read < 0 && errno == EINTR { continue }
        guard read > 0 else {
          throw CocoaError(.fileReadUnknown, userInfo: ["reason": "report spool: short read"])
        }
        done += read
      }
    }
    return bytes
  }

  // MARK: Stored form: the rows in `BinaryCoding`, as cache entries and worker records are.

  /// A document's rows in columns: per row its number of cells, per cell its kind (0 text,
  /// 1 integer, 2 decimal), and the values of each kind in order. Why columns: a batch spools
  /// about a million cells, and a container per cell cost a third of a second more than lists
  /// of plain values, which the coder writes and reads directly.
  private struct StoredRows: Codable {
    var widths: [Int] = []
    var kinds: [Int] = []
    var texts: [String] = []
    var integers: [Int] = []
    var decimals: [Double] = []
  }

  static func encode(_ rows: [[CellValue]]) -> [UInt8] {
    var stored = StoredRows()
    stored.widths.reserveCapacity(rows.count)
    for row in rows {
      stored.widths.append(row.count)
      for cell in row {
        switch cell {
        case .text(let text):
          stored.kinds.append(0)
          stored.texts.append(text)
        case .integer(let value):
          stored.kinds.append(1)
          stored.integers.append(value)
        case .decimal(let value):
          stored.kinds.append(2)
          stored.decimals.append(value)
        }
      }
    }
    // Lists of strings and numbers: encoding them cannot fail.
    return [UInt8]((try? BinaryCoding.encode(stored)) ?? Data())
  }

  /// The rows of `bytes`, or nil if they are damaged (counts that do not add up).
  static func decode(_ bytes: [UInt8]) -> [[CellValue]]? {
    guard let stored = try? BinaryCoding.decode(StoredRows.self, from: Data(bytes)) else {
      return nil
    }
    var (text, integer, decimal, kind) = (0, 0, 0, 0)
    var rows: [[CellValue]] = []
    rows.reserveCapacity(stored.widths.count)
    for width in stored.widths {
      guard width >= 0, width <= stored.kinds.count - kind else { return nil }
      var row: [CellValue] = []
      row.reserveCapacity(width)
      for _ in 0..<width {
        switch stored.kinds[kind] {
        case 0 where text < stored.texts.count:
          row.append(.text(stored.texts[text]))
          text += 1
        case 1 where integer < stored.integers.count:
          row.append(.integer(stored.integers[integer]))
          integer += 1
        case 2 where decimal < stored.decimals.count:
          row.append(.decimal(stored.decimals[decimal]))
          decimal += 1
        default:
          return nil
        }
        kind += 1
      }
      rows.append(row)
    }
    guard kind == stored.kinds.count, text == stored.texts.count,
      integer == stored.integers.count, decimal == stored.decimals.count
    else { return nil }
    return rows
  }
}
