import Foundation
import GCMapCore
import Pipeline
import Reports
import Scoring
import TestSupport
import Testing
import TextProcessing

@Suite("French and Spanish reviews")
struct LanguageClassificationTests {
  let analysis: Analysis

  init() throws {
    // The fixtures' title line stays a passage of its own, so that passages line up across
    // the three languages and the mixed document.
    analysis = try Analysis.shipped(minimumWords: 6)
  }

  func record(_ fixture: String) throws -> DocumentRecord {
    var timings = Analysis.Timings()
    return try analysis.analyze(
      path: GeneratedFixtures.path(fixture), id: fixture, file: fixture, timings: &timings)
  }

  @Test("French and Spanish documents get the same top objectives as their English counterpart")
  func sameAsEnglish() throws {
    let english = try record("english-review.pdf")
    let tops = english.classifications.map(\.labels.first)
    #expect(tops.suffix(2) == ["O20", "O10"])
    for fixture in ["french-review.pdf", "spanish-review.pdf"] {
      let other = try record(fixture)
      #expect(other.classifications.map(\.labels.first) == tops, "\(fixture)")
      #expect(
        analysis.taxonomy.topObjective(other.coverage)
          == analysis.taxonomy.topObjective(english.coverage))
    }
    #expect(try record("french-review.pdf").classifications.allSatisfy { $0.language == "fr" })
    #expect(try record("spanish-review.pdf").metadata.language == "es")
  }

  @Test("In a mixed document each passage is scored in its own language")
  func mixed() throws {
    let mixed = try record("mixed-review.pdf")
    #expect(mixed.classifications.map(\.language) == ["en", "fr"])
    let english = try record("english-review.pdf").classifications[1]
    let french = try record("french-review.pdf").classifications[2]
    // The same passage has the same evidence in another document; what the document is about
    // (its share, and the ranking it gives the combined score) may differ.
    func own(_ scores: [CategoryScore]) -> [CategoryScore] {
      scores.map {
        var score = $0
        score.document = 0
        score.combined = 0
        return score
      }.sorted { $0.category < $1.category }
    }
    #expect(own(mixed.classifications[0].scores) == own(english.scores))
    #expect(own(mixed.classifications[1].scores) == own(french.scores))
  }

  /// Analyses `paragraph` written six times as a text file.
  func analyzeRepeated(_ paragraph: String, named name: String) throws -> DocumentRecord {
    let folder = Scratch.path("gcmap-\(name)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("review.txt")
    try String(repeating: paragraph + "\n\n", count: 6).write(
      to: file, atomically: true, encoding: .utf8)
    var timings = Analysis.Timings()
    return try analysis.analyze(
      path: file.path, id: "review", file: "review.txt", timings: &timings)
  }

  @Test("A document in a language without lexicons is reported, not classified")
  func otherLanguage() throws {
    let record = try analyzeRepeated(
      """
      Die Regierung hat eine nationale Strategie zum Schutz von Migranten und ihren Familien \
      beschlossen und arbeitet dabei mit der Zivilgesellschaft und den Gewerkschaften zusammen.
      """, named: "de")
    #expect(!record.classifications.isEmpty)
    #expect(record.classifications.allSatisfy { $0.language == "other" && $0.labels.isEmpty })
    #expect(record.warnings.contains { $0.category == "other-language" })
    #expect(record.metadata.language == "other")
  }

  @Test("A Chinese document is scored in Chinese")
  func chinese() throws {
    let record = try analyzeRepeated(
      "政府通过了一项保护移民及其家庭的国家战略，并与民间社会和工会合作。", named: "zh")
    #expect(record.metadata.language == "zh")
    #expect(!record.warnings.contains { $0.category == "other-language" })
    #expect(record.classifications.allSatisfy { $0.language == "zh" })
    #expect(record.classifications.contains { $0.labels.contains("P10") })
  }

  @Test(
    "One-page texts too short for the function-word identifier are read in their own language")
  func shortTexts() throws {
    let expected = [
      "short-english.pdf": "en", "short-french.pdf": "fr", "short-spanish.pdf": "es",
    ]
    for (fixture, language) in expected.sorted(by: { $0.key < $1.key }) {
      let pages = try DocumentExtraction(corpus: analysis.corpus).run(
        path: GeneratedFixtures.path(fixture))
      // What the test is about: the function words name no language for these texts (cld2
      // does; and where it is not sure either, the vocabularies decide).
      let text = pages.rawPages.map(\.text).joined()
      let words = text.split(whereSeparator: \.isWhitespace)
      #expect((60...200).contains(words.count), "\(fixture): \(words.count) words")
      #expect(LanguageIdentifier.byFunctionWords(text, minimumHits: 20) == "", "\(fixture)")
      #expect(LanguageIdentifier.identify(text, minimumHits: 20) == language, "\(fixture)")
      #expect(pages.language == language, "\(fixture)")
      #expect(pages.rawPages.allSatisfy { $0.ocrConfidence == nil }, "\(fixture) went to OCR")
      let record = try record(fixture)
      #expect(record.warnings.isEmpty, "\(fixture): \(record.warnings)")
      #expect(record.classifications.contains { !$0.labels.isEmpty }, "\(fixture)")
    }
  }
}
