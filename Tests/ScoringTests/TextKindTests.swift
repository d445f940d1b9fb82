import Foundation
import GCMapCore
import Scoring
import Testing

@Suite("Tables, charts and contents")
struct TextKindTests {
  @Test("Prose, with notes' numbers after full stops and list items without one")
  func prose() {
    let texts = [
      "Recruitment agencies may no longer charge fees to the workers they place abroad.",
      "The number of partners rose from 25 in 2017 to 180 by the end of 2022.56 Most were local.",
      "The survey found that 136 partners used the data, above the target of 42.53",
      "• training of labour inspectors on the rights of workers hired in other countries",
      "Remittance costs fell.",
    ]
    for text in texts { #expect(TextKind.of(text) == .prose, "\(text)") }
  }

  @Test("Cells, chart labels, contents and lists of titles are not prose")
  func notProse() {
    #expect(
      TextKind.of(
        "Counter-trafficking Labour migration Border management Donor A Donor B 2019 2020 12 7")
        == .contents)
    #expect(TextKind.of("2019 2020 2021 14 27 31 12% 45% 3,200 4,100") == .table)
    // Decimals end no sentence: a budget table's areas and amounts are not prose.
    #expect(
      TextKind.of(
        "Thematic area Border management Counter-trafficking Labour migration Remittances and "
          + "diaspora 2024 1.2 0.8 0.5 0.3 2025 1.4 0.9 0.7 0.3") != .prose)
    #expect(
      TextKind.of("Return assistance (n = 5) Counter-trafficking (n = 7) Migration health (n = 4)")
        == .figure)
    #expect(
      TextKind.of("Introduction ........ 4 Methodology ........ 7 Findings ........ 12")
        == .contents)
    #expect(
      TextKind.of(
        "Final Evaluation of the Labour Mobility Programme in West Africa Mid-Term Review of the "
          + "Border Management Project") == .contents)
  }

  @Test("A table by objective that holds sentences keeps its labels; its cells of names do not")
  func tableRows() {
    let classifier = ShippedCorpus.shared.classifier()
    let row = classifier.classify(
      passage(
        "Objective 6 The labour inspectorate checked every licensed agency, and recruitment fees "
          + "charged to migrant workers were refunded in 41 cases."))
    #expect(row.part == "body" && row.labels.contains("O06"), "\(row.labels)")
    let cells = classifier.classify(
      passage("Fair recruitment Labour migration Remittances Border management Total 12 9 4 7"))
    #expect(cells.part != "body" && cells.labels.isEmpty && cells.isApparatus)
    #expect(!cells.withheld.isEmpty)
  }
}

@Suite("Mentions need the Compact's form")
struct MentionFormTests {
  @Test("A percentage, a score or 'objective' as an adjective is no mention")
  func notMentions() {
    let detector = MentionDetector(categories: ShippedCorpus.shared.taxonomy.categories)
    for text in [
      "Judgements are objective 4% of the time.", "Rated objective 4/5 by the reviewers.",
      "Findings were objective 3 times out of 4.", "The score for objective 4.5 was high.",
    ] {
      #expect(detector.mentions(in: text).isEmpty, "\(text)")
    }
    for (text, id) in [
      ("Under Objective 5, visas were simplified.", "O05"),
      ("GCM objective 12 guided the screening.", "O12"),
    ] {
      #expect(detector.mentions(in: text).map(\.category) == [id], "\(text)")
    }
    #expect(
      Set(detector.mentions(in: "It serves objectives 2 and 3.").map(\.category)) == ["O02", "O03"])
  }
}

@Suite("Kinds of text in scripts without case or spaces")
struct OtherScriptKindTests {
  @Test("Arabic and Chinese sentences are prose; their lists of names are not")
  func prose() {
    #expect(
      TextKind.of("أصدرت الوزارة لائحة جديدة تحمي العمال في الخارج من رسوم الاستقدام.") == .prose)
    #expect(TextKind.of("هل وصلت المساعدة إلى جميع الأسر المحتاجة؟") == .prose)
    #expect(TextKind.of("移民管理部门把签证和居留许可的申请合并到同一个网上平台。") == .prose)
    #expect(TextKind.of("平均审批时间缩短到十八天！") == .prose)
    // Cells of a table: numbers and short names, no sentence.
    #expect(TextKind.of("2021 2022 2023 45 18 12") == .table)
  }
}
