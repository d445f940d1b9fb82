import Foundation
import GCMapCore
import TestSupport
import Testing

@testable import TextProcessing

@Suite("Unicode clean-up")
struct UnicodeCleanupTests {
  @Test(
    "NFKC turns ligature code points into letters, and odd characters into plain ones",
    arguments: [
      ("\u{FB01}nancial", "financial"), ("e\u{FB00}ective", "effective"),
      ("o\u{FB03}ce", "office"), ("\u{FB02}ows", "flows"), ("ba\u{FB04}ed", "baffled"),
      ("\u{FB05}ep", "step"), ("no\u{00A0}break", "no break"),
      ("non\u{2011}custodial", "non-custodial"),
      ("zero\u{200B}width", "zerowidth"), ("soft\u{00AD}hyphen", "softhyphen"),
      ("line end soft\u{00AD}", "line end soft-"), ("tab\there", "tab here"),
    ])
  func cleans(input: String, expected: String) {
    #expect(UnicodeCleanup.clean(input) == expected)
  }

  @Test("NFKC through utf8proc agrees with Foundation's, combining marks and Hangul included")
  func nfkcAgreesWithFoundation() {
    let pieces = [
      "a", "É", "\u{A0}", "…", "¹", "¨", "´", "“", "”", "’", "•", "\u{2003}", "™", "½", "ŉ", "ǆ",
      "℃", "→", "≠", "■", "\u{3000}", "\u{AD}", "\u{2011}", " ", "-", "x", "\t", "e\u{301}",
      "\u{301}", "\u{327}", "ﬁ", "ﬄ", "Å", "\u{212B}", "ｆｕｌｌ", "한", "\u{1100}\u{1161}", "ا",
      "ﻻ", "ς", "ǅ", "Ⅻ", "㎏", "ﷺ",
    ]
    var generator = SplitMix64(seed: 11)
    for _ in 0..<3000 {
      let line = (0..<Int.random(in: 1...10, using: &generator)).map { _ in
        pieces.randomElement(using: &generator) ?? ""
      }.joined()
      let foundation = line.precomposedStringWithCompatibilityMapping
      #expect(
        Array(UnicodeMapping.nfkc(line).unicodeScalars) == Array(foundation.unicodeScalars),
        "\(line.debugDescription)")
    }
    #expect(UnicodeCleanup.clean("x\u{A0}… ½") == "x ... 1⁄2")
  }

  @Test(
    "Folding case and accents, as matching needs it",
    arguments: [
      ("MIGRACIÓN", "migracion"), ("migración", "migracion"), ("Réintégration", "reintegration"),
      ("Straße", "strasse"), ("ÇA", "ca"), ("Ñandú", "nandu"), ("Łódź", "łodz"), ("Øre", "øre"),
      ("e\u{301}té", "ete"),
    ])
  func folding(word: String, expected: String) {
    #expect(Tokenizer.fold(word) == expected)
  }

  @Test("Leaves no U+FB00–FB06 in a page")
  func noLigatureCodePoints() {
    let result = UnicodeCleanup().apply(to: [page("e\u{FB00}ective \u{FB01}rst \u{FB06}")])
    let scalars = result.pages.lineTexts.joined().unicodeScalars
    #expect(!scalars.contains { (0xFB00...0xFB06).contains($0.value) })
    #expect(result.changes == 1)
  }
}

@Suite("Lost-ligature repair")
struct LigatureRepairTests {
  let repair = LigatureRepair(vocabulary: english)

  func repaired(_ text: String) -> String {
    repair.apply(to: [page(text)]).pages.lineTexts.joined(separator: "\n")
  }

  @Test("Infers which character stands for which ligature, per document")
  func infersMap() {
    let words = ["Migra<on", "na<onal", "cu^ng", "submi^ng", "plaEorm", "draO", "aOer", "Tenta)ve"]
    let map = repair.inferMap(words: words)
    #expect(map.votes["<"]?.first?.ligature == "ti")
    #expect(map.votes["^"]?.first?.ligature == "tti")
    #expect(map.votes["O"]?.first?.ligature == "ft")
    #expect(map.votes["E"]?.first?.ligature == "tf")
  }

