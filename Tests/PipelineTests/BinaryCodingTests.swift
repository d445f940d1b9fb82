import CompactCoding
import Foundation
import GCMapCore
import Reports
import Testing

@testable import Pipeline

/// The cache files and the records workers send are in `BinaryCoding`: every value must come
/// back equal, and damaged bytes must be an error, never a wrong value.
@Suite("Binary coding")
struct BinaryCodingTests {
  private enum Shape: Codable, Equatable {
    case point
    case circle(radius: Double)
    case labelled(String, Int?)
  }

  private struct Sample: Codable, Equatable {
    var name: String
    var count: Int
    var negative: Int
    var ratio: Double
    var flag: Bool
    var missing: String?
    var present: Int?
    var small: UInt8
    var wide: UInt64
    var float: Float
    var list: [Int]
    var nested: [[String]]
    var table: [String: Double]
    var shapes: [Shape]
    var level: CoverageLevel
    var empty: [String]
  }

  private static let sample = Sample(
    name: "Migración «sûre» — \"quoted\"\nline\u{0}zero", count: 1 << 40, negative: -12_345,
    ratio: -0.1 + 0.2, flag: true, missing: nil, present: 0, small: 255, wide: .max,
    float: 1.5, list: [0, 1, -1, Int.max, Int.min], nested: [[], ["a"], ["b", ""]],
    table: ["O01": 0.25, "P10": .infinity, "": -0.0],
    shapes: [.point, .circle(radius: 2.5), .labelled("x", nil), .labelled("", 7)],
    level: .substantive, empty: [])

  @Test("Values of every kind come back equal")
  func roundTrip() throws {
    let data = try BinaryCoding.encode(Self.sample)
    #expect(try BinaryCoding.decode(Sample.self, from: data) == Self.sample)
    // Not a NaN-safe equality: NaN is checked by its bits.
    let nan = try BinaryCoding.decode(Double.self, from: try BinaryCoding.encode(Double.nan))
    #expect(nan.isNaN)
  }

  @Test("A document's record and prepared text come back equal")
  func records() throws {
    let record = SpoolTests.record(id: "doc", count: 25)
    let data = try BinaryCoding.encode(record)
    let decodedRecord = try BinaryCoding.decode(DocumentRecord.self, from: data)
    #expect(try JSONText.encode(decodedRecord) == JSONText.encode(record))
    #expect(decodedRecord.classifications.count == 26)
    let page = Page(
      number: 3, width: 595, height: nil,
      lines: [
        TextLine(
          text: "Objective 5", box: Box(x0: 72, y0: 90.5, x1: 300, y1: 104), fontSize: 14,
          isBold: true, startsBlock: true),
        TextLine(text: "plain"),
      ])
    let extraction = AnalysisCache.Extraction.failure("damaged", "damaged PDF (xref)")
    let decoded = try BinaryCoding.decode(
      AnalysisCache.Extraction.self, from: try BinaryCoding.encode(extraction))
    guard case .failure(let category, let reason) = decoded else {
      Issue.record("not a failure: \(decoded)")
      return
    }
    #expect(category == "damaged" && reason == "damaged PDF (xref)")
    #expect(try BinaryCoding.decode(Page.self, from: try BinaryCoding.encode(page)) == page)
  }

  @Test("Lists of strings and numbers have the bytes of any other unkeyed container")
  func listBytes() throws {
    // Tag 8 (unkeyed), its length (15) and count (2), then each string: tag 6, length, bytes.
    #expect(
      [UInt8](try BinaryCoding.encode(["a", "b"])) == [
        8, 15, 0, 0, 0, 2, 0, 0, 0, 6, 1, 97, 6, 1, 98,
      ])
    // The same list inside another container's generic path: an array of optionals.
    let optionals: [String?] = ["a", "b"]
    #expect(try BinaryCoding.encode(optionals) == BinaryCoding.encode(["a", "b"]))
    #expect(try BinaryCoding.decode([Int].self, from: BinaryCoding.encode([3, -4])) == [3, -4])
    #expect(try BinaryCoding.decode([Double].self, from: BinaryCoding.encode([0.5])) == [0.5])
    #expect(throws: DecodingError.self) {
      try BinaryCoding.decode([String].self, from: BinaryCoding.encode([1, 2]))
    }
  }

  @Test("Cut, extended or altered bytes are errors")
  func damaged() throws {
    let data = try BinaryCoding.encode(Self.sample)
    for cut in [1, 2, 9, data.count / 2, data.count - 1] {
      #expect(throws: (any Error).self) {
        try BinaryCoding.decode(Sample.self, from: data.prefix(cut))
      }
    }
    #expect(throws: (any Error).self) {
      try BinaryCoding.decode(Sample.self, from: data + [0])
    }
    var retagged = data
    retagged[0] = 0xFF
    #expect(throws: (any Error).self) { try BinaryCoding.decode(Sample.self, from: retagged) }
    // A value of another type is a type mismatch, not a misread.
    #expect(throws: DecodingError.self) {
      try BinaryCoding.decode([String].self, from: try BinaryCoding.encode([1, 2]))
    }
    #expect(throws: DecodingError.self) {
      try BinaryCoding.decode(UInt8.self, from: try BinaryCoding.encode(300))
    }
  }
}
