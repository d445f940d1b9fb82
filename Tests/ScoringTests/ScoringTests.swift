import CorpusConfiguration
import Foundation
import GCMapCore
import TestSupport
import Testing
import TextProcessing

@testable import Scoring

/// The shipped corpus, loaded once for all scoring tests.
struct ShippedCorpus: Sendable {
  let taxonomy: Taxonomy
  let lexicons: [Lexicon]
  let tokenizer: Tokenizer
  let matcher: LexiconMatcher
  let tfidf: TfIdfModel

  static let shared: ShippedCorpus = {
    do {
      let root = Repository.corpus
      let taxonomy = try Taxonomy.load(root.appendingPathComponent("taxonomy.yml"))
      let lexicons = try Lexicon.loadAll(
        folder: root.appendingPathComponent("lexicons"), language: "en", ids: taxonomy.ids)
      let tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: "english"))
      let stopwords = Set(try Vocabulary.readList(root.appendingPathComponent("stopwords/en.txt")))
      return ShippedCorpus(
        taxonomy: taxonomy, lexicons: lexicons, tokenizer: tokenizer,
        matcher: LexiconMatcher(
          lexicons: lexicons, tokenizer: tokenizer,
          subjects: try Subjects.load(root.appendingPathComponent("lexicons/en/subjects.yml"))),
        tfidf: TfIdfModel(taxonomy: taxonomy, tokenizer: tokenizer, stopwords: stopwords))
    } catch {
      fatalError("cannot load the corpus: \(error)")
    }
  }()

  func classifier(_ settings: ClassifierSettings = ClassifierSettings()) -> PassageClassifier {
    PassageClassifier(
      settings: settings, tokenizer: tokenizer, matcher: matcher, tfidf: tfidf,
      categories: taxonomy.categories)
  }
}

func passage(_ text: String, heading: String? = nil) -> Passage {
  Passage(
    id: "t#1", documentID: "t", page: 1, endPage: 1, start: 0, end: text.count, heading: heading,
    text: text)
}

@Suite("Taxonomy")
struct TaxonomyTests {
  @Test("33 categories with the Compact's paragraphs, 187 actions")
  func shape() {
    let taxonomy = ShippedCorpus.shared.taxonomy
    #expect(taxonomy.categories.count == 33)
    #expect(taxonomy.objectives.count == 23)
    #expect(taxonomy.objectives.reduce(0) { $0 + $1.actions.count } == 187)
    #expect(taxonomy.category("O01")?.paragraph == "17")
    #expect(taxonomy.category("O23")?.paragraph == "39")
    #expect(taxonomy.category("P09")?.paragraph == "15(i)")
    #expect(taxonomy.category("O13")?.actions.first?.letter == "a")
    #expect(taxonomy.category("P08")?.names["fr"] != nil)
  }
}

@Suite("Lexicons")
struct LexiconTests {
  /// Every lexicon's own examples: `match` sentences score for it, `noMatch` ones do not.
  @Test("Every lexicon example passes", arguments: ShippedCorpus.shared.taxonomy.ids)
  func examples(id: String) throws {
    try ForeignLexiconTests().check(ForeignLexiconTests.english, id)
  }

  @Test("Exclusions: drug trafficking is not trafficking in persons")
  func exclusions() {
    let corpus = ShippedCorpus.shared
    let hits = corpus.matcher.matches(
      corpus.tokenizer.tokens("Drug trafficking and drug smuggling rose."))
    #expect(!hits.contains { $0.category == "O10" || $0.category == "O09" })
  }

  @Test("Matches carry their term and the range of the words in the text")
  func ranges() throws {
    let corpus = ShippedCorpus.shared
    let text = "Police arrested smugglers near the border."
    let hit = try #require(
      corpus.matcher.matches(corpus.tokenizer.tokens(text)).first { $0.category == "O09" })
    let words = String(String.UnicodeScalarView(Array(text.unicodeScalars)[hit.start..<hit.end]))
    #expect(words == "smugglers")
  }

  @Test("An exact-form term does not reach words that share its stem")
  func exactForms() {
    let corpus = ShippedCorpus.shared
    let national = corpus.matcher.matches(corpus.tokenizer.tokens("The national plan was adopted."))
    #expect(!national.contains { $0.category == "O04" })
    let nationality = corpus.matcher.matches(
      corpus.tokenizer.tokens("Children acquire nationality at birth."))
    #expect(nationality.contains { $0.category == "O04" })
  }

  @Test("A misspelt key in a lexicon is an error with its line and the nearest key")
  func strict() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lexicon-\(getpid()).yml")
    try "id: O01\nlanguage: en\nterms:\n  data: 1\nexample:\n  match: []\n".write(
      to: url, atomically: true, encoding: .utf8)
    #expect {
      try Lexicon.load(url)
    } throws: { error in
      let message = "\(error)"
      return message.contains(":5:") && message.contains("\"example\"")
        && message.contains("did you mean \"examples\"")
    }
  }
}

@Suite("Lexicons in the other UN languages")
struct ForeignLexiconTests {
  struct Language: Sendable {
    let matcher: LexiconMatcher
    let tokenizer: Tokenizer
    let lexicons: [Lexicon]