  @Test("Repairs damaged words and keeps correctly spelled ones")
  func repairsWords() {
    let text = "Interna<onal Migra<on plaEorm draO aOer cu^ng Opening Eleven Secretary-General's"
    #expect(
      repaired(text)
        == "International Migration platform draft after cutting Opening Eleven Secretary-General's"
    )
  }

  @Test("Acronyms with a small letter inside are not lost glyphs")
  func acronymsStay() {
    // "HoA" with 'A' as "ff" would be "Hoff", a listed name; the document's real damage
    // ("plaEorm", "draO") is still repaired.
    let text =
      "Migra<on na<onal informa<on JI-HoA HoA HoA HoA MoU MoUs MoLSA SoPs plaEorm draO aOer"
    #expect(
      repaired(text)
        == "Migration national information JI-HoA HoA HoA HoA MoU MoUs MoLSA SoPs platform draft after"
    )
  }

  @Test("A capital repeated in one word of a document without lost symbols is a name")
  func brandsStay() {
    // "MoMo" (mobile money) with 'M' as "tt" would be "Motto".
    #expect(repaired("MoMo MoMo MoMo MoMo transfers") == "MoMo MoMo MoMo MoMo transfers")
    #expect(repaired("plaEorm draO aOer") == "plaEorm draO aOer")
  }

  @Test("Editorial brackets and possessives are not lost glyphs")
  func bracketsStay() {
    let text = "Migra<on na<onal “[a]s of August” maximis[ing] migrant(s) the State's own"
    #expect(
      repaired(text)
        == "Migration national “[a]s of August” maximis[ing] migrant(s) the State's own")
  }

  @Test("A confident symbol is replaced in names and run-together words too")
  func forcedInNames() {
    let text = "Migra<on na<onal interna<onal Fa<ma migra<onnetwork"
    #expect(repaired(text) == "Migration national international Fatima migrationnetwork")
  }

  @Test("The same character may stand for another ligature in another document")
  func otherDocumentOtherMap() {
    #expect(repaired("insu!ciency and e!cient o!ces") == "insufficiency and efficient offices")
  }

  /// The real extractor output of the IMRF 2022 background note: at least 98% of its damaged
  /// words are repaired by the full normalizer.
  @Test("Repairs at least 98% of the damaged words of a real extracted text")
  func realText() throws {
    let original = try String(
      contentsOf: Repository.fixture("imrf-2022-background-as-extracted.txt"), encoding: .utf8)
    let expected = try String(
      contentsOf: Repository.fixture("imrf-2022-expected-repairs.tsv"), encoding: .utf8
    ).split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t") }
    let (pages, _) = Normalizer.standard(vocabulary: english).normalize([page(original)])
    let before = tokenCounts(original)
    let after = tokenCounts(pages.map(\.text).joined(separator: "\n"))
    var damaged = 0
    var fixed = 0
    var missed: [String] = []
    for row in expected {
      let bad = String(row[0])
      let good = String(row[1])
      let count = Int(row[2]) ?? 0
      damaged += count
      let gone = count - min(count, after[bad, default: 0])
      let produced = after[good, default: 0] - before[good, default: 0]
      let repairedHere = min(gone, max(0, produced))
      fixed += repairedHere
      if repairedHere < count { missed.append(bad) }
    }
    #expect(damaged >= 150)
    let share = Double(fixed) / Double(damaged)
    #expect(share >= 0.98, "repaired \(fixed) of \(damaged); missed: \(missed)")
    #expect(pages.map(\.text).joined().contains("(https://migrationnetwork.un.org/)"))
    #expect(!pages.map(\.text).joined().contains("hlps://migra<onnetwork.un.org/"))
  }

  /// Ligature repair alone keeps the tokens in place, so every token can be compared.
  @Test("Changes no correctly spelled word of the real extracted text")
  func noCollateralDamage() throws {
    let original = try String(
      contentsOf: Repository.fixture("imrf-2022-background-as-extracted.txt"), encoding: .utf8)
    let damagedWords = Set(
      try String(contentsOf: Repository.fixture("imrf-2022-expected-repairs.tsv"), encoding: .utf8)
        .split(separator: "\n").filter { !$0.hasPrefix("#") }
        .compactMap { $0.split(separator: "\t").first.map(String.init) })
    let pages = Normalizer(stages: [UnicodeCleanup(), LigatureRepair(vocabulary: english)])
      .normalize([page(original)]).pages
    let before = original.split(whereSeparator: \.isWhitespace)
    let after = pages.map(\.text).joined(separator: "\n").split(whereSeparator: \.isWhitespace)
    #expect(before.count == after.count)
    var changedCorrectWords: [String] = []
    for (old, new) in zip(before, after) where old != new {
      let core = String(old).trimmingCharacters(in: CharacterSet(charactersIn: ".,;:()“”\"‘’'?`"))
      if !damagedWords.contains(core) && core.count > 1 {
        changedCorrectWords.append("\(old)→\(new)")
      }
    }
    #expect(changedCorrectWords.isEmpty, "changed: \(changedCorrectWords)")
  }

  private func tokenCounts(_ text: String) -> [String: Int] {
    var counts: [String: Int] = [:]
    for token in text.split(whereSeparator: \.isWhitespace) {
      let core = String(token).trimmingCharacters(
        in: CharacterSet(charactersIn: ".,;:()“”\"‘’'?`"))
      counts[core, default: 0] += 1
    }
    return counts
  }
}

