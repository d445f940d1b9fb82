import CompactCoding
import Foundation
import GCMapCore
import Hashing
import OCR
import PDFText
import Scoring
import TextProcessing

#if canImport(Glibc)
  import Glibc
#endif

/// A folder of earlier results, so that a re-run does not extract or score a file again.
///
/// Two levels, each a file named by a key: `extract/KEY.bin` holds a file's prepared text
/// (passages, first pages, warnings, language); `analysis/KEY.bin` holds its compact record.
/// Keys are SHA-256 digests of structured `CacheIngredients` (never of display text): the
/// extraction key of the file's content, gcmap's version, the identity of the extraction code
/// (the SHA-256 of its sources, made at build time), the runtime version of poppler, the word
/// lists and the normalization and segmentation settings; the analysis key of the extraction
/// key, the identity of the scoring code, the whole corpus and the scoring settings. A new
/// scorer or lexicon therefore re-scores from the cached text, a new normalizer or poppler
/// extracts again, and a changed PDF (new hash) is extracted again, alone. Nothing stale can
/// be served, whoever forgets to bump a version.
///
/// Entries are written to a temporary name and renamed, so concurrent workers and killed runs
/// never leave half an entry. Each entry starts with the SHA-256 of its body, checked before
/// the body is decoded: an entry damaged on disk (a bad sector, a truncated copy, an edit) is
/// a miss, reported as `damaged` (run.json lists it), re-made and written over. Text of PDFs
/// that needed a password is never stored. Each read touches the entry's modification time, so `prune`
/// removes the least recently used entries first; a run that finds an entry gone in between
/// treats it as a miss.
public struct AnalysisCache: Sendable {
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

  /// The two keys of a file: from its content hash and what makes each level.
  public static func keys(sha256: String, ingredients: CacheIngredients) -> (
    extraction: String, analysis: String
  ) {
    let extraction = digest(
      ExtractionKey(
        level: "extraction", format: CacheIngredients.format, file: sha256,
        gcmapVersion: ingredients.gcmapVersion, code: ingredients.extractionCode,
        engines: ingredients.engines, wordLists: ingredients.wordLists,
        normalization: ingredients.normalization, segmentation: ingredients.segmentation,
        ocr: ingredients.ocr))
    let analysis = digest(
      AnalysisKey(
        level: "analysis", extraction: extraction, code: ingredients.analysisCode,
        corpus: ingredients.corpus, classifier: ingredients.classifier,
        coverage: ingredients.coverage))
    return (extraction, analysis)
  }

  /// What the extraction key is the digest of.
  private struct ExtractionKey: Encodable {
    var level: String
    var format: Int
    var file: String
    var gcmapVersion: String
    var code: String
    var engines: [String: String]
    var wordLists: String
    var normalization: [String]
    var segmentation: Segmenter
    var ocr: OCRSettings
  }

  /// What the analysis key is the digest of.
  private struct AnalysisKey: Encodable {
    var level: String
    var extraction: String
    var code: String
    var corpus: String
    var classifier: ClassifierSettings
    var coverage: CoverageSettings
  }

  /// SHA-256 of a value's canonical JSON (keys sorted; the same value gives the same bytes).
  private static func digest(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Encoding plain strings, numbers and arrays cannot fail; should it, no entry matches.
    let data = (try? encoder.encode(value)) ?? Data(UUID().uuidString.utf8)
    return SHA256.hex([UInt8](data))
  }

  /// What a look-up found: the value, nothing, or an entry that could not be read.
  public enum Lookup<Value> {
    case hit(Value)
    case miss
    /// The entry is there but damaged: why, for run.json. It counts as a miss.
    case damaged(String)

    public var value: Value? {
      if case .hit(let value) = self { return value }
      return nil
    }

    /// "extraction: checksum does not match", for run.json; nil unless damaged.
    func damage(level: String) -> String? {
      if case .damaged(let reason) = self { return "\(level): \(reason)" }
      return nil
    }
  }

  public func extraction(_ key: String) -> Lookup<Extraction> {
    read(Extraction.self, "extract", key)
  }

