import Foundation
import GCMapCore
import Pipeline
import Scoring
import TestSupport
import Testing

/// Whether a passage is about migration is read on the passage, its heading and its
/// neighbours (the default pipeline), not on how much its document talks about migration.
@Suite("Migration relevance per passage")
struct RelevanceTests {
  let classifier: PassageClassifier

  init() throws {
    classifier = try Analysis.shipped().classifier
  }

  func passages(_ texts: [String], heading: String? = nil) -> [Passage] {
    texts.enumerated().map { index, text in
      Passage(
        id: "p\(index)", documentID: "review", page: index + 1, endPage: index + 1, start: 0,
        end: text.unicodeScalars.count, heading: heading, text: text)
    }
  }

  @Test("The words people use for migration make a passage about it without 'migrant'")
  func broadVocabulary() {
    let texts = [
      "Farm workers hired abroad for the harvest now get work visas within two weeks.",
      "Consulates opened a telephone line for nationals abroad who lose their passports.",
      "Deportation orders can be appealed, and unaccompanied minors are never removed.",
    ]
    for text in texts {
      let found = classifier.classify(passages([text])[0], documentLanguage: "en")
      #expect(found.subjectSource == "passage", "\(text)")
      #expect(!found.labels.isEmpty, "\(text): \(found.scores.prefix(3).map(\.category))")
    }
  }

  @Test("Words that also name other subjects do not make a passage about migration")
  func otherSenses() {
    let texts = [
      "Customs seized cocaine at the port; the drug trafficking ring had hidden it in fruit.",
      "The urban mobility plan adds bus lanes and bicycle paths in the city centre.",
      "A cross-border power line lets the two utilities trade electricity at peak hours.",
    ]
    for text in texts {
      let found = classifier.classify(passages([text])[0], documentLanguage: "en")
      #expect(found.subjectSource == "", "\(text)")
      #expect(found.labels.isEmpty, "\(text): \(found.labels)")
    }
  }

  @Test("In a review dense with migration words, its budget and privacy pages stay unlabelled")
  func documentDoesNotLabelEveryPassage() {
    let review = passages([
      "Migrant workers recruited abroad receive a work permit and a written contract, and "
        + "recruitment agencies may not charge them fees.",
      "The annex lists the budget of the consultation: 40,000 for meetings, 12,000 for "
        + "translation and 8,000 for printing, paid from the ministry's own budget line.",
      "Personal data of the people who took part in the consultation are kept for two years; "
        + "anyone may ask for their information to be corrected or deleted.",
      "Migrants in an irregular situation can see a doctor; clinics share no data with "
        + "immigration authorities, and migrant children attend public schools.",
    ])
    let found = classifier.classify(review, documentLanguage: "en")
    #expect(!found[0].labels.isEmpty && !found[3].labels.isEmpty)
    #expect(found[1].labels.isEmpty, "budget: \(found[1].labels) from \(found[1].subjectSource)")
    #expect(found[2].labels.isEmpty, "privacy: \(found[2].labels) from \(found[2].subjectSource)")
  }

  @Test("In a document about one objective, a paragraph without a migration word keeps it")
  func documentAboutOneObjective() {
    let guidance = passages([
      "Remittances sent by migrant workers are a lifeline for families in countries of origin.",
      "Remittance service providers should publish their fees, and migrants should be able to "
        + "compare the cost of remittances between banks and money transfer operators.",
      "Lowering remittance costs to three per cent for migrant families is a shared target.",
      "Mobile money operators cut the fees on small transfers, and the central bank publishes "
        + "a monthly comparison of what each provider charges for sending money home.",
      "The national strategy on remittances also trains migrants in financial literacy.",
    ])
    let found = classifier.classify(guidance, documentLanguage: "en")
    #expect(found[3].subjectSource == "document")
    #expect(found[3].labels.first == "O20", "\(found[3].labels)")
  }

  @Test("A passage takes its subject from its heading, or a neighbour in its section when asked")
  func headingAndNeighbours() throws {
    let underHeading = classifier.classify(
      passages(
        ["Employers must pay the return ticket, and contracts are checked before departure."],
        heading: "Seasonal workers from partner countries")[0], documentLanguage: "en")
    #expect(underHeading.subjectSource == "heading")
    #expect(!underHeading.labels.isEmpty)
    let section = passages(
      [
        "Seasonal migrant workers from partner countries come for the fruit harvest each year.",
        "Their contracts are checked by labour inspectors, recruitment fees are forbidden and "
          + "employers pay for the journey.",
      ], heading: "Labour")
    // Off in the default pipeline (cross-validation found no gain), neighbours supply the
    // subject with classify.neighbourRelevance.
    #expect(classifier.classify(section, documentLanguage: "en")[1].subjectSource != "neighbour")
    let corpus = Corpus(root: Repository.corpus)
    var settings = try PipelineSettings.load(corpus.defaultPipeline)
    settings.classifier.neighbourRelevance = 0
    let withNeighbours = try Analysis(corpus: corpus, settings: settings).classifier
    let found = withNeighbours.classify(section, documentLanguage: "en")
    #expect(found[1].subjectSource == "neighbour")
    #expect(found[1].labels.contains("O06"), "\(found[1].labels)")
  }
}

@Suite("Closest action")
struct ClosestActionTests {
  @Test("A label names the Compact's action its passage is closest to, shown in passages.csv")
  func closestAction() throws {
    let classifier = try Analysis.shipped().classifier
    let text =
      "The central bank now publishes a comparison of remittance transfer costs, and mobile "
      + "money operators may offer cheaper transfers to migrants' families at home."
    let found = classifier.classify(
      Passage(
        id: "p1", documentID: "d", page: 1, endPage: 1, start: 0, end: text.unicodeScalars.count,
        heading: nil, text: text), documentLanguage: "en")
    let score = try #require(found.score("O20"))
    #expect(found.labels.contains("O20"))
    // Objective 20's actions: the closest is one of them, named by number and letter.
    let action = try #require(score.closestAction)
    #expect(action.hasPrefix("20(") || action == "20 (commitment)", "\(action)")
    #expect(score.actionSimilarity > 0)
    // Categories that are not labels carry none (it is evidence for a label).
    #expect(
      found.scores.filter { !found.labels.contains($0.category) }.allSatisfy {
        $0.closestAction == nil
      })
  }
}