    init(_ code: String, _ algorithm: String) {
      do {
        tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: algorithm))
        lexicons = try Lexicon.loadAll(
          folder: Repository.corpus.appendingPathComponent("lexicons"), language: code,
          ids: ShippedCorpus.shared.taxonomy.ids)
        matcher = LexiconMatcher(
          lexicons: lexicons, tokenizer: tokenizer,
          subjects: try Subjects.load(
            Repository.corpus.appendingPathComponent("lexicons/\(code)/subjects.yml")))
      } catch {
        fatalError("cannot load the \(code) lexicons: \(error)")
      }
    }
  }

  static let english = Language("en", "english")
  static let french = Language("fr", "french")
  static let spanish = Language("es", "spanish")
  static let arabic = Language("ar", "arabic")
  static let russian = Language("ru", "russian")
  static let chinese = Language("zh", "english")

  /// The lexicon of `id` in `language` has examples (two of each kind at least: a lexicon
  /// without them would pass having tested nothing), and each one holds.
  func check(_ language: Language, _ id: String) throws {
    let lexicon = try #require(language.lexicons.first { $0.id == id })
    #expect(
      lexicon.matchExamples.count >= 2 && lexicon.noMatchExamples.count >= 2,
      """
      \(id)/\(lexicon.language): \(lexicon.matchExamples.count) match and \
      \(lexicon.noMatchExamples.count) noMatch examples
      """)
    for sentence in lexicon.matchExamples {
      let hits = language.matcher.matches(language.tokenizer.tokens(sentence)).filter {
        $0.category == id
      }
      #expect(!hits.isEmpty, "\(id)/\(lexicon.language) should match: \(sentence)")
    }
    for sentence in lexicon.noMatchExamples {
      let hits = language.matcher.matches(language.tokenizer.tokens(sentence)).filter {
        $0.category == id
      }
      #expect(
        hits.isEmpty,
        "\(id)/\(lexicon.language) should not match: \(sentence) (\(hits.map(\.term)))")
    }
  }

  @Test("Every French lexicon example passes", arguments: ShippedCorpus.shared.taxonomy.ids)
  func french(id: String) throws { try check(Self.french, id) }

  @Test("Every Spanish lexicon example passes", arguments: ShippedCorpus.shared.taxonomy.ids)
  func spanish(id: String) throws { try check(Self.spanish, id) }

  @Test("Every Arabic lexicon example passes", arguments: ShippedCorpus.shared.taxonomy.ids)
  func arabic(id: String) throws { try check(Self.arabic, id) }

  @Test("Every Russian lexicon example passes", arguments: ShippedCorpus.shared.taxonomy.ids)
  func russian(id: String) throws { try check(Self.russian, id) }

  @Test("Every Chinese lexicon example passes", arguments: ShippedCorpus.shared.taxonomy.ids)
  func chinese(id: String) throws { try check(Self.chinese, id) }

  @Test("Accents do not matter: migración, migracion and MIGRACIÓN match alike")
  func accents() {
    let language = Self.spanish
    for text in ["datos sobre migración", "datos sobre migracion", "DATOS SOBRE MIGRACIÓN"] {
      #expect(
        language.matcher.matches(language.tokenizer.tokens(text)).contains { $0.category == "O01" },
        "\(text)")
    }
  }

  @Test("Trafficking and smuggling are told apart in French and Spanish")
  func neighbours() {
    let french = Self.french
    let traite = french.matcher.matches(french.tokenizer.tokens("la traite des personnes")).map(
      \.category)
    let trafic = french.matcher.matches(french.tokenizer.tokens("le trafic illicite de migrants"))
      .map(\.category)
    #expect(traite.contains("O10") && !traite.contains("O09"))
    #expect(trafic.contains("O09") && !trafic.contains("O10"))
    let spanish = Self.spanish
    let trata = spanish.matcher.matches(spanish.tokenizer.tokens("la trata de personas")).map(
      \.category)
    let trafico = spanish.matcher.matches(
      spanish.tokenizer.tokens("el tráfico ilícito de migrantes")
    ).map(\.category)
    #expect(trata.contains("O10") && !trata.contains("O09"))
    #expect(trafico.contains("O09") && !trafico.contains("O10"))
  }
}

@Suite("Explicit mentions")
struct MentionTests {
  let detector = MentionDetector(categories: ShippedCorpus.shared.taxonomy.categories)

  @Test(
    "Objectives by number",
    arguments: [
      ("Under Objective 5 the Government", ["O05"]), ("objectives 2 and 3", ["O02", "O03"]),
      ("GCM objective 23", ["O23"]), ("Obj. 7 covers", ["O07"]),
      ("objectives 2-4", ["O02", "O03", "O04"]),
      ("objectives 2, 5 and 7", ["O02", "O05", "O07"]), ("objective no. 12", ["O12"]),
      ("OMS 7 is a health target", []), ("objective 24", []), ("the objective of the law", []),
      ("Objectif 5", ["O05"]), ("objectifs 2 et 3", ["O02", "O03"]), ("Objetivo 5", ["O05"]),
      ("objetivos 2 y 3", ["O02", "O03"]), ("objetivos 2 a 4", ["O02", "O03", "O04"]),
      ("l'OMS 7", []), ("Specific Objective 3: returnees", []), ("the Overall Objective 1", []),
      ("under the GCM's Objective 21, specific", ["O21"]),
      ("Objective 1. “Saving lives and protecting people on the move”", []),
      ("Objective 1: “Collect and utilize accurate and disaggregated data”", ["O01"]),
      ("Objective 1: Saving lives", ["O01"]),
    ])
  func objectives(text: String, expected: [String]) {
    #expect(detector.mentions(in: text).map(\.category) == expected)
  }

  @Test("Principles by name, as approaches")
  func principles() {
    #expect(detector.mentions(in: "a whole-of-government approach").map(\.category) == ["P09"])
    #expect(
      detector.mentions(in: "a gender-responsive approach to labour migration").map(\.category) == [
        "P07"
      ])
    #expect(detector.mentions(in: "child-sensitive services").isEmpty)
    #expect(detector.mentions(in: "un enfoque pangubernamental").map(\.category) == ["P09"])
    #expect(
      detector.mentions(in: "l’approche mobilisant l’ensemble de la société").map(\.category) == [
        "P10"
      ])
  }

  @Test("A mention keeps where it is in the text")
  func range() throws {
    let mention = try #require(detector.mentions(in: "See GCM Objective 13 below.").first)
    #expect(mention.start == 8 && mention.end == 20 && mention.text == "Objective 13")
  }
}