@Suite("De-hyphenation")
struct DehyphenationTests {
  let stage = Dehyphenation(vocabulary: english)

  @Test(
    "Joins hyphenated words, keeps real hyphens",
    arguments: [
      ("is imple-\nmented by", "is implemented by"),
      ("the effec-\ntive use", "the effective use"),
      ("the follow-\nup of", "the follow-up of"),
      ("in a whole-of-\ngovernment approach", "in a whole-of-government approach"),
      ("community-\nbased care", "community-based care"),
      ("the Secretary-\nGeneral said", "the Secretary- General said"),
      ("pre-\nvention of", "prevention of"),
      ("the re-\nintegration of", "the reintegration of"),
      ("small- and\nmedium-sized", "small- and medium-sized"),
      ("report (para-\ngraph), and", "report (paragraph), and"),
    ])
  func joins(input: String, expected: String) {
    let result = stage.apply(to: [page(input)])
    #expect(result.pages.lineTexts.joined(separator: " ") == expected)
  }

  @Test("The document's own spelling decides: well-being elsewhere keeps the hyphen")
  func documentEvidence() {
    let pages = [page("their well-\nbeing matters\nand well-being is measured")]
    #expect(stage.apply(to: pages).pages.lineTexts.first == "their well-being")
    let joined = [page("their well-\nbeing matters\nand wellbeing is measured")]
    #expect(stage.apply(to: joined).pages.lineTexts.first == "their wellbeing")
  }

  @Test(
    "Spellings count on lines with other characters too (quotes, accents, capitals)",
    arguments: [
      ("our “data-base” (so spelled)", "we updated the data-base"),
      ("the Data--Base, déjà vu", "we updated the data-base"),
      ("“Database” and “database”", "we updated the database"),
      ("a “data” “base” and a database-like café", "we updated the database"),
    ])
  func nonASCIIEvidence(elsewhere: String, expected: String) {
    let pages = [page("we updated the data-\nbase yesterday\n\(elsewhere)")]
    #expect(stage.apply(to: pages).pages.lineTexts.first == expected)
  }

  @Test("A word split at the end of a page is joined on the first page")
  func acrossPages() {
    let pages = [page("the Government imple-", number: 1), page("mented it.", number: 2)]
    let result = stage.apply(to: pages).pages
    #expect(result[0].lines.map(\.text) == ["the Government implemented"])
    #expect(result[1].lines.map(\.text) == ["it."])
  }
}

