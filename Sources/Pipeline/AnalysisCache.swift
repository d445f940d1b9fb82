import Foundation
import GCMapCore
import Reports

/// A folder of earlier results, so that a re-run does not extract or score a file again.
///
/// Two levels, each a file named by a key: `extract/KEY.bin` holds a file's prepared text
/// (passages, first pages, warnings, language), keyed by the file's SHA-256, the extractor and
/// normalizer versions, the word lists and the pipeline's normalization and segmentation
/// settings; `analysis/KEY.bin` holds its compact record, keyed further by the whole corpus
/// (lexicons, taxonomy) and the scoring settings. A changed lexicon or threshold therefore
/// re-scores from the cached text; a changed PDF (new hash) is extracted again, alone.
/// Entries are in `BinaryCoding` (earlier versions wrote JSON, in `.json` files, now unused).
///
/// Entries are written to a temporary name and renamed, so concurrent workers and killed runs
/// never leave half an entry; an unreadable entry counts as a miss. Text of PDFs that needed a
/// password is never stored. Nothing is ever evicted: the folder can be deleted at any time.
public struct AnalysisCache: Sendable {
  /// Bumped when extraction (poppler reading, reading order) changes its output.
  public static let extractorVersion = "1"
  /// Bumped when normalization or segmentation code changes its output.
  public static let normalizerVersion = "1"
  /// Failures that depend on the file's bytes alone, worth remembering.
  static let fileBoundFailures: Set<String> = [
    "empty", "not-pdf", "truncated", "damaged", "no-text", "unreadable-text",
  ]

  public var folder: URL

  public init(folder: URL) {
    self.folder = folder
  }

  /// `--cache DIR`, else `$GCMAP_CACHE`, else `$XDG_CACHE_HOME/gcmap`, else `~/.cache/gcmap`.
  public static func defaultFolder(environment: [String: String]) -> URL {
    if let explicit = environment["GCMAP_CACHE"], !explicit.isEmpty {
      return URL(fileURLWithPath: explicit)
    }
    if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
      return URL(fileURLWithPath: xdg).appendingPathComponent("gcmap")
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return URL(fileURLWithPath: home).appendingPathComponent(".cache/gcmap")
  }

  /// What extraction gave for one file: its prepared text, or a failure bound to its bytes.
  public enum Extraction: Codable, Sendable {
    case text(Analysis.PreparedText)
    case failure(String, String)
  }

  /// The two keys of a file, from its hash and the fingerprints of what produces each level.
  public static func keys(
    sha256: String, extractionFingerprint: String, scoringFingerprint: String
  ) -> (extraction: String, analysis: String) {
    let extraction = SHA256.hex(
      Array(
        "gcmap extraction \(extractorVersion) \(normalizerVersion)\n\(sha256)\n\(extractionFingerprint)"
          .utf8))
    let analysis = SHA256.hex(Array("gcmap analysis\n\(extraction)\n\(scoringFingerprint)".utf8))
    return (extraction, analysis)
  }

  public func extraction(_ key: String) -> Extraction? {
    read(Extraction.self, "extract", key)
  }

  public func record(_ key: String) -> DocumentRecord? {
    read(DocumentRecord.self, "analysis", key)
  }

  func store(_ extraction: Extraction, key: String) {
    write(extraction, "extract", key)
  }

  /// Returns the record's encoding, as written (nil if it could not be encoded).
  @discardableResult
  func store(_ record: DocumentRecord, key: String) -> Data? {
    write(record, "analysis", key)
  }

  private func url(_ level: String, _ key: String) -> URL {
    folder.appendingPathComponent(level).appendingPathComponent(key + ".bin")
  }

  private func read<T: Decodable>(_ type: T.Type, _ level: String, _ key: String) -> T? {
    guard let data = FileManager.default.contents(atPath: url(level, key).path) else { return nil }
    return try? BinaryCoding.decode(type, from: data)
  }

  /// Best effort: a cache that cannot be written (read-only, full disk) only costs time.
  /// Returns the encoded value, written or not.
  @discardableResult
  private func write<T: Encodable>(_ value: T, _ level: String, _ key: String) -> Data? {
    guard let data = try? BinaryCoding.encode(value) else { return nil }
    let target = url(level, key)
    let directory = target.deletingLastPathComponent()
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let temporary = directory.appendingPathComponent(
      ".\(key).\(ProcessInfo.processInfo.processIdentifier).tmp")
    guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
      return data
    }
    if rename(temporary.path, target.path) != 0 {
      try? FileManager.default.removeItem(at: temporary)
    }
    return data
  }
}