@Suite("Scoring and classification")
struct ClassifierTests {
  let classifier = ShippedCorpus.shared.classifier()

  @Test(
    "Typical national-review sentences get their objective as top label",
    arguments: [
      (
        "The Government ended the immigration detention of children and expanded community-based alternatives to detention.",
        "O13"
      ),
      (
        "Joint investigations dismantled three networks of migrant smugglers on the northern route.",
        "O09"
      ),
      (
        "A national referral mechanism identifies and protects victims of trafficking in persons.",
        "O10"
      ),
      (
        "Competition among remittance service providers lowered transfer costs to under three per cent.",
        "O20"
      ),
      (
        "Returnees receive reintegration assistance to start small businesses in their communities.",
        "O21"
      ),
      ("Mobile consulates provide consular assistance to nationals abroad in remote areas.", "O14"),
      (
        "A bilateral social security agreement ensures the portability of pensions and earned benefits.",
        "O22"
      ),
      (
        "The statistics office added questions on country of birth to the census and a household survey.",
        "O01"
      ),
    ])
  func topLabels(text: String, expected: String) {
    #expect(classifier.classify(passage(text)).labels.first == expected)
  }

  @Test("Scores carry their evidence: terms, tf-idf contributors, mentions")
  func evidence() throws {
    let result = classifier.classify(
      passage("Under objective 13, alternatives to detention were expanded."))
    let score = try #require(result.score("O13"))
    #expect(score.mention == 1)
    #expect(score.terms.contains { $0.term == "alternatives to detention" })
    #expect(!score.contributors.isEmpty)
    #expect(score.combined > 1)
  }

  @Test("A heading naming an objective leans the passage to it")
  func heading() throws {
    let text = "The Government adopted several measures in 2024."
    let plain = classifier.classify(passage(text))
    let under = classifier.classify(
      passage(text, heading: "Objective 7: Address and reduce vulnerabilities"))
    #expect(plain.score("O07")?.heading ?? 0 == 0)
    #expect(under.score("O07")?.heading == 1)
    #expect(under.labels.first == "O07")
  }

  @Test("Scores do not depend on any other passage")
  func independent() {
    let text = "Labour inspectors checked recruitment agencies for illegal recruitment fees."
    let alone = classifier.classify(passage(text))
    _ = classifier.classify(passage("Something entirely different about remittances."))
    #expect(classifier.classify(passage(text)) == alone)
  }

  @Test(
    "A document's passages classified together score as each alone (headings shared), but for the document's share"
  )
  func together() {
    let objective = "Objective 7: Address and reduce vulnerabilities"
    let principle = "A whole-of-government approach to recruitment"
    let passages = [
      passage("The Government adopted several measures in 2024.", heading: objective),
      passage("Labour inspectors checked recruitment agencies.", heading: objective),
      passage("Le gouvernement a adopté des mesures pour les migrants.", heading: objective),
      passage("Consulates assist nationals abroad.", heading: principle),
      passage("Remittance costs fell.", heading: nil),
      passage("Recruitment fees were banned.", heading: objective),
    ]
    let together = classifier.classify(passages, documentLanguage: "en")
    let alone = passages.map { classifier.classify($0, documentLanguage: "en") }
    // The document feature is the one thing a passage alone cannot have; with its weight 0
    // (the default) it changes no score.
    func withoutDocument(_ classification: Classification) -> Classification {
      var copy = classification
      copy.scores = copy.scores.map {
        var score = $0
        score.document = 0
        return score
      }
      return copy
    }
    #expect(together.map(withoutDocument) == alone)
    #expect(together.contains { $0.scores.contains { $0.document > 0 } })
    #expect(together[1].score("O07")?.heading == 1)
    #expect(together[3].score("P09")?.heading == 1)
  }
}

@Suite("Coverage")
struct CoverageTests {
  @Test("Levels: substantive, addressed, mentioned, none")
  func levels() throws {
    let classifier = ShippedCorpus.shared.classifier()
    let texts = [
      "Remittance service providers cut transfer costs.",
      "Mobile money lowers the cost of remittances.",
      "Financial literacy helps families use remittances.", "Consulates assist nationals abroad.",
      "The plan refers to objective 9 in passing.",
      "General remarks about the report structure follow here.",
    ]
    let classified = texts.map { classifier.classify(passage($0)) }
    let aggregator = CoverageAggregator(
      settings: CoverageSettings(), categoryIDs: ShippedCorpus.shared.taxonomy.ids)
    let coverage = aggregator.aggregate(documentID: "d", classified)
    #expect(coverage.passageCount == 6)
    #expect(coverage.cell("O20")?.level == .substantive)
    #expect(coverage.cell("O20")?.passages == 3)
    #expect(coverage.cell("O14")?.level == .addressed)
    #expect(coverage.cell("O08")?.level == CoverageLevel.none)
    #expect(coverage.cell("O09")?.mentions == 1)
    #expect(ShippedCorpus.shared.taxonomy.topObjective(coverage) == "O20")
  }

