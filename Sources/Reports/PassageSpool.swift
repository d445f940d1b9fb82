import Foundation
import GCMapCore

#if canImport(Glibc)
  import Glibc
#endif

/// The passages.csv rows of a batch's documents, kept on disk from the moment each document is
/// analysed until the reports are written.
///
/// Why: the rows hold every labelled passage's text, the bulk of a run's results; kept in
/// memory they made it grow with the batch. Rows are stored in a compact binary form in one
/// file that is unlinked as soon as it is opened (nothing is left behind, even after
/// `kill -9`), and read back one document at a time. Safe to use from several threads.
public final class PassageSpool: @unchecked Sendable {
  private let lock = NSLock()
  private let descriptor: Int32
  private var end: Int64 = 0
  private var segments: [String: (offset: Int64, length: Int)] = [:]

  /// A spool in `folder` (the output folder: the rows are about as large as passages.csv).
  public init(folder: URL) throws {
    let path = folder.appendingPathComponent(
      ".passages.spool-\(ProcessInfo.processInfo.processIdentifier)"
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

  /// Stores the rows of `document` under its id (a second call for the same id replaces them).
  public func add(_ document: DocumentRecord) throws {
    let bytes = Self.encode(DataFiles.passageRows(document))
    lock.lock()
    defer { lock.unlock() }
    let offset = end
    try bytes.withUnsafeBufferPointer { buffer in
      var done = 0
      while done < buffer.count, let base = buffer.baseAddress {
        let written = pwrite(
          descriptor, base + done, buffer.count - done, off_t(offset) + off_t(done))
        if written < 0 {
          if errno == EINTR { continue }
          throw CocoaError(
            .fileWriteUnknown,
            userInfo: ["reason": "passage spool: \(String(cString: strerror(errno)))"])
        }
        done += written
      }
    }
    end += Int64(bytes.count)
    segments[document.source.id] = (offset, bytes.count)
  }

  /// The rows stored for a document id (none if it has none).
  public func rows(of documentID: String) throws -> [[CellValue]] {
    lock.lock()
    let segment = segments[documentID]
    lock.unlock()
    guard let segment else { return [] }
    var bytes = [UInt8](repeating: 0, count: segment.length)
    try bytes.withUnsafeMutableBufferPointer { buffer in
      var done = 0
      while done < buffer.count, let base = buffer.baseAddress {
        let read = pread(
          descriptor, base + done, buffer.count - done, off_t(segment.offset) + off_t(done))
        if read < 0 && errno == EINTR { continue }
        guard read > 0 else {
          throw CocoaError(.fileReadUnknown, userInfo: ["reason": "passage spool: short read"])
        }
        done += read
      }
    }
    guard let rows = Self.decode(bytes) else {
      throw CocoaError(.fileReadCorruptFile, userInfo: ["reason": "passage spool: bad record"])
    }
    return rows
  }

  // MARK: Binary form: per row a cell count, per cell a tag and its value, little-endian.

  static func encode(_ rows: [[CellValue]]) -> [UInt8] {
    var out: [UInt8] = []
    func append(_ value: UInt64, bytes: Int) {
      for shift in stride(from: 0, to: bytes * 8, by: 8) {
        out.append(UInt8(truncatingIfNeeded: value >> shift))
      }
    }
    append(UInt64(rows.count), bytes: 4)
    for row in rows {
      append(UInt64(row.count), bytes: 4)
      for cell in row {
        switch cell {
        case .text(let text):
          out.append(0)
          append(UInt64(text.utf8.count), bytes: 4)
          out += text.utf8
        case .integer(let value):
          out.append(1)
          append(UInt64(bitPattern: Int64(value)), bytes: 8)
        case .decimal(let value):
          out.append(2)
          append(value.bitPattern, bytes: 8)
        }
      }
    }
    return out
  }

  static func decode(_ bytes: [UInt8]) -> [[CellValue]]? {
    var position = 0
    func read(_ count: Int) -> UInt64? {
      guard position + count <= bytes.count else { return nil }
      var value: UInt64 = 0
      for index in 0..<count { value |= UInt64(bytes[position + index]) << (8 * index) }
      position += count
      return value
    }
    guard let rowCount = read(4) else { return nil }
    var rows: [[CellValue]] = []
    rows.reserveCapacity(Int(rowCount))
    for _ in 0..<rowCount {
      guard let cellCount = read(4) else { return nil }
      var row: [CellValue] = []
      row.reserveCapacity(Int(cellCount))
      for _ in 0..<cellCount {
        guard let tag = read(1) else { return nil }
        switch tag {
        case 0:
          guard let length = read(4).map(Int.init), position + length <= bytes.count else {
            return nil
          }
          row.append(.text(String(decoding: bytes[position..<(position + length)], as: UTF8.self)))
          position += length
        case 1:
          guard let value = read(8) else { return nil }
          row.append(.integer(Int(Int64(bitPattern: value))))
        case 2:
          guard let value = read(8) else { return nil }
          row.append(.decimal(Double(bitPattern: value)))
        default:
          return nil
        }
      }
      rows.append(row)
    }
    return rows
  }
}
