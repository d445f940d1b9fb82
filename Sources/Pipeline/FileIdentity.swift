import Foundation
import GCMapCore
import Hashing

/// What identifies a file: its name, the SHA-256 of its content and its size.
extension DocumentExtraction {
  /// The document's id (file name without extension), content hash and size.
  public static func identify(_ path: String) throws(ExtractionFailure) -> SourceDocument {
    let url = URL(fileURLWithPath: path)
    guard let handle = try? FileHandle(forReadingFrom: url) else {
      let exists = FileManager.default.fileExists(atPath: path)
      throw exists
        ? ExtractionFailure(path: path, category: "unreadable", reason: "cannot read the file")
        : ExtractionFailure(path: path, problem: .fileNotFound)
    }
    defer { try? handle.close() }
    var hasher = SHA256()
    var size = 0
    while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      chunk.withUnsafeBytes { hasher.update($0) }
      size += chunk.count
    }
    let id = url.deletingPathExtension().lastPathComponent
    return SourceDocument(id: id, path: path, sha256: hasher.finalizeHex(), size: size)
  }
}