  @Test(
    "A cell is addressed only by a firm label: strong enough, naming the category, or an analyst's")
  func firmLabels() throws {
    let classifier = ShippedCorpus.shared.classifier()
    let weak = classifier.classify(passage("Consulates assist nationals abroad."))
    let strength = try #require(weak.score("O14")).combined
    #expect(weak.labels.contains("O14"))
    func level(_ classifications: [Classification], addressedScore: Double) -> CoverageLevel? {
      var settings = CoverageSettings()
      settings.addressedScore = addressedScore
      let aggregator = CoverageAggregator(
        settings: settings, categoryIDs: ShippedCorpus.shared.taxonomy.ids)
      return aggregator.aggregate(documentID: "d", classifications).cell("O14")?.level
    }
    #expect(level([weak], addressedScore: 0) == .addressed)
    #expect(level([weak], addressedScore: strength) == .addressed)
    // Labelled, but only just over the threshold: the document touches the objective.
    #expect(level([weak], addressedScore: strength + 0.01) == .mentioned)
    // Three weak passages are no more substantive than one.
    #expect(level([weak, weak, weak], addressedScore: strength + 0.01) == .mentioned)

    let named = classifier.classify(
      passage("Under objective 14, consulates assist nationals abroad."))
    #expect(named.labels.contains("O14"))
    #expect(level([named], addressedScore: 10) == .addressed)

    // An analyst who confirms the weak label signs the claim: the revised cell is addressed.
    var confirmed = weak
    if let index = confirmed.scores.firstIndex(where: { $0.category == "O14" }) {
      confirmed.scores[index].review = .confirmed
    }
    var settings = CoverageSettings()
    settings.addressedScore = strength + 0.01
    let aggregator = CoverageAggregator(
      settings: settings, categoryIDs: ShippedCorpus.shared.taxonomy.ids)
    let before = aggregator.aggregate(documentID: "d", [weak])
    #expect(before.cell("O14")?.level == .mentioned)
    #expect(aggregator.revised(before, [confirmed]).cell("O14")?.level == .addressed)
  }
}

@Suite("Report apparatus")
struct ApparatusTests {
  static func detector(_ code: String, _ algorithm: String) throws -> ApparatusDetector {
    let lexicon = try Lexicon.load(
      Repository.corpus.appendingPathComponent("lexicons/\(code)/apparatus.yml"))
    return ApparatusDetector(
      lexicon: lexicon, tokenizer: Tokenizer(stemmer: try Stemmer(algorithm: algorithm)))
  }

