import Foundation
import GCMapCore
import Pipeline
import Scoring
import TestSupport
import Testing

@Suite("Document metadata")
struct MetadataTests {
  static let countries: CountryTable = {
    do {
      return try CountryTable.load(Repository.corpus.appendingPathComponent("countries.csv"))
    } catch {
      fatalError("cannot load countries.csv: \(error)")
    }
  }()

  func detect(_ fixture: String) throws -> DocumentMetadata {
    let extraction = try DocumentExtraction(corpus: Corpus(root: Repository.corpus))
    let text = try extraction.run(path: GeneratedFixtures.path(fixture))
    return MetadataDetector(countries: Self.countries).detect(text.pages, language: text.language)
  }

  @Test(
    "The country of a title page in English, French or Spanish",
    arguments: [
      ("title-ghana.pdf", "GHA", "Africa", "Sub-Saharan Africa"),
      ("title-senegal.pdf", "SEN", "Africa", "Sub-Saharan Africa"),
      ("title-bolivia.pdf", "BOL", "Americas", "Latin America and the Caribbean"),
    ])
  func country(fixture: String, iso3: String, region: String, subRegion: String) throws {
    let metadata = try detect(fixture)
    #expect(metadata.country == iso3)
    #expect(metadata.region == region && metadata.subRegion == subRegion)
    #expect(metadata.countrySource == "detected")
  }

  @Test("No country named: unknown, not a guess; title and year still found")
  func unknown() throws {
    let metadata = try detect("title-none.pdf")
    #expect(metadata.country == "unknown")
    #expect(metadata.region.isEmpty)
    #expect(metadata.title == "Voluntary GCM Review 2024")
    #expect(metadata.year == "2024")
  }

  @Test("Several countries on a title page, none dominant: unknown")
  func ambiguous() {
    let detector = CountryDetector(table: Self.countries)
    let page = Page.fromPlainText("Joint review of Ghana, Senegal and Mali\nBody text", number: 1)
    #expect(detector.detect([page]).country == nil)
  }

  @Test("Names in any of the three languages, short forms and codes resolve")
  func lookup() {
    for (name, code) in [
      ("Türkiye", "TUR"), ("Côte d'Ivoire", "CIV"), ("Estados Unidos", "USA"),
      ("Royaume-Uni", "GBR"),
      ("ghana", "GHA"), ("SEN", "SEN"), ("Plurinational State of Bolivia", "BOL"),
    ] {
      #expect(Self.countries.find(name)?.iso3 == code, "\(name)")
    }
    #expect(Self.countries.countries.count == 249)
  }

  @Test("The longest name wins: Papua New Guinea is not Guinea; 'us' is not the USA")
  func overlaps() {
    let detector = CountryDetector(table: Self.countries)
    let png = detector.countries(in: "Report of Papua New Guinea").map {
      Self.countries.countries[$0].iso3
    }
    #expect(png == ["PNG"])
    #expect(detector.countries(in: "let us see").isEmpty)
  }

  @Test("Title pages in Arabic, Russian and Chinese name their country")
  func otherScripts() {
    let detector = CountryDetector(table: Self.countries)
    for (title, code) in [
      ("الاستعراض الوطني الطوعي للأردن 2024\nالمملكة الأردنية الهاشمية", "JOR"),
      ("Добровольный национальный обзор\nРеспублика Казахстан, 2024 год", "KAZ"),
      ("中华人民共和国关于执行移民全球契约的国家自愿审查\n2024年", "CHN"),
    ] {
      let page = Page.fromPlainText(title, number: 1)
      #expect(detector.detect([page]).country?.iso3 == code, "\(code)")
    }
    // The longest ideographic name inside a line, once: 中华人民共和国 is China alone.
    let china = detector.countries(in: "中华人民共和国国家报告").map { Self.countries.countries[$0].iso3 }
    #expect(china == ["CHN"])
    #expect(Self.countries.find("Египет")?.iso3 == "EGY")
  }
}

