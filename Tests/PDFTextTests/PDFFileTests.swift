import GCMapCore
import TestSupport
import Testing

@testable import PDFText

@Suite("Reading PDFs with poppler")
struct PDFFileTests {
  @Test("Reads every page with 1-based numbers, sizes and lines with geometry")
  func pages() throws {
    let file = try PDFFile(path: GeneratedFixtures.path("two-column.pdf"))
    #expect(file.pageCount == 3)
    #expect(!file.isTruncated)
    let first = try #require(file.page(1))
    #expect(first.number == 1)
    #expect(first.width == 595 && first.height == 842)
    #expect(first.lines.allSatisfy { $0.box != nil && $0.fontSize != nil })
    #expect(file.page(0) == nil && file.page(4) == nil)
  }

  @Test("Two columns come out column by column, not line-interleaved")
  func columns() throws {
    let file = try PDFFile(path: GeneratedFixtures.path("two-column.pdf"))
    let texts = try #require(file.page(1)).lines.map(\.text)
    let leftLast = try #require(
      texts.firstIndex { $0.hasPrefix("in civil society and the private sector") })
    let rightFirst = try #require(
      texts.firstIndex { $0.hasPrefix("also shares data with the statistics") })
    let leftFirst = try #require(
      texts.firstIndex { $0.hasPrefix("The Government adopted a national") })
    let title = try #require(
      texts.firstIndex { $0.hasPrefix("Implementation of the Global Compact") })
    #expect(title < leftFirst && leftFirst < leftLast && leftLast < rightFirst)
  }

  @Test("Ligature glyphs come out as the ligature code points before normalization")
  func ligatureGlyphs() throws {
    let file = try PDFFile(path: GeneratedFixtures.path("two-column.pdf"))
    let text = try #require(file.page(1)).text
    #expect(text.contains("\u{FB01}nancial") && text.contains("e\u{FB00}ective"))
  }

  @Test("Bold headings are marked bold and start a block")
  func bold() throws {
    let file = try PDFFile(path: GeneratedFixtures.path("two-column.pdf"))
    let heading = try #require(
      file.page(1)?.lines.first { $0.text.hasPrefix("1. Regular pathways") })
    #expect(heading.isBold && heading.startsBlock)
  }

  @Test(
    "Bad files fail with a precise reason",
    arguments: [
      ("empty.pdf", PDFProblem.emptyFile), ("not-a-pdf.pdf", .notPDF),
      ("truncated.pdf", .truncated), ("encrypted.pdf", .passwordRequired),
      ("no-such-file.pdf", .fileNotFound),
    ])
  func problems(name: String, problem: PDFProblem) {
    #expect(throws: problem) { try PDFFile(path: GeneratedFixtures.path(name)) }
  }

  @Test("An encrypted file opens with its password and not with another")
  func password() throws {
    let path = GeneratedFixtures.path("encrypted.pdf")
    #expect(throws: PDFProblem.wrongPassword) { try PDFFile(path: path, password: "guess") }
    let file = try PDFFile(path: path, password: "secret")
    #expect(file.pageCount == 3)
    #expect(file.page(2)?.text.contains("Alternatives to detention") == true)
  }

  @Test("A page with no text layer has no lines")
  func imageOnly() throws {
    let file = try PDFFile(path: GeneratedFixtures.path("image-only.pdf"))
    #expect(file.pageCount == 1)
    #expect(file.page(1)?.lines.isEmpty == true)
  }
}