  @Test("Method words that name a finding's sources are no apparatus; a method described still is")
  func findingSources() throws {
    let threshold = ClassifierSettings().apparatusThreshold
    for (code, algorithm, finding, method) in [
      (
        "en", "english",
        "Interviews, focus groups and desk research confirm that returnees were paid their grants within a month.",
        "The team held interviews and focus groups and carried out desk research over six weeks."
      ),
      (
        "fr", "french",
        "Les entretiens et les focus groups montrent que les personnes de retour ont reçu leur aide en un mois.",
        "L'équipe a mené des entretiens et des focus groups pendant six semaines dans trois régions."
      ),
    ] {
      let detector = try Self.detector(code, algorithm)
      let tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: algorithm))
      let reported = detector.assess(finding, tokens: tokenizer.tokens(finding), heading: nil)
      #expect(reported.score < threshold, "\(code): \(reported)")
      #expect(reported.cues.contains { $0.hasPrefix("sources of a finding: ") }, "\(reported)")
      let described = detector.assess(method, tokens: tokenizer.tokens(method), heading: nil)
      #expect(described.score >= threshold, "\(code): \(described)")
    }
  }

  @Test("A footnote of a few words is apparatus; a note that reports what was done is still read")
  func footnotes() throws {
    let detector = try Self.detector("en", "english")
    let tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: "english"))
    let threshold = ClassifierSettings().apparatusThreshold
    func assess(_ text: String, isFootnote: Bool) -> Apparatus {
      detector.assess(text, tokens: tokenizer.tokens(text), section: nil, isFootnote: isFootnote)
    }
    let aside = "12 Except for the figure on how satisfied returnees were with their grants."
    #expect(assess(aside, isFootnote: true).score >= threshold)
    #expect(assess(aside, isFootnote: true).cues == ["short footnote"])
    // The same words in the body are no apparatus.
    #expect(assess(aside, isFootnote: false).score == 0)
    let report =
      "7 Besides the four main countries, the programme also paid for the journeys home of "
      + "some two hundred migrants stranded in neighbouring states and helped them find work."
    #expect(assess(report, isFootnote: true).score < threshold)
    #expect(assess(report, isFootnote: true).cues == ["footnote"])
    // A long note that cites its source is apparatus, though its title is on topic.
    let citation =
      "44 Ministry of Labour (2021). Guidance for caseworkers supporting people who come back "
      + "home after working abroad, chapter two on their first weeks."
    #expect(assess(citation, isFootnote: true).score >= threshold)
    #expect(assess(citation, isFootnote: true).cues == ["footnote", "references: 1"])
    #expect(assess(citation, isFootnote: false).score < threshold)
    let groups = "31 FGDs and KIIs held with returnees in the three provinces."
    #expect(assess(groups, isFootnote: false).score >= threshold, "acronyms' plurals")
  }

  @Test(
    "Each language's apparatus examples: match sentences reach the default threshold, noMatch ones score nothing",
    arguments: [("en", "english"), ("fr", "french"), ("es", "spanish")])
  func examples(code: String, algorithm: String) throws {
    let lexicon = try Lexicon.load(
      Repository.corpus.appendingPathComponent("lexicons/\(code)/apparatus.yml"))
    let detector = try Self.detector(code, algorithm)
    let tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: algorithm))
    let threshold = ClassifierSettings().apparatusThreshold
    #expect(lexicon.matchExamples.count >= 2 && lexicon.noMatchExamples.count >= 2)
    for sentence in lexicon.matchExamples {
      let found = detector.assess(sentence, tokens: tokenizer.tokens(sentence), heading: nil)
      #expect(found.score >= threshold, "\(code) should be apparatus: \(sentence) \(found)")
    }
    for sentence in lexicon.noMatchExamples {
      let found = detector.assess(sentence, tokens: tokenizer.tokens(sentence), heading: nil)
      #expect(found.score == 0, "\(code) should not be apparatus: \(sentence) \(found)")
    }
  }

  @Test(
    "Questions, references, form fields and an apparatus heading are cues",
    arguments: [
      ("What support did you receive after your return? Was it enough?", nil, "questions: 2"),
      ("IOM (2020). Reintegration handbook, p. 34; Smith et al. 2019", nil, "references: 3"),
      ("Nom ________ Sexe 1 = Homme 2 = Femme", nil, "form fields: 3"),
      (
        "Returnees were met in six districts of the region.", "3. Methodology",
        "heading: methodology"
      ),
      (
        "272 Multiple interviews with staff. 273 Interviews with staff from Djibouti. 274 Field notes.",
        nil, "numbered notes: 3"
      ),
      ("Figure 1. Integrated approach to reintegration ............ 22", nil, "dot leaders: 1"),
      (
        "Title Ex-post Evaluation: Migration Health in Nepal; Final Evaluation of the Joint "
          + "Initiative; Informe de Evaluación Intermedia del Proyecto; Mid-Term Review of MIDAS",
        nil, "document titles: 5"
      ),
      (
        "Return: the act of going back to the point of departure.", "Definitions1",
        "heading: definitions"
      ),
    ] as [(String, String?, String)])
  func cues(text: String, heading: String?, cue: String) throws {
    let detector = try Self.detector("en", "english")
    let tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: "english"))
    let found = detector.assess(text, tokens: tokenizer.tokens(text), heading: heading)
    #expect(found.cues.contains(cue), "\(found.cues)")
    // A heading is shown as a cue, but alone it adds nothing.
    #expect(cue.hasPrefix("heading") ? found.score == 0 : found.score > 0)
  }

  @Test(
    "Under 'Challenges and limitations' a passage keeps its labels; 'Objective 7' in a method is a mention"
  )
  func sectionsOfAReview() throws {
    let corpus = ShippedCorpus.shared
    let classifier = PassageClassifier(
      settings: ClassifierSettings(),
      models: [
        "en": .init(
          tokenizer: corpus.tokenizer, matcher: corpus.matcher, tfidf: corpus.tfidf,
          apparatus: try Self.detector("en", "english"))
      ], categories: corpus.taxonomy.categories)
    let measure = classifier.classify(
      [
        passage(
          "Labour inspectors found that recruitment agencies still charged seasonal migrant "
            + "workers fees, so the ministry suspended eleven licences and the agencies repaid "
            + "the workers in full.", heading: "Challenges and limitations")
      ], documentLanguage: "en")[0]
    #expect(!measure.isApparatus && !measure.labels.isEmpty, "\(measure.apparatusCues)")
    let method = classifier.classify(
      [
        passage(
          "Interviews and focus group discussions with forty officials were held for this "
            + "review, and the questionnaire sent to ministries asked about Objective 7.",
          heading: "Methodology")
      ], documentLanguage: "en")[0]
    #expect(method.isApparatus && method.labels.isEmpty)
    let coverage = CoverageAggregator(
      settings: CoverageSettings(), categoryIDs: corpus.taxonomy.ids
    )
    .aggregate(documentID: "d", [method])
    #expect(coverage.cell("O07")?.level == .mentioned && coverage.cell("O07")?.mentions == 1)
  }

  @Test("A heading alone never makes apparatus; with other evidence it adds its weight")
  func headingAlone() throws {
    let detector = try Self.detector("en", "english")
    let tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: "english"))
    let threshold = ClassifierSettings().apparatusThreshold
    let measures =
      "Labour inspectors found that recruitment agencies still charged seasonal workers fees, "
      + "so the ministry suspended eleven licences and repaid the workers."
    for heading in ["Challenges and limitations", "3. Methodology", "Definitions", "References"] {
      let found = detector.assess(measures, tokens: tokenizer.tokens(measures), heading: heading)
      #expect(found.score < threshold, "\(heading): \(found)")
    }
    let questions = "Which agencies did you use? Did they charge a fee?"
    let plain = detector.assess(questions, tokens: tokenizer.tokens(questions), heading: nil)
    let headed = detector.assess(
      questions, tokens: tokenizer.tokens(questions), heading: "Annex 2: Questionnaire")
    #expect(plain.score > 0)
    #expect(headed.score == plain.score + ApparatusDetector.Weights().heading)
  }

  @Test("Prose about an evaluation or a review names no document titles")
  func evaluationProse() {
    let prose =
      "The final evaluation found that the review of return procedures was useful; "
      + "the evaluation team shared its report with the Government and the Ministry."
    #expect(ApparatusDetector.documentTitles(prose) == 0)
  }

  @Test(
    "Document titles counted on bytes, with punctuation, accents and other spaces",
    arguments: [
      ("Mid-Term Review; Final Evaluation: “Interim Narrative Report”", 3),
      ("Évaluation Finale du projet, Rapport Annuel 2023", 2),
      ("Informe\u{A0}Final y Estudio de Caso", 1),
      ("Review of the plan. Evaluation of the law.", 0),
      ("Annual Report\tCountry Study\nThematic Assessment", 3),
      ("(Evaluation) 2021 Review", 0),
      ("", 0),
    ])
  func documentTitleForms(text: String, expected: Int) {
    #expect(ApparatusDetector.documentTitles(text) == expected)
  }

  @Test("An apparatus passage keeps its scores, loses its labels and says which were withheld")
  func withheld() throws {
    let corpus = ShippedCorpus.shared
    let model = PassageClassifier.LanguageModel(
      tokenizer: corpus.tokenizer, matcher: corpus.matcher, tfidf: corpus.tfidf,
      apparatus: try Self.detector("en", "english"))
    let classifier = PassageClassifier(
      settings: ClassifierSettings(), models: ["en": model],
      categories: corpus.taxonomy.categories)
    let method = classifier.classify(
      passage(
        "Key informant interviews and focus group discussions with returnees were held; "
          + "the evaluation team triangulated them with a desk review of reintegration data."))
    #expect(method.labels.isEmpty)
    #expect(method.withheld.contains("O21"), "\(method.withheld)")
    #expect(method.isApparatus)
    let programme = classifier.classify(
      passage("Returnees received reintegration grants and psychosocial support in 2023."))
    #expect(programme.labels.first == "O21")
    #expect(!programme.isApparatus && programme.withheld.isEmpty)
  }
}