  public func record(_ key: String) -> Lookup<DocumentRecord> {
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

  private func read<T: Decodable>(_ type: T.Type, _ level: String, _ key: String) -> Lookup<T> {
    let path = url(level, key).path
    guard let data = FileManager.default.contents(atPath: path) else { return .miss }
    let body: Data
    switch EntryFile.body(of: data) {
    case .success(let checked): body = checked
    case .failure(let damage): return .damaged(damage.reason)
    }
    let value: T
    do { value = try BinaryCoding.decode(type, from: body) } catch {
      return .damaged("its value cannot be read (\(error))")
    }
    // Marks the entry as used now, for `prune` (least recently used first).
    _ = utimensat(AT_FDCWD, path, nil, 0)
    return .hit(value)
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
    guard
      FileManager.default.createFile(atPath: temporary.path, contents: EntryFile.framed(data))
    else {
      return data
    }
    if rename(temporary.path, target.path) != 0 {
      try? FileManager.default.removeItem(at: temporary)
    }
    return data
  }
}

/// The layout of one entry file: a header line with the SHA-256 of the body, then the body.
enum EntryFile {
  /// "gcmap-cache 1 " and 64 hex digits, then a line feed.
  static let prefix = Array("gcmap-cache 1 ".utf8)
  static let headerLength = prefix.count + 64 + 1

  struct Damage: Error {
    var reason: String
  }

  static func framed(_ body: Data) -> Data {
    var entry = Data(prefix)
    entry.append(contentsOf: digest(body).utf8)
    entry.append(0x0A)
    entry.append(body)
    return entry
  }

  /// The SHA-256 of `bytes` as hex, read in place.
  private static func digest(_ bytes: Data) -> String {
    var hasher = SHA256()
    bytes.withUnsafeBytes { hasher.update($0) }
    return hasher.finalizeHex()
  }

  /// The body of an entry whose header and checksum hold.
  static func body(of data: Data) -> Result<Data, Damage> {
    guard data.count >= headerLength, data.prefix(prefix.count).elementsEqual(prefix),
      data[data.startIndex + headerLength - 1] == 0x0A
    else { return .failure(Damage(reason: "no entry header (cut short or not an entry)")) }
    let stored = data[(data.startIndex + prefix.count)..<(data.startIndex + headerLength - 1)]
    let body = data.suffix(from: data.startIndex + headerLength)
    guard stored.elementsEqual(digest(body).utf8) else {
      return .failure(Damage(reason: "its checksum does not match (damaged or cut short)"))
    }
    return .success(body)
  }
}

/// Everything a cache entry depends on besides the file itself, each ingredient by name.
///
/// With OCR on, tesseract's version and a digest of its language models join `engines`, and
/// the OCR settings (mode, resolution) the extraction key.
public struct CacheIngredients: Sendable, Equatable, Codable {
  /// The layout of cache entries; changes only with `BinaryCoding` or the stored types,
  /// which the code identities cover too.
  static let format = 4

  public var gcmapVersion: String
  /// SHA-256 of the sources that extraction, normalization and segmentation run through.
  public var extractionCode: String
  /// SHA-256 of the sources that scoring and aggregation run through (the extraction's too).
  public var analysisCode: String
  /// Libraries whose output the text depends on, with the version this process runs.
  public var engines: [String: String]
  /// SHA-256 of the word lists (ligature repair and de-hyphenation read them).
  public var wordLists: String
  /// The normalization stages, in order.
  public var normalization: [String]
  public var segmentation: Segmenter
  /// When and how pages are read with OCR.
  public var ocr: OCRSettings
  /// SHA-256 of every corpus file (taxonomy, lexicons, stop words, countries...).
  public var corpus: String
  public var classifier: ClassifierSettings
  public var coverage: CoverageSettings

  public init(
    gcmapVersion: String, extractionCode: String, analysisCode: String,
    engines: [String: String], wordLists: String, normalization: [String],
    segmentation: Segmenter, ocr: OCRSettings = OCRSettings(), corpus: String,
    classifier: ClassifierSettings, coverage: CoverageSettings
  ) {
    self.ocr = ocr
    self.gcmapVersion = gcmapVersion
    self.extractionCode = extractionCode
    self.analysisCode = analysisCode
    self.engines = engines
    self.wordLists = wordLists
    self.normalization = normalization
    self.segmentation = segmentation
    self.corpus = corpus
    self.classifier = classifier
    self.coverage = coverage
  }