@Suite("Page furniture")
struct PageFurnitureTests {
  @Test("Removes repeated headers, footers, side tabs and page numbers; keeps body text")
  func removesFurniture() {
    let pages = (1...4).map { number in
      a4(
        number,
        [
          line("Voluntary GCM Review – Republic of Testland", y: 30),
          line("Body text of page \(number) about migration policy.", y: 300),
          line("Repeated body sentence in the middle of the page.", y: 400),
          line("Page \(number) of 4", y: 810, x: 280, width: 40),
          TextLine(
            text: "› GCM OBJECTIVE 13", box: Box(x0: 560, y0: 200, x1: 575, y1: 330),
            fontSize: 12, isVertical: true, startsBlock: true),
        ])
    }
    let result = PageFurniture().apply(to: pages)
    #expect(
      result.pages[0].lines.map(\.text) == [
        "Body text of page 1 about migration policy.",
        "Repeated body sentence in the middle of the page.",
      ])
    #expect(result.changes == 12)
  }

  @Test("Alternating even/odd headers count; a title on one page stays")
  func alternating() {
    let pages = (1...6).map { number in
      a4(
        number,
        [
          line(
            number == 1 ? "Report title" : number % 2 == 0 ? "Even header" : "Odd header", y: 30),
          line("Text \(number)", y: 300),
        ])
    }
    let kept = PageFurniture().apply(to: pages).pages.lineTexts
    #expect(kept.contains("Report title"))
    #expect(!kept.contains("Even header") && !kept.contains("Odd header"))
  }

  @Test("Footnotes that differ only in their note number stay; numbered footers go")
  func footnotesAreNotFurniture() {
    // Notes 31, 38, 44... on pages 10-14 say the same thing; the footer's number is the
    // printed page (the PDF page plus 2) and its year is the same on every page.
    let noteNumbers = [31, 38, 44, 52, 57]
    let pages = (10...14).map { number in
      a4(
        number,
        [
          line("Body text of page \(number) on the assistance given.", y: 300),
          line("\(noteNumbers[number - 10]) Group discussion with returning workers.", y: 760),
          line("Annual review 2025 | \(number + 2)", y: 810),
        ])
    }
    let kept = PageFurniture().apply(to: pages).pages
    #expect(
      kept[2].lines.map(\.text) == [
        "Body text of page 12 on the assistance given.",
        "44 Group discussion with returning workers.",
      ])
    #expect(kept.lineTexts.filter { $0.hasSuffix("returning workers.") }.count == 5)
  }

  @Test("A number recurs as itself or at the page number's distance")
  func recurringNumbers() {
    func occurrence(_ page: Int, _ numbers: [Substring]) -> PageFurniture.Occurrence {
      PageFurniture.Occurrence(page: page, numbers: numbers)
    }
    // "Page 4 of 9": the first number follows the page, the second is the same.
    let pageOf = [
      occurrence(4, ["4", "9"]), occurrence(5, ["5", "9"]), occurrence(6, ["6", "9"]),
    ]
    #expect(PageFurniture.recurring(pageOf) == pageOf)
    // Chapter 3 on two pages recurs; chapter 4 on one page does not.
    let chapters = [occurrence(4, ["3"]), occurrence(6, ["3"]), occurrence(9, ["4"])]
    #expect(PageFurniture.recurring(chapters).map(\.page) == [4, 6])
    #expect(PageFurniture.numbers("Page 4 of 9", key: "page # of #") == ["4", "9"])
    #expect(PageFurniture.numbers("Annual report", key: "annual report").isEmpty)
  }

  @Test(
    "Page numbers", arguments: ["4", "- 4 -", "Page 4", "page 4 of 20", "iv", "4 / 20", "Página 4"])
  func pageNumbers(text: String) {
    #expect(PageFurniture.isPageNumber(text))
  }

  @Test("Not page numbers", arguments: ["2030 Agenda", "Objective 4", "4. Legal identity", ""])
  func notPageNumbers(text: String) {
    #expect(!PageFurniture.isPageNumber(text))
  }

  @Test("Plain text: the first and last lines of each page stand for the margins")
  func plainTextMargins() {
    let bodies = ["Alpha", "Bravo", "Charlie"]
    let pages = (1...3).map { number in
      page(
        "Annual report 2025\n\(bodies[number - 1]) opens\nthe middle line\nthe middle line\n"
          + "\(bodies[number - 1]) closes\n\(number)", number: number)
    }
    let kept = PageFurniture().apply(to: pages).pages
    #expect(
      kept[1].lines.map(\.text) == [
        "Bravo opens", "the middle line", "the middle line", "Bravo closes",
      ])
  }
}

@Suite("Spacing")
struct SpacingTests {
  @Test("Collapses letter-spaced runs, keeps a leading bullet and ordinary text")
  func letterSpacing() {
    #expect(
      LetterSpacing.collapse("o h t t p s : / / w w w . u n . o r g") == "o https://www.un.org")
    #expect(LetterSpacing.collapse("a b c and d") == "a b c and d")
    #expect(
      LetterSpacing.collapse("plain words stay as they are") == "plain words stay as they are")
  }

  @Test("Folds runs of spaces and trims lines")
  func whitespace() {
    let result = WhitespaceCleanup().apply(to: [page("  two   spaces  \nok")])
    #expect(result.pages.lineTexts == ["two spaces", "ok"])
  }

  @Test("Folding on scalars agrees with folding on characters, and leaves what it cannot")
  func whitespaceOnScalars() {
    func byCharacters(_ line: String) -> String {
      line.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
    // Lines from pieces that a fast path handles, or must leave to the general one: spaces of
    // every kind, quotes, accents, combining marks and joiners next to spaces.
    let pieces = [
      " ", "  ", "\t", "\u{A0}", "\u{2003}", "\u{3000}", "\r\n", "“", "”", "’", "•", "é", "Ł",
      "word", "€", "→", "■", "\u{301}", "\u{200D}", "\u{2028}", "\u{600}", "ء", "\u{AD}",
    ]
    var generator = SplitMix64(seed: 7)
    var folded = 0
    for _ in 0..<2000 {
      let line = (0..<Int.random(in: 0...8, using: &generator)).map { _ in
        pieces.randomElement(using: &generator) ?? ""
      }.joined()
      let expected = byCharacters(line)
      if let fast = WhitespaceCleanup.foldScalars(line) {
        folded += 1
        #expect(fast == expected, "\(line.debugDescription)")
      }
    }
    #expect(folded > 100)
    // Lines the fast path leaves to the general one, with their folding written out.
    let general: [(String, String)] = [
      ("x\u{200D}y   z ", "x\u{200D}y z"), ("e\u{301}  \t café\u{2028}end", "e\u{301} café end"),
      (" ء  ب ", "ء ب"), ("a\u{3000}\u{3000}b\u{301}", "a b\u{301}"),
    ]
    for (line, expected) in general {
      #expect(WhitespaceCleanup.foldScalars(line) == nil, "\(line.debugDescription)")
      #expect(WhitespaceCleanup().normalize(line: line) == expected, "\(line.debugDescription)")
    }
    #expect(WhitespaceCleanup.foldScalars("a \u{301}b") == nil)
    #expect(WhitespaceCleanup.foldScalars(" “quoted”\u{A0} text ") == "“quoted” text")
  }
}

