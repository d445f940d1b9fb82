import CSVFormat
import CorpusConfiguration
import Foundation
import GCMapCore
import Pipeline
import Reports
import TestSupport
import Testing

/// Words of a text, lowercased, for comparing an OCR reading with its source.
private func words(_ text: String) -> [String] {
  text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
}

/// The share of `source`'s words that `read` has in the same order (longest common
/// subsequence over the source's length): OCR word accuracy.
func wordAccuracy(source: String, read: String) -> Double {
  let a = words(source)
  let b = words(read)
  guard !a.isEmpty else { return 0 }
  var previous = [Int](repeating: 0, count: b.count + 1)
  for word in a {
    var current = [0]
    for (index, other) in b.enumerated() {
      current.append(word == other ? previous[index] + 1 : max(previous[index + 1], current[index]))
    }
    previous = current
  }
  return Double(previous[b.count]) / Double(a.count)
}

@Suite("OCR of scanned pages")
struct OCRTests {
  static let languages = ["english", "french", "spanish"]

  /// The passages' text `gcmap extract` prints for a fixture, without its title line.
  static func extracted(_ fixture: String, _ arguments: [String] = []) -> ProcessOutput {
    GCMapBinary.run(["extract", GeneratedFixtures.path(fixture)] + arguments)
  }

  @Test(
    "A scanned review page reads as its text: word accuracy at least 97% at 300 dpi, 93% at 150",
    arguments: languages)
  func accuracy(language: String) throws {
    let source = Self.extracted("\(language)-review.pdf")
    #expect(source.code == 0)
    let text = source.output.split(separator: "\n").dropFirst().joined(separator: "\n")
    for (dpi, floor) in [(300, 0.97), (150, 0.93)] {
      let scan = Self.extracted("\(language)-review-scan\(dpi).pdf")
      #expect(scan.code == 0, "\(scan.error)")
      let read = scan.output.split(separator: "\n").dropFirst().joined(separator: "\n")
      let accuracy = wordAccuracy(source: text, read: read)
      #expect(accuracy >= floor, "\(language) at \(dpi) dpi: \(accuracy)\n\(read)")
    }
  }

  @Test("Each scanned page gets the same top objective as its text version; its passages say ocr")
  func sameObjective() throws {
    let input = outputFolder()
    try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
    for language in Self.languages {
      for name in [
        "\(language)-review", "\(language)-review-scan150", "\(language)-review-scan300",
      ] {
        try FileManager.default.copyItem(
          atPath: GeneratedFixtures.path(name + ".pdf"),
          toPath: input.appendingPathComponent(name + ".pdf").path)
      }
    }
    let out = outputFolder()
    let result = GCMapBinary.run(["run", input.path, "--out", out.path, "--no-cache"])
    #expect(result.code == 0, "\(result.error)")
    #expect(result.error.contains("OCR of page 1 (1 of 1)"))
    let rows = try CSVTable.parse(read(out, "passages.csv"), file: "passages.csv")
    func topLabels(_ document: String) -> [String] {
      rows.rows.filter { $0["document"] == document && $0["label"]?.hasPrefix("O") == true }
        .map { $0["label"] ?? "" }
    }
    for language in Self.languages {
      let text = topLabels("\(language)-review")
      #expect(!text.isEmpty)
      for dpi in [150, 300] {
        let document = "\(language)-review-scan\(dpi)"
        #expect(topLabels(document) == text, "\(document)")
        let scanned = rows.rows.filter { $0["document"] == document }
        #expect(!scanned.isEmpty && scanned.allSatisfy { $0["source"] == "ocr" })
        #expect(scanned.allSatisfy { Double($0["ocr_confidence"] ?? "") ?? 0 > 80 })
      }
      #expect(
        rows.rows.filter { $0["document"] == "\(language)-review" }.allSatisfy {
          $0["source"] == "text" && $0["ocr_confidence"] == ""
        })
    }
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(read(out, "run.json").utf8)) as? [String: Any])
    let counts = try #require(manifest["counts"] as? [String: Any])
    #expect(counts["ocrDocuments"] as? Int == 6 && counts["ocrPages"] as? Int == 6)
    #expect(read(out, "evidence.md").contains("read by OCR, confidence"))
  }

  @Test("--ocr off leaves text PDFs' outputs as they are and reports scans as before")
  func off() throws {
    let input = outputFolder()
    try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
    for name in ["english-review", "french-review", "two-column"] {
      try FileManager.default.copyItem(
        atPath: GeneratedFixtures.path(name + ".pdf"),
        toPath: input.appendingPathComponent(name + ".pdf").path)
    }
    var outputs: [String: URL] = [:]
    for mode in ["off", "auto"] {
      let out = outputFolder()
      let result = GCMapBinary.run([
        "run", input.path, "--out", out.path, "--no-cache", "--ocr", mode,
      ])
      #expect(result.code == 0, "\(result.error)")
      outputs[mode] = out
    }
    let off = try #require(outputs["off"])
    let auto = try #require(outputs["auto"])
    for file in ["coverage.csv", "coverage.json", "passages.csv", "regions.csv", "evidence.md"] {
      #expect(read(off, file) == read(auto, file), "\(file)")
    }
    let scan = Self.extracted("english-review-scan300.pdf", ["--ocr", "off"])
    #expect(scan.code == 2 && scan.output.isEmpty)
    #expect(scan.error.contains("no text layer: its one page has no extractable text"))
  }

  @Test("In a text PDF a scanned page is read, a page of drawing is not")
  func partlyScanned() throws {
    let input = outputFolder()
    try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: GeneratedFixtures.path("partly-scanned.pdf"),
      toPath: input.appendingPathComponent("partly-scanned.pdf").path)
    let out = outputFolder()
    let result = GCMapBinary.run(["run", input.path, "--out", out.path, "--no-cache"])
    #expect(result.code == 0 || result.code == 2, "\(result.error)")
    let rows = try CSVTable.parse(read(out, "passages.csv"), file: "passages.csv").rows
    #expect(rows.contains { $0["page"] == "2" && $0["source"] == "ocr" })
    #expect(rows.filter { $0["page"] == "1" }.allSatisfy { $0["source"] == "text" })
    #expect(read(out, "problems.csv").contains("no text on page 3"))
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(read(out, "run.json").utf8)) as? [String: Any])
    let counts = try #require(manifest["counts"] as? [String: Any])
    #expect(counts["ocrPages"] as? Int == 1)
  }

  @Test("A PDF without pages is told apart from a scan")
  func noPages() {
    let result = Self.extracted("no-pages.pdf")
    #expect(result.code == 2)
    #expect(result.error.contains("no pages: the PDF holds no page at all"), "\(result.error)")
  }

  @Test("Pages OCR read with low confidence are listed, and their text still used")
  func lowConfidence() {
    let pages = [
      Page(number: 1, lines: [TextLine(text: "clear")], ocrConfidence: 95),
      Page(number: 2, lines: [TextLine(text: "blurred")], ocrConfidence: 41.5),
      Page(number: 3, lines: [TextLine(text: "text layer")]),
    ]
    let warnings = DocumentExtraction.lowConfidence(pages, ocr: OCRSettings())
    #expect(warnings.map(\.category) == ["ocr-low-confidence"])
    #expect(warnings.first?.message.contains("page 2 with low confidence") == true)
  }
}
