import Foundation
import GCMapCore
import Pipeline
import Reports
import TestSupport
import Testing

@Suite("Reviews in Arabic, Russian and Chinese are classified in their language")
struct UNLanguageClassificationTests {
  let analysis: Analysis

  init() throws {
    analysis = try Analysis.shipped()
  }

  func record(_ name: String, in analysis: Analysis? = nil) throws -> DocumentRecord {
    var timings = Analysis.Timings()
    return try (analysis ?? self.analysis).analyze(
      path: UNLanguagePages.pdf(name), id: name, file: name + ".pdf", timings: &timings)
  }

  /// One page per objective, none naming its objective by number, as the development set's
  /// documents: the page's top objective is its own on at least 90% of pages.
  @Test("Each page's top objective is its own on nine pages in ten", arguments: ["ar", "ru", "zh"])
  func ownObjective(language: String) throws {
    var misses: [String] = []
    for number in 1...23 {
      let found = try record(String(format: "objectives-%@-%02d", language, number))
      #expect(found.metadata.language == language)
      #expect(found.classifications.allSatisfy { $0.language == language })
      let top = analysis.taxonomy.topObjective(found.coverage)
      let own = String(format: "O%02d", number)
      if top != own { misses.append("\(own) → \(top ?? "none")") }
    }
    #expect(misses.count * 10 <= 23, "\(language): \(misses)")
  }

  @Test(
    "A scanned page is read by OCR and gets its text version's top objective",
    arguments: ["ar-page", "ru-page", "zh-page"])
  func scannedPage(name: String) throws {
    let text = try record(name)
    let scan = try record(name + "-scan300")
    #expect(scan.ocrPages == [1])
    let top = analysis.taxonomy.topObjective(text.coverage)
    #expect(top != nil)
    #expect(analysis.taxonomy.topObjective(scan.coverage) == top)
  }

  @Test("A page in four languages is scored paragraph by paragraph, each in its own")
  func mixedPage() throws {
    // Each paragraph a passage of its own (the pipeline joins paragraphs under 25 words).
    let found = try record("mixed", in: try Analysis.shipped(minimumWords: 6))
    let scored = found.classifications.filter { !$0.labels.isEmpty }
    #expect(scored.map(\.language) == ["ar", "ru", "zh", "en"])
    #expect(scored.map { $0.labels.first } == ["O10", "O14", "O20", "O18"])
    // evidence.md sets the Arabic quote right to left, and only that one.
    let markdown = EvidenceMarkdown.render([found], taxonomy: analysis.taxonomy)
    #expect(markdown.contains("> <span dir=\"rtl\">عززت الخطة الوطنية"))
    #expect(markdown.components(separatedBy: "dir=\"rtl\"").count == 2)
  }
}