@Suite("Document share and logistic combination")
struct DocumentShareTests {
  @Test(
    "The document's share is the part of its passages whose strongest lexicon evidence is the category"
  )
  func shares() {
    let classifier = ShippedCorpus.shared.classifier()
    let passages = [
      passage("Returnees received reintegration grants in their communities of origin."),
      passage("Reintegration assistance reached 3,000 returnees in 2023."),
      passage("Remittance transfer costs fell to 3 per cent."),
      passage("The weather was pleasant during the whole of that year."),
    ]
    let classified = classifier.classify(passages, documentLanguage: "en")
    #expect(classified[0].score("O21")?.document == 0.5)
    #expect(classified[2].score("O20")?.document == 0.25)
  }

  @Test("Logistic combination: the logistic function of the weighted parts and the intercept")
  func logistic() {
    var settings = ClassifierSettings()
    settings.combination = .logistic
    settings.intercept = -2
    settings.keywordWeight = 4
    settings.tfidfWeight = 0
    settings.mentionWeight = 0
    settings.headingWeight = 0
    settings.documentWeight = 2
    settings.relevanceWeight = 1
    let value = settings.combine(
      keyword: 0.5, tfidf: 0.9, mention: 1, heading: 1, document: 0.25, relevance: 0.5)
    // -2 + 4 × 0.5 + 2 × 0.25 + 1 × 0.5 = 1, and 1 / (1 + e^-1) = 0.7310585786300049.
    #expect(abs(value - 0.731_058_578_630_004_9) < 1e-12)
  }
}

@Suite("Coverage without report apparatus")
struct ApparatusCoverageTests {
  @Test("Report apparatus counts for nothing but its explicit mentions: mentioned, never addressed")
  func apparatusCountsForNothing() {
    let aggregator = CoverageAggregator(
      settings: CoverageSettings(), categoryIDs: ShippedCorpus.shared.taxonomy.ids)
    let score = CategoryScore(
      category: "O12", keyword: 0.6, tfidf: 0, mention: 1, heading: 0, combined: 0.9, terms: [],
      contributors: [], mentions: [])
    let method = Classification(
      passage: passage("Interviews were held with returnees under Objective 12."), scores: [score],
      labels: [], isApparatus: true, apparatusScore: 1.2, apparatusCues: ["interview"],
      withheld: ["O12"])
    let programme = Classification(
      passage: passage("Screening and referral of vulnerable migrants improved."),
      scores: [score], labels: ["O12"])
    let alone = aggregator.aggregate(documentID: "d", [method])
    #expect(alone.passageCount == 0)
    #expect(alone.cell("O12")?.level == CoverageLevel.mentioned)
    #expect(alone.cell("O12")?.mentions == 1 && alone.cell("O12")?.strongest == 0)
    #expect(alone.cell("O12")?.passages == 0)
    let both = aggregator.aggregate(documentID: "d", [method, programme])
    #expect(both.passageCount == 1 && both.cell("O12")?.share == 1)
  }
}

@Suite("Generic terms need their subject nearby")
struct NearTests {
  @Test(
    "A term marked near: migration counts only with a migration word within the window",
    arguments: [
      ("Data on migrant workers are published every quarter.", true),
      ("The observatory publishes data; migrants are counted once a year.", true),
      ("Data were collected through a survey of stakeholders and interviews.", false),
      (
        "Data were collected in twelve districts over three months by a team of enumerators "
          + "and supervisors, long before anyone spoke of migration.", false
      ),
    ])
  func near(text: String, counts: Bool) {
    let corpus = ShippedCorpus.shared
    let hits = corpus.matcher.matches(corpus.tokenizer.tokens(text)).filter {
      $0.category == "O01" && $0.term == "data"
    }
    #expect(hits.isEmpty != counts, "\(text)")
  }

  @Test("A specific term counts on its own")
  func specific() {
    let corpus = ShippedCorpus.shared
    let hits = corpus.matcher.matches(
      corpus.tokenizer.tokens("The national statistics office ran a census in 2020."))
    #expect(hits.contains { $0.category == "O01" && $0.term == "census" })
  }
}

@Suite("Document ranking")
struct DocumentRankTests {
  @Test(
    "documentRank orders the labels a passage earned by what the document is about, and makes none")
  func ranking() {
    var settings = ClassifierSettings()
    settings.documentRankWeight = 1
    let classifier = ShippedCorpus.shared.classifier(settings)
    let plain = ShippedCorpus.shared.classifier()
    let document = [
      passage("Returnees received reintegration grants in their communities of origin."),
      passage("Reintegration assistance reached 3,000 returnees in 2023."),
      passage(
        "Returnees received reintegration support and psychosocial care for victims of trafficking."
      ),
      passage("The weather was pleasant during the whole of that year."),
    ]
    let ranked = classifier.classify(document, documentLanguage: "en")
    let unranked = plain.classify(document, documentLanguage: "en")
    for (with, without) in zip(ranked, unranked) {
      // The same categories reach the threshold; only their order and scores may differ.
      let reached = { (c: Classification) in
        Set(c.scores.filter { $0.combined >= settings.threshold }.map(\.category))
      }
      #expect(reached(with) == reached(without))
    }
    #expect(ranked[2].labels.first == "O21")
    #expect(ranked[3].labels.isEmpty)
  }
}