  /// The ingredients of this build of gcmap with this corpus and pipeline.
  public static func current(_ analysis: Analysis) throws -> CacheIngredients {
    let hashes = try analysis.corpus.fileHashes()
    var engines = ["poppler": PDFFile.popplerVersion]
    if analysis.settings.ocr.mode != .off {
      engines["tesseract"] = TextRecognizer.version
      engines["tesseract-models"] = modelsDigest()
    }
    return CacheIngredients(
      gcmapVersion: Pipeline.gcmapVersion, extractionCode: CodeIdentity.extraction,
      analysisCode: CodeIdentity.analysis, engines: engines,
      wordLists: Corpus.combine(hashes.filter { $0.file.hasPrefix("/wordlists/") }),
      normalization: analysis.settings.normalize.map(\.rawValue),
      segmentation: analysis.settings.segmenter, ocr: analysis.settings.ocr,
      corpus: Corpus.combine(hashes),
      classifier: analysis.settings.classifier, coverage: analysis.settings.coverage)
  }
}

extension CacheIngredients {
  /// SHA-256 over tesseract's models as installed (English, French, Spanish, Arabic, Russian,
  /// simplified Chinese, and script detection), each by its size and modification time
  /// ("none" where one is missing): a new model reads pages differently, and a package that
  /// brings one changes both. Reading the models' 26 MB at every run would cost more.
  static func modelsDigest() -> String {
    var hasher = SHA256()
    for file in TextRecognizer.modelFiles(["eng", "fra", "spa", "ara", "rus", "chi_sim", "osd"]) {
      hasher.update(Array(file.name.utf8))
      if let path = file.url?.path,
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
      {
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        hasher.update(Array(" \(size) \(time)".utf8))
      } else {
        hasher.update(Array(" none".utf8))
      }
    }
    return hasher.finalizeHex()
  }
}

extension AnalysisCache {
  /// What the cache holds: entries and bytes, per level.
  public struct Usage: Sendable, Equatable {
    public struct Level: Sendable, Equatable {
      public var entries = 0
      public var bytes = 0
    }
    public var extraction = Level()
    public var analysis = Level()
    /// Files no version of gcmap reads any more (earlier `.json` entries, left-over temporary
    /// files of killed runs).
    public var leftovers = Level()

    public var bytes: Int { extraction.bytes + analysis.bytes + leftovers.bytes }
  }

  /// One file of the cache folder, as `prune` weighs it.
  private struct Entry {
    var path: String
    var bytes: Int
    var used: Date
    var isLeftover: Bool
    var level: String
  }

  private func entries() -> [Entry] {
    var found: [Entry] = []
    for level in ["extract", "analysis"] {
      let directory = folder.appendingPathComponent(level)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
      for name in names {
        let path = directory.appendingPathComponent(name).path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
          attributes[.type] as? FileAttributeType == .typeRegular
        else { continue }
        found.append(
          Entry(
            path: path, bytes: (attributes[.size] as? Int) ?? 0,
            used: (attributes[.modificationDate] as? Date) ?? .distantPast,
            isLeftover: !name.hasSuffix(".bin") || name.hasPrefix("."), level: level))
      }
    }
    return found
  }

  /// Counts what is stored.
  public func usage() -> Usage {
    var usage = Usage()
    for entry in entries() {
      let add: (inout Usage.Level) -> Void = {
        $0.entries += 1
        $0.bytes += entry.bytes
      }
      if entry.isLeftover {
        add(&usage.leftovers)
      } else if entry.level == "extract" {
        add(&usage.extraction)
      } else {
        add(&usage.analysis)
      }
    }
    return usage
  }

  /// Removes entries, least recently used first, until the cache holds at most
  /// `maximumBytes`; files no version reads are removed first (temporary files only once an
  /// hour old: a running worker may be writing one). Returns what was removed.
  ///
  /// Safe while another run uses the cache: an entry is removed with one `unlink`, so a reader
  /// that has opened it reads it whole, and one that comes after finds no entry, which is a
  /// miss (the document is analysed again), never a wrong result.
  @discardableResult
  public func prune(maximumBytes: Int, now: Date = Date()) -> Usage.Level {
    var removed = Usage.Level()
    var kept: [Entry] = []
    for entry in entries() {
      let isTemporary = entry.path.hasSuffix(".tmp")
      if entry.isLeftover && (!isTemporary || now.timeIntervalSince(entry.used) > 3600) {
        if unlink(entry.path) == 0 {
          removed.entries += 1
          removed.bytes += entry.bytes
        }
      } else {
        kept.append(entry)
      }
    }
    var total = kept.reduce(0) { $0 + $1.bytes }
    for entry in kept.sorted(by: { ($0.used, $0.path) < ($1.used, $1.path) }) {
      guard total > maximumBytes else { break }
      if unlink(entry.path) == 0 {
        removed.entries += 1
        removed.bytes += entry.bytes
        total -= entry.bytes
      }
    }
    return removed
  }
}