@Suite("Language identification")
struct LanguageTests {
  @Test(
    "English, French, Spanish, other, unknown",
    arguments: [
      (
        "The Government adopted a strategy for the protection of migrants and their families.", "en"
      ),
      (
        "Le Gouvernement a adopté une stratégie pour la protection des migrants et de leurs familles.",
        "fr"
      ),
      (
        "El Gobierno adoptó una estrategia para la protección de los migrantes y sus familias.",
        "es"
      ),
      ("政府通过了一项保护移民及其家庭的战略，并与民间社会合作。", "zh"),
      ("Migration 2024", ""),
    ])
  func identify(text: String, language: String) {
    #expect(LanguageIdentifier.identify(text) == language)
  }

  @Test("English ligature repair leaves French words alone")
  func frenchUntouched() {
    let french = String(
      repeating:
        "Les Nations Unies et le Gouvernement travaillent entre les deux pays pour la migration. ",
      count: 12)
    let result = LigatureRepair(vocabulary: english).apply(to: [
      page(french + "\nInterna<onal Migra<on")
    ])
    let text = result.pages.lineTexts.joined(separator: " ")
    #expect(text.contains("Nations Unies") && text.contains("entre les"))
    #expect(text.contains("International Migration"))
  }
}

@Suite("Word lists")
struct WordListTests {
  /// What `readList` promises, written the plain (slow) way.
  static func reference(_ text: String) -> [String] {
    text.split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
  }

  static func read(_ text: String) throws -> [String] {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("gcmap-wordlist-\(UUID().uuidString).txt")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try Vocabulary.readList(url)
  }

  @Test("Every shipped list reads as the plain reading would")
  func shipped() throws {
    for folder in ["wordlists", "stopwords"] {
      let url = Repository.corpus.appendingPathComponent(folder)
      for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
      where name.hasSuffix(".txt") {
        let file = url.appendingPathComponent(name)
        let words = try Vocabulary.readList(file)
        #expect(words == Self.reference(try String(contentsOf: file, encoding: .utf8)), "\(name)")
        #expect(!words.isEmpty, "\(name)")
      }
    }
  }

  @Test(
    "Line breaks, blanks, comments and spaces at the edges",
    arguments: [
      "a\nb\r\nc\rd\n", "  café \t\n\n# comment\n #not\nx#y", "\u{A0}été\u{A0}\nnaïve\u{2003}",
      "one\u{2028}two\u{0085}three\u{0B}four\u{0C}five", "", "\n\n", "ü",
    ])
  func edges(text: String) throws {
    #expect(try Self.read(text) == Self.reference(text))
  }
}

/// A seeded generator, so that generated cases are the same on every run.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@Suite("Stemming")
struct StemmerTests {
  @Test("Stems are right, and the cache stays under its bound however many words come")
  func boundedCache() throws {
    let stemmer = try Stemmer(algorithm: "english")
    #expect(stemmer.stem("smugglers") == "smuggler")
    #expect(stemmer.stem("smuggling") == "smuggl")
    for index in 0..<(Stemmer.cacheLimit + 5_000) {
      _ = stemmer.stem("word\(index)s")
      #expect(stemmer.cachedWords <= Stemmer.cacheLimit, "at word \(index)")
      if stemmer.cachedWords > Stemmer.cacheLimit { break }
    }
    #expect(stemmer.stem("remittances") == "remitt")
    #expect(throws: Stemmer.UnknownLanguage.self) { try Stemmer(algorithm: "klingon") }
  }
}
