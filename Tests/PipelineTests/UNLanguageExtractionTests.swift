import Foundation
import GCMapCore
import Pipeline
import TestSupport
import Testing
import TextProcessing

@Suite("Arabic, Russian and Chinese pages from a real typesetting engine")
struct UNLanguageExtractionTests {
  let corpus = Corpus(root: Repository.corpus)

  /// The words of the HTML's heading and paragraphs, in source (logical) order, folded as for
  /// matching (Arabic short vowels dropped), and of the extracted heading and passages.
  static func words(_ text: String) -> [String] {
    var words: [String] = []
    var current = ""
    for scalar in text.unicodeScalars {
      if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
        current.unicodeScalars.append(scalar)
      } else if !current.isEmpty {
        words.append(Tokenizer.fold(current))
        current = ""
      }
    }
    if !current.isEmpty { words.append(Tokenizer.fold(current)) }
    return words.filter { !$0.isEmpty }
  }

  /// The text of every <h1> and <p> of the fixture's body, tags removed, in order.
  static func sourceText(_ html: String) -> String {
    let body = html.components(separatedBy: "<body>").last ?? html
    var text = ""
    var inTag = false
    for character in body {
      if character == "<" {
        inTag = true
        text.append(" ")
      } else if character == ">" {
        inTag = false
      } else if !inTag {
        text.append(character)
      }
    }
    return UnicodeMapping.nfkc(text)
  }

  func extracted(_ name: String) throws -> (text: String, passages: Int, language: String) {
    let result = try DocumentExtraction(corpus: corpus).run(path: UNLanguagePages.pdf(name))
    let headings = result.passages.compactMap(\.heading)
    let text = ([headings.first].compactMap { $0 } + result.passages.map(\.text))
      .joined(separator: "\n")
    return (text, result.passages.count, result.language)
  }

  @Test(
    "Every word of each page comes out in the source's reading order",
    arguments: ["ar-two-columns", "ar-page", "ru-page", "zh-page"])
  func readingOrder(name: String) throws {
    let source = Self.words(Self.sourceText(try UNLanguagePages.html(name)))
    let found = try extracted(name)
    #expect(!source.isEmpty)
    #expect(Self.words(found.text) == source)
  }

  /// The 23 pages of objectives-LANG.html, one PDF each: every word of each page in the
  /// order of its <section> in the source (Arabic vocalized words, ranges of years and
  /// bracketed letters among them).
  @Test(
    "Every word of each review page comes out in the source's reading order",
    arguments: ["ar", "ru", "zh"])
  func objectivePages(language: String) throws {
    let sections = try UNLanguagePages.html("objectives-" + language)
      .components(separatedBy: "<section>").dropFirst()
    #expect(sections.count == 23)
    for (index, section) in sections.enumerated() {
      let name = String(format: "objectives-%@-%02d", language, index + 1)
      let source = Self.words(Self.sourceText(section))
      #expect(Self.words(try extracted(name).text) == source, "\(name)")
    }
    guard language == "ar" else { return }
    // Brackets as written, not as drawn; ranges of years first year first.
    #expect(
      try extracted("objectives-ar-04").text.contains("المفوضية (UNHCR) وفق المادة 12 (ب) من"))
    #expect(try extracted("objectives-ar-10").text.contains("للفترة 2023-2026 آلية"))
    #expect(try extracted("objectives-ar-23").text.contains("للفترة 2024–2027 بدعم"))
  }

  @Test(
    "Arabic in two columns: the right column first, a paragraph per paragraph, numbers and Latin names whole"
  )
  func arabicColumns() throws {
    let found = try extracted("ar-two-columns")
    // The source's three paragraphs: the first of the right-hand column, the one that runs on
    // to the left-hand column, and the short last one (its own paragraph in the source; a
    // vocalized word, "مكتبًا", no longer breaks a paragraph in two). "(ILO)" and 15400 as
    // written, the space after each line's first word kept.
    #expect(found.passages == 3)
    #expect(found.text.contains("منظمة العمل الدولية (ILO) أنشئ موقع"))
    #expect(found.text.contains("نحو 15400 شخص"))
    #expect(found.text.contains("الهدف 6: تيسير"))
    #expect(!found.text.unicodeScalars.contains { $0.properties.generalCategory == .format })
  }

  @Test(
    "A scanned page is read by OCR in its script's model: nearly every word as in the source",
    arguments: ["ar-page", "ru-page", "zh-page"])
  func scanned(name: String) throws {
    let source = Self.words(Self.sourceText(try UNLanguagePages.html(name)))
    let result = try DocumentExtraction(corpus: corpus).run(
      path: UNLanguagePages.pdf(name + "-scan300"))
    #expect(result.pages.allSatisfy { $0.ocrConfidence != nil })
    let read = Self.words(
      result.passages.map(\.text).joined(separator: "\n")
        + "\n" + (result.passages.compactMap(\.heading).first ?? ""))
    // Chinese words are compared as characters: OCR may set spaces between them.
    let sourceUnits = name.hasPrefix("zh") ? source.joined().map(String.init) : source
    let readUnits = name.hasPrefix("zh") ? read.joined().map(String.init) : read
    let found = Set(readUnits)
    let share = Double(sourceUnits.count { found.contains($0) }) / Double(sourceUnits.count)
    #expect(share >= 0.95, "\(name): \(share)")
  }

  @Test("Chinese lines join without a space; a short line ending a sentence ends its paragraph")
  func chineseLines() throws {
    let found = try extracted("zh-page")
    #expect(found.passages == 2)
    #expect(found.text.contains("申请人可以随时查看审批进度。"))
    #expect(!found.text.contains("随 时"))
  }
}
