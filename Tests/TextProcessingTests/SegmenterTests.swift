import GCMapCore
import Testing

@testable import TextProcessing

@Suite("Segmentation into passages")
struct SegmenterTests {
  let segmenter = Segmenter()

  /// The span a passage points at, with line breaks folded as in passage text.
  func span(_ passage: Passage, in pages: [Page]) -> String {
    let texts = Dictionary(
      uniqueKeysWithValues: pages.map { ($0.number, Array($0.text.unicodeScalars)) })
    var scalars: [Unicode.Scalar] = []
    for number in passage.page...passage.endPage {
      let text = texts[number] ?? []
      let start = number == passage.page ? passage.start : 0
      let end = number == passage.endPage ? passage.end : text.count
      if !scalars.isEmpty { scalars.append(" ") }
      scalars += text[start..<end]
    }
    return String(String.UnicodeScalarView(scalars))
      .split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  @Test("Paragraphs become passages under the heading above them, with ids and offsets")
  func paragraphsAndHeadings() {
    let pages = [
      page(
        """
        Introduction

        The Government adopted a national migration strategy in 2024 after a broad
        consultation with civil society.

        Regular pathways

        A new seasonal work scheme opened in 2025 for workers from three partner countries.
        """)
    ]
    let passages = segmenter.segment(pages, documentID: "doc")
    #expect(passages.map(\.id) == ["doc#1", "doc#2"])
    #expect(passages.map(\.heading) == ["Introduction", "Regular pathways"])
    #expect(passages[0].text.hasPrefix("The Government adopted"))
    #expect(passages[0].text.contains("broad consultation"))
    for passage in passages { #expect(span(passage, in: pages) == passage.text) }
  }

  @Test("Lettered actions and bullets are passages of their own")
  func listItems() {
    let pages = [
      page(
        """
        a. Use existing relevant human rights mechanisms to improve independent monitoring
        of migrant detention
        b. Consolidate a comprehensive repository to disseminate best practices of human
        rights based alternatives to detention
        """)
    ]
    let passages = segmenter.segment(pages, documentID: "d")
    #expect(passages.count == 2)
    #expect(passages[1].text.hasPrefix("b. Consolidate"))
  }

  @Test("A paragraph broken by a page continues on the next page, with both page numbers")
  func continuation() {
    let pages = [
      page(
        "c. Review and revise relevant legislation to ensure that migrants are not detained arbitrarily,",
        number: 1),
      page(
        "in full compliance with due process and procedural safeguards.\n\nd. Provide access to justice for all migrants in countries of transit.",
        number: 2),
    ]
    let passages = segmenter.segment(pages, documentID: "d")
    #expect(passages.count == 2)
    #expect(passages[0].page == 1 && passages[0].endPage == 2)
    #expect(
      passages[0].text.hasSuffix(
        "arbitrarily, in full compliance with due process and procedural safeguards."))
    #expect(span(passages[0], in: pages) == passages[0].text)
  }

  @Test(
    "Footnotes at a page's foot are passages of their own; the paragraph they interrupt joins its next page"
  )
  func footnotes() {
    func small(_ text: String, y: Double, startsBlock: Bool = true) -> TextLine {
      TextLine(
        text: text, box: Box(x0: 56, y0: y, x1: 400, y1: y + 7), fontSize: 7,
        startsBlock: startsBlock)
    }
    let pages = [
      a4(
        1,
        [
          line("The labour ministry opened a desk for seasonal workers hired abroad.", y: 80),
          line("It answers questions on contracts, visas and fees in four languages,", y: 120),
          line(
            "and since March it has also been sending officers to the two", y: 132,
            startsBlock: false),
          small("4 Ministry of Labour, annual report 2024, p. 12.", y: 760),
          small("5 The figures cover the first half of the year only and were", y: 772),
          small(
            "revised in June after a count of the regional offices.", y: 782, startsBlock: false),
        ]),
      a4(
        2,
        [
          line("border crossings where recruiters meet workers before they leave.", y: 80),
          line("A second desk will open in the capital next year.", y: 120),
        ]),
    ]
    let passages = segmenter.segment(pages, documentID: "d")
    let texts = passages.map(\.text)
    let continued = passages.first { $0.text.hasPrefix("It answers") }
    #expect(
      continued?.text
        == "It answers questions on contracts, visas and fees in four languages, and since March it "
        + "has also been sending officers to the two border crossings where recruiters meet "
        + "workers before they leave.", "\(texts)")
    #expect(continued?.page == 1 && continued?.endPage == 2)
    // Its offsets run from its first line to its last, over the notes between them.
    let spanned = continued.map { span($0, in: pages) } ?? ""
    #expect(spanned.hasPrefix("It answers questions") && spanned.hasSuffix("before they leave."))
    #expect(continued?.pageReference == "pp. 1-2")
    // Each note on its own, its second line with it; neither joined to prose.
    let notes = passages.filter(\.isFootnote)
    #expect(
      notes.map(\.text) == [
        "4 Ministry of Labour, annual report 2024, p. 12.",
        "5 The figures cover the first half of the year only and were revised in June after a "
          + "count of the regional offices.",
      ])
    #expect(
      passages.filter { !$0.isFootnote }.allSatisfy { !$0.text.contains("Ministry of Labour") })
  }

  @Test("A short fragment joins a paragraph of its own column, not one beside it")
  func fragmentsInColumns() {
    var segmenter = Segmenter()
    segmenter.minimumWords = 12
    let left = (1...4).map { row in
      line(
        "Row \(row) of a paragraph on the labour attaches sent to the consulates abroad.",
        y: 200 + 12 * Double(row), width: 240, startsBlock: row == 1)
    }
    let pages = [
      a4(
        1,
        [line("Attaches were trained in six weeks.", y: 180, width: 240)] + left + [
          line("A sidebar: the desk is funded by the national budget.", y: 212, x: 330, width: 200)
        ])
    ]
    let passages = segmenter.segment(pages, documentID: "d")
    // The left fragment opens the left paragraph; the sidebar stays a passage of its own.
    #expect(passages.first?.text.hasPrefix("Attaches were trained in six weeks. Row 1") == true)
    #expect(
      passages.contains { $0.text == "A sidebar: the desk is funded by the national budget." })
  }

  @Test("Small print that opens with a number is a note only as the notes run on")
  func noteMarks() {
    #expect(Segmenter.noteMark("12 IOM (2019), p. 4.") == .number(12))
    #expect(Segmenter.noteMark("3See the annex.") == .number(3))
    #expect(Segmenter.noteMark("* Provisional figures.") == .symbol)
    #expect(Segmenter.noteMark("[4] Ibid.") == .symbol)
    #expect(Segmenter.noteMark("2008/115/EC") == .none)
    #expect(Segmenter.noteMark("The figures") == .none)
    // After note 15, "16 ..." opens note 16; "2008 ..." and "3 ..." go on with the note.
    #expect(Segmenter.startsNote(.number(16), after: 15))
    #expect(!Segmenter.startsNote(.number(2008), after: 15))
    #expect(!Segmenter.startsNote(.number(3), after: 15))
    #expect(Segmenter.startsNote(.number(40), after: nil))
  }

  @Test("Short fragments join the next paragraph")
  func fragments() {
    let pages = [
      page(
        "Key results\n\n• Hotline\n\n• A hotline answers questions from migrant workers in six languages."
      )
    ]
    let passages = segmenter.segment(pages, documentID: "d")
    #expect(passages.count == 1)
    #expect(
      passages[0].text
        == "• Hotline • A hotline answers questions from migrant workers in six languages.")
  }

  @Test("Very long paragraphs are split at sentence ends, offsets still exact")
  func longParagraphs() {
    let sentence =
      "The Government expanded access to health care for migrant workers in 2025 (see para. 4). "
    let pages = [page(String(repeating: sentence, count: 30))]
    let passages = segmenter.segment(pages, documentID: "d")
    #expect(passages.count >= 3)
    for passage in passages {
      #expect(passage.text.count <= segmenter.targetLength)
      #expect(passage.text.hasPrefix("The Government"))
      #expect(passage.text.hasSuffix("4)."))
      #expect(span(passage, in: pages) == passage.text)
    }
  }

  @Test(
    "Sentence ends skip abbreviations and initials",
    arguments: [
      ("It ended. Next one", 2), ("See e.g. Annex two", 1), ("Mr. Smith came", 1),
      ("By J. Doe here", 1), ("Done! Then more", 2),
    ])
  func sentences(text: String, count: Int) {
    #expect(Segmenter.sentenceRanges(Array(text.unicodeScalars)).count == count)
  }

  @Test("Headings from layout: larger or bold short lines; numbered headings need style")
  func layoutHeadings() {
    func styled(_ text: String, y: Double, size: Double = 10, bold: Bool = false) -> TextLine {
      TextLine(
        text: text, box: Box(x0: 56, y0: y, x1: 400, y1: y + size), fontSize: size, isBold: bold,
        startsBlock: true)
    }
    let body =
      "Seasonal workers receive pre-departure orientation in their own language and a contract."
    let pages = [
      Page(
        number: 1, width: 595, height: 842,
        lines: [
          styled("Implementation report", y: 100, size: 18),
          styled("1. Regular pathways", y: 140, bold: true),
          styled(body, y: 160),
          styled("1. A numbered list item that is an ordinary sentence in body type", y: 180),
          styled(body, y: 200),
        ])
    ]
    let passages = segmenter.segment(pages, documentID: "d")
    #expect(
      passages.map(\.heading) == [
        "1. Regular pathways", "1. Regular pathways", "1. Regular pathways",
      ])
    #expect(passages[1].text.hasPrefix("1. A numbered list item"))
  }
}

