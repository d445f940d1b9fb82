import Foundation
import TestSupport
import Testing

/// Runs the built `gcmap` executable as a user would.
enum GCMapBinary {
  /// `$GCMAP_TEST_BINARY`, else the gcmap built beside the tests. scripts/test sets it for the
  /// thread-sanitized run, whose own gcmap cannot run workers under an address-space limit.
  static let path: String = {
    if let given = ProcessInfo.processInfo.environment["GCMAP_TEST_BINARY"], !given.isEmpty {
      return given
    }
    var candidates: [URL] = []
    if let executable = Bundle.main.executableURL {
      candidates.append(executable.deletingLastPathComponent())
    }
    candidates.append(Bundle.main.bundleURL)
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
    candidates.append(Repository.root.appendingPathComponent(".build/debug"))
    for folder in candidates {
      let candidate = folder.appendingPathComponent("gcmap").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    fatalError("the gcmap executable was not built next to the tests")
  }()

  static func run(_ arguments: [String], environment: [String: String]? = nil) -> ProcessOutput {
    var environment = environment ?? ProcessInfo.processInfo.environment
    environment["GCMAP_CORPUS"] = environment["GCMAP_CORPUS"] ?? Repository.corpus.path
    // Each run gets a cache of its own, removed afterwards, unless a test shares one on
    // purpose.
    var ownCache: String?
    if environment["GCMAP_CACHE"] == nil {
      let folder = Scratch.path("gcmap-cache").path
      environment["GCMAP_CACHE"] = folder
      ownCache = folder
    }
    defer { if let ownCache { try? FileManager.default.removeItem(atPath: ownCache) } }
    return TestSupport.run(path, arguments, environment: environment)
  }
}

@Suite("gcmap extract")
struct CommandLineTests {
  @Test("Prints passages with their page numbers and headings")
  func text() {
    let result = GCMapBinary.run(["extract", GeneratedFixtures.path("two-column.pdf")])
    #expect(result.code == 0, "\(result.error)")
    #expect(result.output.hasPrefix("# two-column: 3 pages, 7 passages"))
    #expect(result.output.contains("## 1. Regular pathways and decent work"))
    #expect(result.output.contains("[p. 1] The Government adopted a national strategy"))
    #expect(result.output.contains("[pp. 1-2] The Ministry of Interior"))
    #expect(result.error.isEmpty)
  }

  @Test("--json gives pages and passages whose offsets point into the page text")
  func json() throws {
    let result = GCMapBinary.run(["extract", "--json", GeneratedFixtures.path("two-column.pdf")])
    #expect(result.code == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    let pages = try #require(object["pages"] as? [[String: Any]])
    let passages = try #require(object["passages"] as? [[String: Any]])
    #expect(pages.count == 3)
    #expect(passages.count == 7)
    let first = passages[0]
    let pageText = try #require(pages[0]["text"] as? String)
    let start = try #require(first["start"] as? Int)
    let end = try #require(first["end"] as? Int)
    let span = String(String.UnicodeScalarView(Array(pageText.unicodeScalars)[start..<end]))
    #expect(
      span.split(whereSeparator: \.isWhitespace).joined(separator: " ") == first["text"] as? String)
    #expect((object["document"] as? [String: Any])?["sha256"] as? String != nil)
    #expect(
      (object["normalization"] as? [[String: Any]])?.map { $0["stage"] as? String } == [
        "unicode", "letterSpacing", "ligatures", "furniture", "hyphenation", "whitespace",
      ])
  }

  @Test("The same file gives byte-identical JSON twice")
  func deterministic() {
    let once = GCMapBinary.run(["extract", "--json", GeneratedFixtures.path("two-column.pdf")])
    let twice = GCMapBinary.run(["extract", "--json", GeneratedFixtures.path("two-column.pdf")])
    #expect(once.output == twice.output && !once.output.isEmpty)
  }

  @Test("--raw shows the text before normalization")
  func raw() {
    let result = GCMapBinary.run(["extract", "--raw", GeneratedFixtures.path("two-column.pdf")])
    #expect(result.code == 0)
    #expect(result.output.contains("=== page 2"))
    #expect(result.output.contains("\u{FB01}nancial"))
    #expect(result.output.contains("Page 1 of 3"))
  }

  @Test("--password opens an encrypted file")
  func password() {
    let result = GCMapBinary.run([
      "extract", "--password", "secret", GeneratedFixtures.path("encrypted.pdf"),
    ])
    #expect(result.code == 0)
    #expect(result.output.contains("Border officials receive training"))
  }

  @Test(
    "Bad input: one line naming the file and the reason, exit status 2, no crash",
    arguments: [
      ("empty.pdf", "empty file"), ("not-a-pdf.pdf", "not a PDF"), ("truncated.pdf", "truncated"),
      ("encrypted.pdf", "password required"),
      ("image-only.pdf", "no text: its one page has no text layer"),
      ("missing.pdf", "file not found"),
    ])
  func badInput(name: String, reason: String) {
    let path = GeneratedFixtures.path(name)
    let result = GCMapBinary.run(["extract", path])
    #expect(result.code == 2)
    #expect(result.output.isEmpty)
    let lines = result.error.split(separator: "\n")
    #expect(lines.count == 1)
    #expect(lines.first?.hasPrefix("\(path): \(reason)") == true, "\(result.error)")
  }

  @Test("A wrong password is told apart from a missing one")
  func wrongPassword() {
    let result = GCMapBinary.run([
      "extract", "--password", "guess", GeneratedFixtures.path("encrypted.pdf"),
    ])
    #expect(result.code == 2)
    #expect(result.error.contains("wrong password"))
  }

  @Test("A missing corpus is a configuration error: exit status 1")
  func missingCorpus() {
    var environment = ProcessInfo.processInfo.environment
    environment["GCMAP_CORPUS"] = ""
    let result = GCMapBinary.run(
      ["extract", "--corpus", "/nonexistent", GeneratedFixtures.path("two-column.pdf")],
      environment: environment)
    #expect(result.code == 1)
    #expect(result.error.contains("cannot find the Corpus folder"))
  }
}