@Suite("Coverage levels in long documents")
struct LongDocumentCoverageTests {
  @Test(
    "Three labelled passages of a hundred are addressed, not substantive; a tenth is substantive")
  func evenShare() {
    let aggregator = CoverageAggregator(
      settings: CoverageSettings(), categoryIDs: ShippedCorpus.shared.taxonomy.ids)
    func classification(_ labels: [String]) -> Classification {
      let scores = labels.map {
        CategoryScore(
          category: $0, keyword: 0.6, tfidf: 0.5, mention: 0, heading: 0, combined: 1,
          terms: [], contributors: [], mentions: [])
      }
      return Classification(passage: passage("A passage."), scores: scores, labels: labels)
    }
    let passages =
      Array(repeating: classification(["O05"]), count: 3)
      + Array(repeating: classification(["O21"]), count: 10)
      + Array(repeating: classification([]), count: 87)
    let coverage = aggregator.aggregate(documentID: "d", passages)
    #expect(coverage.cell("O05")?.level == .addressed)
    #expect(coverage.cell("O21")?.level == .substantive)
  }
}

@Suite("Heading support")
struct HeadingSupportTests {
  @Test("A heading's terms support a passage with terms of its own; alone they label nothing")
  func headingTermsSupport() {
    let classifier = ShippedCorpus.shared.classifier()
    let cells = classifier.classify(
      passage("Programme/ Project External Country Somalia Africa Fund", heading: "AVRR"))
    #expect(cells.score("O21")?.heading == 0)
    #expect(!cells.labels.contains("O21"))
    let text = classifier.classify(
      passage("Returnees received grants to start small businesses.", heading: "AVRR"))
    #expect(text.score("O21")?.heading ?? 0 > 0)
    let named = classifier.classify(
      passage("The programme runs in six provinces.", heading: "Objective 21: Return"))
    #expect(named.score("O21")?.heading == 1)
  }
}

@Suite("Required subject")
struct RequiredSubjectTests {
  @Test(
    "With classify.subject, a passage without a migration word gets only the objectives it names")
  func subjectRule() {
    var settings = ClassifierSettings()
    settings.subject = "migration"
    let classifier = ShippedCorpus.shared.classifier(settings)
    let generic = classifier.classify(
      passage("Labour inspectors checked that recruitment agencies charged no fees to workers."))
    #expect(generic.labels.isEmpty && generic.subjectWords == 0)
    let migrant = classifier.classify(
      passage(
        "Labour inspectors checked that recruitment agencies charged no fees to migrant workers."))
    #expect(migrant.labels.contains("O06") && migrant.subjectWords > 0)
    let named = classifier.classify(
      passage("Under Objective 6, labour inspectors checked recruitment agencies."))
    #expect(named.labels.contains("O06"))
    let plain = ShippedCorpus.shared.classifier().classify(
      passage("Labour inspectors checked that recruitment agencies charged no fees to workers."))
    #expect(plain.labels.contains("O06"))
  }
}

/// The subject rule as the default pipeline sets it: migration, focus 6 words per 1,000.
let migrationFocus: ClassifierSettings = {
  var settings = ClassifierSettings()
  settings.subject = "migration"
  settings.subjectFocus = 6
  return settings
}()

@Suite("Documents about migration")
struct SubjectFocusTests {
  @Test(
    "With subjectFocus, a passage without a migration word is labelled in a migration document only"
  )
  func focus() {
    let classifier = ShippedCorpus.shared.classifier(migrationFocus)
    let recruitment = passage(
      "Labour inspectors checked that recruitment agencies charged no fees to workers.")
    let aboutMigration = [
      passage("The national migration policy covers migrants in every province."),
      passage("Migrant workers and their families can reach a migrant resource centre."),
      recruitment,
    ]
    let aboutEvaluation = [
      passage("The evaluation team held interviews with staff in every province."),
      passage("The ratings of the reports improved between the two periods."),
      recruitment,
    ]
    let inMigration = classifier.classify(aboutMigration, documentLanguage: "en")
    let inEvaluation = classifier.classify(aboutEvaluation, documentLanguage: "en")
    #expect(inMigration[2].subjectDensity >= 6 && inMigration[2].labels.contains("O06"))
    #expect(inEvaluation[2].subjectDensity < 6 && inEvaluation[2].labels.isEmpty)
    // Alone, the passage is its own document: it holds no migration word.
    #expect(classifier.classify(recruitment).labels.isEmpty)
  }
}

@Suite("Context of a document about migration")
struct DocumentContextTests {
  let settings = migrationFocus

  @Test("A generic term needs no migration word nearby in a document about migration")
  func genericTermsInMigrationDocument() {
    let classifier = ShippedCorpus.shared.classifier(settings)
    let data = passage(
      "The statistics office now publishes its data every quarter, disaggregated by sex and age.")
    let document = [
      passage("The national migration policy covers migrants and their families."),
      passage("Migrant workers can reach a migrant resource centre in every province."),
      data,
    ]
    let labelled = classifier.classify(document, documentLanguage: "en")[2]
    #expect(labelled.score("O01")?.terms.contains { $0.term == "data" } == true)
    // Alone, "data" far from any migration word is no evidence.
    #expect(classifier.classify(data).score("O01")?.terms.contains { $0.term == "data" } != true)
  }