@Suite("Scripts without case or spaces")
struct OtherScriptsTests {
  @Test("Chinese lines join without a space where ideographs or numbers meet")
  func chineseLineJoins() {
    let passages = Segmenter().segment(
      [page("报告期内，方案覆盖了2019年至\n2023年的全部项目，费用降至百分之\n5以下，IOM\n提供了支持。")],
      documentID: "d")
    #expect(passages.map(\.text) == ["报告期内，方案覆盖了2019年至2023年的全部项目，费用降至百分之5以下，IOM 提供了支持。"])
  }

  @Test("Chinese runs become overlapping pairs of characters; a lone ideograph a token")
  func chineseBigrams() throws {
    let tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: "english"))
    let tokens = tokenizer.tokens("保护移民工人，法")
    #expect(tokens.map(\.folded) == ["保护", "护移", "移民", "民工", "工人", "法"])
    #expect(tokens.map(\.range) == [0..<2, 1..<3, 2..<4, 3..<5, 4..<6, 7..<8])
    #expect(tokens.allSatisfy { $0.stem == $0.folded })
    // Latin words inside stay words.
    #expect(tokenizer.tokens("IOM 移民").map(\.folded) == ["iom", "移民"])
  }

  @Test(
    "Russian keeps й and writes ё as е; Arabic drops short vowels and tatweel and folds alef, yeh and a last heh"
  )
  func folding() {
    #expect(Tokenizer.fold("Миграционный") == "миграционный")
    #expect(Tokenizer.fold("ЁЛКА") == "елка")
    #expect(Tokenizer.fold("الهِجْرَة") == "الهجرة")
    #expect(Tokenizer.fold("إدارة") == "ادارة")
    #expect(Tokenizer.fold("مستشفى") == "مستشفي")
    #expect(Tokenizer.fold("الـهجرة") == "الهجرة")
    #expect(Tokenizer.fold("الهجره") == "الهجرة")
  }

  @Test("Arabic forms with and without the article, a conjunction or a plural share a stem")
  func arabicStems() throws {
    let tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: "arabic"))
    func stems(_ text: String) -> Set<String> { Set(tokenizer.tokens(text).map(\.stem)) }
    #expect(stems("بيانات البيانات والبيانات").count == 1)
    #expect(stems("مهاجرين المهاجرين والمهاجرين للمهاجرين").count == 1)
    #expect(stems("قنصلية القنصلية القنصلي").count == 1)
    #expect(stems("الهجرة الهجره هجرة").count == 1)
    #expect(stems("الهجرة الحدود").count == 2)
  }

  @Test("Sentences end at 。！？ without a space, and at ؟ before an Arabic word")
  func sentences() {
    let chinese = Array("第一句。第二句！第三句".unicodeScalars)
    #expect(Segmenter.sentenceRanges(chinese).map(\.count) == [4, 4, 3])
    let arabic = Array("هل وصلت؟ نعم وصلت.".unicodeScalars)
    #expect(Segmenter.sentenceRanges(arabic).count == 2)
  }
}