@Suite("gcmap run with metadata")
struct MetadataRunTests {
  @Test("Detected countries and regions are in coverage.csv and regions.csv")
  func regions() throws {
    let input = try folder([
      ("title-ghana.pdf", "ghana.pdf"), ("title-senegal.pdf", "senegal.pdf"),
      ("title-none.pdf", "none.pdf"),
    ])
    let out = outputFolder()
    let result = GCMapBinary.run(["run", input.path, "--out", out.path])
    #expect(result.code == 0, "\(result.error)")
    let coverage = read(out, "coverage.csv")
    #expect(
      rows(coverage, document: "ghana").first?.hasPrefix(
        "ghana,ghana.pdf,GHA,Ghana,Africa,Sub-Saharan Africa,2024") == true)
    #expect(
      rows(coverage, document: "none").first?.hasPrefix("none,none.pdf,unknown,,,,2024") == true)
    let regions = read(out, "regions.csv").components(separatedBy: "\r\n")
    #expect(regions.contains { $0.hasPrefix("region,Africa,,2,") })
    #expect(regions.contains { $0.hasPrefix("sub-region,Africa,Sub-Saharan Africa,2,") })
    #expect(regions.contains { $0.hasPrefix("region,unknown,,1,") })
    #expect(regions.contains { $0.hasPrefix("all,all,,3,") })
  }

  @Test("--metadata overrides detection and carries extra columns")
  func override() throws {
    let input = try folder([("title-ghana.pdf", "ghana.pdf"), ("title-none.pdf", "none.pdf")])
    let metadata = input.appendingPathComponent("metadata.csv")
    try "file,country,year,cycle\nnone.pdf,Kenya,2026,IMRF 2026\n".write(
      to: metadata, atomically: true, encoding: .utf8)
    let out = outputFolder()
    let result = GCMapBinary.run([
      "run", input.path, "--out", out.path, "--metadata", metadata.path,
    ])
    #expect(result.code == 0, "\(result.error)")
    let coverage = read(out, "coverage.csv")
    #expect(
      coverage.hasPrefix(
        "document,file,country,country_name,region,sub_region,year,language,title,cycle,"))
    #expect(
      rows(coverage, document: "none").first?.hasPrefix(
        "none,none.pdf,KEN,Kenya,Africa,Sub-Saharan Africa,2026,") == true)
    #expect(rows(coverage, document: "none").first?.contains(",IMRF 2026,") == true)
    #expect(rows(coverage, document: "ghana").first?.contains(",GHA,") == true)
  }

  @Test("A metadata file naming an unknown country is a configuration error")
  func badMetadata() throws {
    let input = try folder([("title-ghana.pdf", "ghana.pdf")])
    let metadata = input.appendingPathComponent("metadata.csv")
    try "file,country\nghana.pdf,Atlantis\n".write(to: metadata, atomically: true, encoding: .utf8)
    let result = GCMapBinary.run([
      "run", input.path, "--out", outputFolder().path, "--metadata", metadata.path,
    ])
    #expect(result.code == 1)
    #expect(result.error.contains("metadata.csv:2: unknown country \"Atlantis\""))
  }
}

@Suite("Corpus lexicons")
struct CorpusLexiconTests {
  @Test(
    "A term's near must name a subject of subjects.yml: an error naming the file, the term and the nearest name"
  )
  func unknownSubject() throws {
    let folder = Scratch.path("corpus")
    try FileManager.default.copyItem(at: Repository.corpus, to: folder)
    let file = folder.appendingPathComponent("lexicons/en/O01.yml")
    let text = try String(contentsOf: file, encoding: .utf8)
    try text.replacingOccurrences(of: "near: migration}", with: "near: migrations}")
      .write(to: file, atomically: true, encoding: .utf8)
    let corpus = Corpus(root: folder)
    let ids = try corpus.taxonomy().ids
    #expect {
      _ = try corpus.lexicons(language: "en", ids: ids)
    } throws: { error in
      let message = "\(error)"
      return message.contains("O01.yml") && message.contains("\"migrations\"")
        && message.contains("migration")
    }
  }
}

@Suite("Models by language")
struct LanguageModelLoadingTests {
  /// A copy of the shipped corpus and pipeline whose Arabic lexicon for O01 has a misspelt key.
  func brokenArabic() throws -> Corpus {
    let folder = Scratch.path("corpus-broken-ar")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let corpus = folder.appendingPathComponent("Corpus")
    try FileManager.default.copyItem(at: Repository.corpus, to: corpus)
    try FileManager.default.copyItem(
      at: Repository.root.appendingPathComponent("Pipelines"),
      to: folder.appendingPathComponent("Pipelines"))
    let file = corpus.appendingPathComponent("lexicons/ar/O01.yml")
    let text = try String(contentsOf: file, encoding: .utf8)
    try text.replacingOccurrences(of: "examples:", with: "example:")
      .write(to: file, atomically: true, encoding: .utf8)
    return Corpus(root: corpus)
  }

  @Test(
    "A broken lexicon stops the start; a batch's worker, whose corpus was checked, reads a language only when it comes"
  )
  func languagesReadWhenUsed() throws {
    let corpus = try brokenArabic()
    let settings = try PipelineSettings.load(corpus.defaultPipeline)
    #expect {
      _ = try Analysis(corpus: corpus, settings: settings)
    } throws: { "\($0)".contains("O01.yml") }
    // Checked by the batch (here: not, to see it): English is scored, and the Arabic files
    // are read only for an Arabic passage, which their fault leaves unscored, not a crash.
    let worker = try Analysis(corpus: corpus, settings: settings, checked: true)
    func labels(_ text: String, _ language: String, in analysis: Analysis? = nil) -> [String] {
      let passage = Passage(
        id: "d#1", documentID: "d", page: 1, endPage: 1, start: 0,
        end: text.unicodeScalars.count, heading: nil, text: text)
      return (analysis ?? worker).classifier.classify([passage], documentLanguage: language)
        .first?.labels ?? []
    }
    let remittances = "انخفضت تكلفة التحويلات المالية التي يرسلها العمال المهاجرون إلى أسرهم."
    #expect(labels(remittances, "ar", in: try Analysis.shipped()).contains("O20"))
    #expect(
      labels("Remittance transfer costs for migrant workers fell to three per cent.", "en")
        .contains("O20"))
    #expect(
      labels("انخفضت تكلفة التحويلات المالية التي يرسلها العمال المهاجرون إلى أسرهم.", "ar")
        .isEmpty)
  }
}
