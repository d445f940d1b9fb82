import Foundation
import GCMapCore
import Hashing
import TestSupport
import Testing
import TextProcessing

@testable import Pipeline

@Suite("Document extraction")
struct ExtractionTests {
  let extraction: DocumentExtraction = {
    do { return try DocumentExtraction(corpus: Corpus(root: Repository.corpus)) } catch {
      fatalError("cannot load the corpus: \(error)")
    }
  }()

  func twoColumn() throws -> ExtractedText {
    try extraction.run(path: GeneratedFixtures.path("two-column.pdf"))
  }

  @Test("Identifies the document by name, content hash and size")
  func identity() throws {
    let result = try twoColumn()
    #expect(result.source.id == "two-column")
    #expect(result.source.sha256.count == 64)
    let data = try Data(contentsOf: URL(fileURLWithPath: GeneratedFixtures.path("two-column.pdf")))
    #expect(result.source.size == data.count)
    #expect(result.source.sha256 == SHA256.hex([UInt8](data)))
  }

  @Test("No ligature code points, no running headers, footers or page numbers in passages")
  func clean() throws {
    let text = try twoColumn().passages.map(\.text).joined(separator: "\n")
    #expect(!text.unicodeScalars.contains { (0xFB00...0xFB06).contains($0.value) })
    #expect(!text.contains("Voluntary GCM Review 2026"))
    #expect(!text.contains("GCM national review"))
    #expect(!text.contains("Page 2 of 3"))
    for word in [
      "effective", "financial", "office", "flows", "filing", "trafficking", "identified",
    ] {
      #expect(text.contains(word), "\(word) not spelled whole")
    }
  }

  @Test("Line-end hyphens: words joined, real hyphens kept")
  func hyphens() throws {
    let text = try twoColumn().passages.map(\.text).joined(separator: "\n")
    #expect(text.contains("is implemented by the Ministry"))
    #expect(text.contains("the follow-up of the Compact"))
    #expect(text.contains("in a whole-of-government approach"))
    #expect(!text.contains("imple- mented"))
  }

  @Test("Passages follow the columns and pages, each with its heading and page numbers")
  func order() throws {
    let passages = try twoColumn().passages
    let starts = [
      "The Government adopted", "A financial literacy", "Seasonal workers",
      "The Ministry of Interior", "Alternatives to detention", "Border officials",
      "The Government will report",
    ]
    #expect(passages.count == starts.count)
    for (passage, start) in zip(passages, starts) { #expect(passage.text.hasPrefix(start)) }
    #expect(passages[0].heading == "1. Regular pathways and decent work")
    #expect(passages[4].heading == "2. Protection and services")
    // The left column's paragraph runs on into the right column, and page 1 into page 2.
    #expect(passages[1].text.hasSuffix("also shares data with the statistics office."))
    #expect(passages[3].page == 1 && passages[3].endPage == 2)
    #expect(passages[5].page == 2 && passages[5].endPage == 3)
  }

  @Test("Passage offsets point at the passage's text in the normalized page text")
  func offsets() throws {
    let result = try twoColumn()
    let pages = Dictionary(
      uniqueKeysWithValues: result.pages.map { ($0.number, Array($0.text.unicodeScalars)) })
    for passage in result.passages where passage.page == passage.endPage {
      let scalars = try #require(pages[passage.page])
      let span = String(String.UnicodeScalarView(scalars[passage.start..<passage.end]))
      #expect(span.split(whereSeparator: \.isWhitespace).joined(separator: " ") == passage.text)
    }
  }

  @Test("Stray-character ligatures are repaired in a PDF; correct words stay")
  func brokenLigatures() throws {
    let text = try extraction.run(path: GeneratedFixtures.path("broken-ligatures.pdf")).passages
      .map(\.text).joined(separator: " ")
    for word in [
      "International Migration", "submitted", "implementation", "meetings", "platform",
      "draft", "after", "consultation", "Opening", "Eleven", "representatives",
    ] {
      #expect(text.contains(word), "missing \(word)")
    }
  }

  @Test("A plain-text file uses the same normalization, pages split at form feeds")
  func plainText() throws {
    let folder = Scratch.path("gcmap-txt")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("review.txt")
    try "Migra<on na<onal strategy is implemen<ng the Compact.\u{0C}Page two text about migra<on."
      .write(
        to: file, atomically: true, encoding: .utf8)
    let result = try extraction.run(path: file.path)
    #expect(result.pages.count == 2)
    #expect(
      result.passages.first?.text == "Migration national strategy is implementing the Compact.")
  }
}

@Suite("Extraction by language")
struct LanguageExtractionTests {
  let extraction: DocumentExtraction = {
    do { return try DocumentExtraction(corpus: Corpus(root: Repository.corpus)) } catch {
      fatalError("cannot load the corpus: \(error)")
    }
  }()

  @Test("French and Spanish documents are identified and normalized with their own word lists")
  func languages() throws {
    #expect(try extraction.run(path: GeneratedFixtures.path("french-review.pdf")).language == "fr")
    #expect(try extraction.run(path: GeneratedFixtures.path("spanish-review.pdf")).language == "es")
    #expect(try extraction.run(path: GeneratedFixtures.path("two-column.pdf")).language == "en")
  }

  @Test("French words split at a line end are joined with the French vocabulary")
  func frenchHyphenation() throws {
    let folder = Scratch.path("gcmap-fr")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("revue.txt")
    let body = String(
      repeating:
        "Le Gouvernement et les partenaires travaillent pour la protection des migrants dans les pays. ",
      count: 4)
    try
      (body
      + "\nLa straté-\ngie nationale et la coopé-\nration régionale sont des priorités du Gouvernement.")
      .write(to: file, atomically: true, encoding: .utf8)
    let result = try extraction.run(path: file.path)
    #expect(result.language == "fr")
    let text = result.passages.map(\.text).joined(separator: " ")
    #expect(text.contains("La stratégie nationale et la coopération régionale"))
  }
}

@Suite("Word counts for unreadable text")
struct WordCountTests {
  @Test("Words of three letters or more, and the known ones, are counted as written out")
  func scalarsAgree() throws {
    let vocabulary = try Vocabulary.load(
      folder: Repository.corpus.appendingPathComponent("wordlists"), language: "en")
    // Each line's words of three letters or more, written out; the known ones are those the
    // word list holds.
    let lines: [(String, [String])] = [
      (
        "The “national strategy” on migration — adopted in 2024 • reviewed",
        ["The", "national", "strategy", "migration", "adopted", "reviewed"]
      ),
      (
        "Stratégie nationale: coopération, réintégration; Ma\u{301}laga",
        ["Stratégie", "nationale", "coopération", "réintégration", "Ma\u{301}laga"]
      ),
      ("naïve café ‘déjà vu’", ["naïve", "café", "déjà"]),
      ("Łódź and Ørsted’s €5 plan → done ■", ["Łódź", "and", "Ørsted", "plan", "done"]),
      ("x\u{200D}y and migración\u{2028}next", ["and", "migración", "next"]), ("", []),
      ("ab cd ef", []),
      ("governments' and migrants’ rights", ["governments", "and", "migrants", "rights"]),
    ]
    #expect(vocabulary.contains("migration") && !vocabulary.contains("Ørsted"))
    for (line, words) in lines {
      let counted = DocumentExtraction.wordCounts(line, vocabulary)
      #expect(counted.words == words.count, "\(line)")
      #expect(counted.known == words.filter { vocabulary.contains($0) }.count, "\(line)")
    }
  }
}
