import CompactCoding
import Foundation
import Hashing
import TestSupport
import Testing

@testable import Pipeline

/// A cache entry damaged on disk is a miss: the run goes on, gives what an uncached run gives,
/// says in run.json which entries it found damaged, and writes them anew.
@Suite("Damaged cache entries")
struct CacheDamageTests {
  /// The ways an entry is damaged here, applied to the file's bytes.
  enum Damage: CaseIterable {
    /// Cut inside the header line.
    case cutInHeader
    /// Cut half-way through the body.
    case cutInBody
    /// The last byte missing.
    case lastByteMissing
    /// As many random bytes as the entry had.
    case randomBytes
    /// A body whose first container claims 2^32 - 1 entries, under a checksum that holds:
    /// the decoder itself must refuse it.
    case hugeContainerCount
    /// A body whose first string claims a length of 2^62 bytes, under a checksum that holds.
    case hugeStringLength
    /// A body that is not the type stored there, under a checksum that holds.
    case otherValue

    func apply(to entry: Data) throws -> Data {
      let header = EntryFile.headerLength
      switch self {
      case .cutInHeader: return entry.prefix(10)
      case .cutInBody: return entry.prefix(header + (entry.count - header) / 2)
      case .lastByteMissing: return entry.dropLast()
      case .randomBytes:
        var generator = SeededGenerator(seed: UInt64(entry.count))
        return Data((0..<entry.count).map { _ in UInt8.random(in: 0...255, using: &generator) })
      case .hugeContainerCount:
        var body = [UInt8](entry.dropFirst(header))
        for index in 5..<9 { body[index] = 0xFF }
        return EntryFile.framed(Data(body))
      case .hugeStringLength:
        var body = [UInt8](entry.dropFirst(header))
        // A string value: its tag (6), its length (under 128) and that many ASCII letters;
        // the length of the first one is rewritten as the varint of 2^62 (eight continuation
        // bytes of zeros, then 0x40).
        func isString(at index: Int) -> Bool {
          guard body[index] == 6, index + 1 < body.count else { return false }
          let length = Int(body[index + 1])
          guard (1..<0x80).contains(length), index + 2 + length <= body.count else { return false }
          return body[(index + 2)..<(index + 2 + length)].allSatisfy {
            (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
          }
        }
        let at = try #require(body.indices.first(where: isString))
        body.replaceSubrange((at + 1)...(at + 1), with: Array(repeating: 0x80, count: 8) + [0x40])
        return EntryFile.framed(Data(body))
      case .otherValue:
        return EntryFile.framed(try BinaryCoding.encode(["not", "a", "record"]))
      }
    }
  }

  /// A small deterministic generator, so that a failure can be repeated.
  struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state ^ (state >> 29)
    }
  }

  static func inputs(_ out: URL) throws -> [[String: Any]] {
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(read(out, "run.json").utf8)) as? [String: Any])
    return try #require(manifest["inputs"] as? [[String: Any]])
  }

  @Test("Damaged entries of both levels are misses: same outputs as --no-cache, listed in run.json")
  func damagedEntries() throws {
    let input = try folder(CacheTests.fixtures)
    let cache = outputFolder()
    var environment = ProcessInfo.processInfo.environment
    environment["GCMAP_CACHE"] = cache.path
    func run(_ extra: [String] = []) -> URL {
      let out = outputFolder()
      let result = GCMapBinary.run(
        ["run", input.path, "--out", out.path] + extra, environment: environment)
      #expect(result.code == 2, "\(result.error)")  // f.pdf is empty
      return out
    }
    let uncached = run(["--no-cache"])
    let cold = run()
    #expect(try CacheTests.counts(cold) == [6, 0, 0])

    // Every analysis entry damaged, each its own way; two extraction entries too.
    let entries = try Self.inputs(cold).filter { $0["status"] as? String == "processed" }
    #expect(entries.count == 5)
    var expected: [String: [String]] = [:]
    let damages = Damage.allCases
    for (index, entry) in entries.enumerated() {
      let file = try #require(entry["file"] as? String)
      let analysisKey = try #require(entry["analysisKey"] as? String)
      let url = cache.appendingPathComponent("analysis/\(analysisKey).bin")
      let damage = damages[index % damages.count]
      try damage.apply(to: try Data(contentsOf: url)).write(to: url)
      expected[file, default: []].append("analysis")
      if index < 2 {
        let extractionKey = try #require(entry["extractionKey"] as? String)
        let extractionURL = cache.appendingPathComponent("extract/\(extractionKey).bin")
        let other = damages[(index + 5) % damages.count]
        try other.apply(to: try Data(contentsOf: extractionURL)).write(to: extractionURL)
        expected[file, default: []].append("extraction")
      }
    }

    let warm = run()
    #expect(RobustnessTests.dataFiles(warm) == RobustnessTests.dataFiles(uncached))
    // Two documents extracted again, three re-scored from their text, the empty file's failure
    // from the cache.
    #expect(try CacheTests.counts(warm) == [2, 4, 0])
    for entry in try Self.inputs(warm) {
      let file = try #require(entry["file"] as? String)
      let notes = entry["cacheDamage"] as? [String] ?? []
      #expect(
        notes.map { String($0.prefix { $0 != ":" }) }.sorted() == (expected[file] ?? []).sorted(),
        "\(file): \(notes)")
    }

    // The damaged entries were made again: the next run takes everything from the cache.
    let again = run()
    #expect(try CacheTests.counts(again) == [0, 1, 5])
    #expect(RobustnessTests.dataFiles(again) == RobustnessTests.dataFiles(uncached))
  }

  @Test("The decoder refuses forged counts and lengths without trapping")
  func forgedCounts() throws {
    let body = try BinaryCoding.encode(["alpha": ["one", "two"], "beta": ["three"]])
    for damage in [Damage.hugeContainerCount, .hugeStringLength] {
      let damaged = try damage.apply(to: EntryFile.framed(body))
      guard case .success(let forged) = EntryFile.body(of: damaged) else {
        Issue.record("the checksum of a re-framed body does not hold")
        continue
      }
      #expect(throws: DecodingError.self) {
        try BinaryCoding.decode([String: [String]].self, from: forged)
      }
    }
    // Lengths past Int.max and counts past the bytes left.
    let string = Data([6] + Array(repeating: 0xFF, count: 9) + [0x01])
    #expect(throws: DecodingError.self) { try BinaryCoding.decode(String.self, from: string) }
    let array = Data([8, 13, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 3, 2, 3, 4])
    #expect(throws: DecodingError.self) { try BinaryCoding.decode([Int].self, from: array) }
  }
}