  @Test("A term shared by objectives takes the sense of the subject the document is about")
  func sharedTermTakesDocumentSense() {
    let classifier = ShippedCorpus.shared.classifier(settings)
    let caseManagement = passage(
      "Caseworkers said that case management takes most of their week; few had been trained.")
    let aboutReturn = [
      passage("Returnees received reintegration assistance after their voluntary return."),
      passage("The reintegration of return migrants was followed for a year by the missions."),
      caseManagement,
    ]
    let aboutMigrationOnly = [
      passage("The national migration policy covers migrants and their families."),
      passage("Migrant workers can reach a migrant resource centre in every province."),
      caseManagement,
    ]
    // In a return study, "case management" is return case management (O21) without a return
    // word beside it, and the passage says so.
    let inReturnStudy = classifier.classify(aboutReturn, documentLanguage: "en")[2]
    #expect(
      inReturnStudy.contextSubjects == ["migration", "return"]
        && inReturnStudy.subjectSource == "document")
    #expect(inReturnStudy.score("O21")?.terms.contains { $0.term == "case management" } == true)
    #expect(inReturnStudy.labels.first == "O21", "\(inReturnStudy.labels)")
    // In a document about migration but not return, the return sense is not assumed.
    let elsewhere = classifier.classify(aboutMigrationOnly, documentLanguage: "en")[2]
    #expect(elsewhere.contextSubjects == ["migration"])
    #expect(elsewhere.score("O21")?.terms.contains { $0.term == "case management" } != true)
  }

  @Test("Quoted names are no evidence in a document that is not about migration")
  func quotedNames() {
    let classifier = ShippedCorpus.shared.classifier(settings)
    let rating = passage(
      "Reports on “counter-trafficking” and “assisted voluntary return” were rated highest.")
    // A long document about evaluation quality: its few migration words are under 6 per 1,000.
    let method = (1...24).map { number in
      passage(
        "In round \(number) the evaluation team rated the quality of every report on a scale of "
          + "four points, checking its methodology, evaluation matrix, sampling and conclusions.")
    }
    let offSubject = method + [rating]
    let found = classifier.classify(offSubject, documentLanguage: "en")[24]
    #expect(found.subjectDensity < 6)
    #expect(found.score("O10")?.keyword ?? 0 == 0 && found.score("O21")?.keyword ?? 0 == 0)
    #expect(found.labels.isEmpty)
    #expect(
      Quotations.spans("the “A b” and «c» or \"d\", not it’s")
        == [5..<8, 15..<16, 22..<23])
  }
}

@Suite("Objectives and principles")
struct LabelKindsTests {
  @Test("A principle is chosen against the best principle, not against the passage's objective")
  func principlesBesideObjectives() {
    let classifier = ShippedCorpus.shared.classifier()
    let found = classifier.classify(
      passage(
        "Returnees received reintegration assistance, reintegration grants and psychosocial "
          + "support in their communities, in a gender-responsive way that met the needs of women."
      ))
    let objective = found.score("O21")?.combined ?? 0
    let principle = found.score("P07")?.combined ?? 0
    // The principle scores under 60% of the objective and is still a label beside it.
    #expect(found.labels.first == "O21")
    #expect(principle < 0.6 * objective && found.labels.contains("P07"), "\(found.labels)")
  }
}

@Suite("Mentions in Russian, Arabic and Chinese")
struct OtherScriptMentionTests {
  func found(_ text: String) -> [String] {
    MentionDetector().mentions(in: text).map(\.category)
  }

  @Test("Objectives by number, one or several, and ranges")
  func objectives() {
    #expect(found("В рамках Цель 5 правительство упростило выдачу виз.") == ["O05"])
    #expect(found("Меры по цели 2 и 3 описаны ниже.") == ["O02", "O03"])
    #expect(found("Для целей 2, 5 и 7 созданы рабочие группы.") == ["O02", "O05", "O07"])
    #expect(found("См. цель № 12.") == ["O12"])
    #expect(found("См. цель No 12.") == ["O12"])
    #expect(found("Цель 2,5 процента").isEmpty)
    #expect(found("По целям 2–4 приняты планы.") == ["O02", "O03", "O04"])
    #expect(found("في إطار الهدف 5 بسطت الحكومة إجراءات التأشيرات.") == ["O05"])
    #expect(found("تتناول الأهداف 2 و3 أسباب الهجرة.") == ["O02", "O03"])
    #expect(found("ويغطي الهدفين ٢ و٣ هذا الفصل.") == ["O02", "O03"])
    #expect(found("关于目标5，政府简化了签证程序。") == ["O05"])
    #expect(found("目标2和3涉及移民的驱动因素。") == ["O02", "O03"])
    #expect(found("目标2、5和7的措施见下文。") == ["O02", "O05", "O07"])
    #expect(found("目标2至4的行动计划已经通过。") == ["O02", "O03", "O04"])
  }

  @Test("The Sustainable Development Goals and a project's objectives are not the Compact's")
  func notMentions() {
    #expect(found("Цель 10 в области устойчивого развития касается неравенства.").isEmpty)
    #expect(found("Конкретная цель 3 проекта выполнена.").isEmpty)
    #expect(found("可持续发展目标10涉及减少不平等。").isEmpty)
    #expect(found("项目具体目标3已经完成。").isEmpty)
    #expect(found("الهدف 10 من أهداف التنمية المستدامة يتعلق بالحد من أوجه عدم المساواة.").isEmpty)
    #expect(found("Целевой показатель 25% достигнут.").isEmpty)
  }

  @Test("A pair of Chinese characters counts half a word in a document's words per 1,000")
  func chineseWordCount() throws {
    let tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: "english"))
    // 移民工人 gives three pairs, about two words; Latin words count one each.
    #expect(PassageClassifier.wordCount(tokenizer.tokens("移民工人")) == 2)
    #expect(PassageClassifier.wordCount(tokenizer.tokens("IOM 移民工人 data")) == 4)
    #expect(PassageClassifier.wordCount(tokenizer.tokens("migrant workers")) == 2)
  }

  @Test("Principles by name, inside a Chinese line too")
  func principles() {
    #expect(found("Правительство следует общегосударственному подходу к миграции.") == ["P09"])
    #expect(found("План опирается на подход с участием всего общества.") == ["P10"])
    #expect(found("تعتمد الخطة نهج يشمل الحكومة بأسرها في إدارة الهجرة.") == ["P09"])
    // "بمبدأ": a preposition joined to the word is a limit of names matched as written.
    #expect(found("وتلتزم الحكومة بمبدأ السيادة الوطنية.").isEmpty)
    #expect(found("تؤكد الخطة مبدأ السيادة الوطنية.") == ["P03"])
    #expect(found("我国采取整体政府方针和整体社会方针管理移民。") == ["P09", "P10"])
    #expect(found("该计划坚持以人为本。") == ["P01"])
    #expect(found("政府整体预算增加了。").isEmpty)
  }
}
