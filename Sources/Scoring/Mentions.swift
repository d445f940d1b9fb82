import Foundation
import GCMapCore
import TextProcessing

/// Finds explicit references to categories: objectives by number, principles by name.
///
/// Objectives: "Objective 5", "objectives 2 and 3", "objectives 2, 5 and 7", "objectives 2–4"
/// (a range), "GCM objective 23", "Obj. 7", "objective no. 7"; numbers outside 1–23 are
/// ignored. Principles: their names as a reference to the principle ("whole-of-government
/// approach", "gender-responsive approach", "principle of national sovereignty"); the bare
/// adjectives ("child-sensitive", "human rights") describe rather than refer, and are left to
/// the lexicons.
/// French and Spanish alike: "Objectif 5", "objectifs 2 et 3", "Objetivo 5", "objetivos 2 y 3",
/// and the principles' French and Spanish names ("enfoque pangubernamental"); "OMS 7" is not
/// one; nor is a qualified "Specific Objective 3" or "Overall Objective 1" (a project's).
/// Russian, Arabic and Chinese: "Цель 5", "цели 2 и 3", "الهدف 5", "الأهداف 2 و3", "目标5",
/// "目标2和3" (not the Sustainable Development Goals: "цель 10 в области устойчивого
/// развития", "可持续发展目标10"), and the principles' names in those languages as the Compact
/// words them ("общегосударственный подход", "نهج يشمل الحكومة بأسرها", "整体政府方针"; a
/// Chinese name is found inside a line, Chinese setting no space around words).
/// Limits: an unqualified "objective 2" of some other plan is taken for the Compact's; numbers
/// written as words ("目标五", "цель пять") are not read.
public struct MentionDetector: Sendable {
  /// Each objective's title words (folded, four letters or more), by number: a quoted title
  /// after "Objective N" that shares none of them names another plan's objective.
  private let titleWords: [Int: Set<String>]

  public init(categories: [Category] = []) {
    var words: [Int: Set<String>] = [:]
    for category in categories where category.kind == .objective {
      words[category.number] = Self.words(category.title + " " + category.shortTitle)
    }
    titleWords = words
  }

  static func words(_ text: String) -> Set<String> {
    Set(
      text.split { !$0.isLetter }.map { Tokenizer.fold(String($0)) }.filter { $0.count >= 4 })
  }

  /// True when "Objective N" is followed by a quoted title that shares no word with the
  /// Compact's objective N ("Objective 1. “Saving lives and protecting people on the move”" of
  /// an agency's strategic plan). Titles are compared in English: a quoted French or Spanish
  /// title of the Compact's objective is not recognized as one.
  func namesOtherPlan(_ number: Int, after end: String.Index, in text: String) -> Bool {
    guard let title = titleWords[number] else { return false }
    let rest = text[end...].drop { " .:–—-".contains($0) }
    guard let open = rest.first, "“\"«‘'".contains(open) else { return false }
    let quoted = rest.dropFirst().prefix { !"”\"»’'".contains($0) }
    let words = Self.words(String(quoted.prefix(120)))
    return words.count >= 2 && words.isDisjoint(with: title)
  }

  /// Compiled once: a computed property would parse the pattern on every call.
  nonisolated(unsafe) private static let objectivePattern:
    Regex<(Substring, Substring, Substring)> =
      #/(?i)\b(?:objectives?|objectifs?|objetivos?|obj\.)\s*(?:n[o°º]\.?\s*)?(\d{1,2})\b(?!\s*(?:%|[.,]\d|\/\s*\d|out\s+of\b|sur\s+\d|de\s+\d))((?:\s*(?:,|and|et|y|&|or|ou|o|to|à|a|-|–|—)\s*\d{1,2}\b)*)/#

  /// Objectives by number in Russian, Arabic and Chinese: "Цель 5", "цели 2 и 3", "целей 2, 5
  /// и 7", "цель № 12" ("No 12" once NFKC has read "№"), "целям 2–4"; "الهدف 5", "الأهداف 2 و3", "الهدفين ٢ و٣" (Arabic-Indic
  /// digits too); "目标5", "目标2和3", "目标2、5和7", "目标2至4".
  nonisolated(unsafe) private static let otherScriptPattern:
    Regex<(Substring, Substring, Substring)> =
      #/(?i)(?:цел(?:ь|и|ей|ям|ями|ях)|(?:ال)?(?:هدف|أهداف|اهداف|هدفان|هدفين|هدفا|هدفي)|目标)\s*(?:№\s*|No\.?\s*|رقم\s*|第\s*)?([0-9٠-٩]{1,2})(?![0-9٠-٩%]|[.,٫][0-9٠-٩])((?:\s*(?:,|،|、|，|и|или|و|أو|和|及|与|至|到|-|–|—|إلى)\s*[0-9٠-٩]{1,2}(?![0-9٠-٩%]))*)/#

  /// What makes such a number some other goal's: the Sustainable Development Goals ("цель 10
  /// в области устойчивого развития", "ЦУР", "可持续发展目标10", "من أهداف التنمية المستدامة"),
  /// or a project's own objectives ("конкретная цель 3", "具体目标3").
  static let otherScriptQualifiersBefore = [
    "конкретная", "стратегическая", "общая", "оперативная", "конкретные", "стратегические",
    "发展", "具体", "战略", "总体", "项目",
  ]
  static let otherScriptQualifiersAfter = [
    "в области устойчивого развития", "цур", "من أهداف التنمية المستدامة",
    "للتنمية المستدامة", "من خطة التنمية المستدامة",
  ]

  /// True when the text may hold a Russian, Arabic or Chinese objective: Cyrillic or Arabic
  /// letters (their UTF-8 lead bytes D0-D1, D8-D9) or 目 (E7 9B AE), then the words.
  static func mayHaveOtherScriptObjective(_ text: String) -> Bool {
    guard text.utf8.contains(where: { $0 == 0xD0 || $0 == 0xD1 || $0 == 0xD8 || $0 == 0xE7 })
    else { return false }
    return text.contains("目标") || text.contains("هدف") || text.contains("هداف")
      || text.lowercased().contains("цел")
  }

  func otherScriptMentions(in text: String, inHeading: Bool) -> [Mention] {
    var found: [Mention] = []
    for match in text.matches(of: Self.otherScriptPattern) {
      let opensWithIdeograph = match.output.0.hasPrefix("目标")
      // A Russian or Arabic word starts here, not inside another word.
      if !opensWithIdeograph, let before = text[..<match.range.lowerBound].last, before.isLetter {
        continue
      }
      let preceding = String(text[..<match.range.lowerBound].suffix(14)).lowercased()
      if Self.otherScriptQualifiersBefore.contains(where: {
        preceding.trimmingCharacters(in: .whitespaces).hasSuffix($0)
      }) {
        continue
      }
      let following = String(text[match.range.upperBound...].prefix(40)).lowercased()
        .trimmingCharacters(in: .whitespaces)
      if Self.otherScriptQualifiersAfter.contains(where: { following.hasPrefix($0) }) {
        continue
      }
      let numbers = Self.numbers(
        first: Self.westernDigits(match.output.1), rest: Self.westernDigits(match.output.2))
      found += Self.objectiveMentions(
        numbers, written: match.output.0, at: match.range, in: text, inHeading: inHeading)
    }
    return found
  }

  /// A mention of each objective among `numbers` (1-23), as `written` at `range` of `text`.
  static func objectiveMentions(
    _ numbers: [Int], written: Substring, at range: Range<String.Index>, in text: String,
    inHeading: Bool
  ) -> [Mention] {
    let scalars = text.unicodeScalars
    let start = scalars.distance(from: scalars.startIndex, to: range.lowerBound)
    let end = scalars.distance(from: scalars.startIndex, to: range.upperBound)
    return numbers.filter { (1...23).contains($0) }.map { number in
      Mention(
        category: String(format: "O%02d", number), text: String(written),
        inHeading: inHeading, start: start, end: end)
    }
  }

  /// Arabic-Indic digits (٠-٩) as ASCII digits; other characters as they are.
  static func westernDigits(_ text: Substring) -> String {
    String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { scalar in
          (0x660...0x669).contains(scalar.value)
            ? Unicode.Scalar(scalar.value - 0x660 + 0x30) ?? scalar : scalar
        }))
  }

  /// Principle ids and the phrases that name them.
  static let principleNames: [(String, [String])] = [
    (
      "P01",
      [
        "people-centred approach", "people-centered approach", "people-centred principle",
        "priorité à la dimension humaine", "centrarse en las personas",
        "ориентация на интересы людей", "подход, ориентированный на людей",
        "подход, ориентированный на человека", "التركيز على الإنسان", "نهج يركز على الإنسان",
        "محورية الإنسان", "以人为本",
      ]
    ),
    (
      "P02",
      [
        "principle of international cooperation", "international cooperation principle",
        "principe de coopération internationale", "principio de cooperación internacional",
        "принцип международного сотрудничества", "принципа международного сотрудничества",
        "مبدأ التعاون الدولي", "国际合作原则",
      ]
    ),
    (
      "P03",
      [
        "principle of national sovereignty", "national sovereignty principle",
        "principe de souveraineté nationale",
        "principio de soberanía nacional",
        "принцип национального суверенитета", "принципа национального суверенитета",
        "مبدأ السيادة الوطنية", "国家主权原则",
      ]
    ),
    (
      "P04",
      [
        "rule of law and due process", "principle of due process",
        "primauté du droit et garanties d'une procédure régulière",
        "estado de derecho y garantías procesales",
        "верховенство права и надлежащие правовые процедуры",
        "верховенства права и надлежащих правовых процедур",
        "سيادة القانون ومراعاة الأصول القانونية", "سيادة القانون والإجراءات القانونية الواجبة",
        "法治和正当程序",
      ]
    ),
    (
      "P05",
      [
        "principle of sustainable development", "sustainable development principle",
        "approche fondée sur le développement durable",
        "enfoque basado en el desarrollo sostenible",
        "принцип устойчивого развития", "принципа устойчивого развития",
        "مبدأ التنمية المستدامة", "可持续发展原则",
      ]
    ),
    (
      "P06",
      [
        "human rights-based approach", "human rights based approach", "rights-based approach",
        "approche fondée sur les droits de l'homme", "enfoque basado en los derechos humanos",
        "правозащитный подход", "правозащитного подхода", "подход, основанный на правах человека",
        "подхода, основанного на правах человека", "نهج قائم على حقوق الإنسان",
        "النهج القائم على حقوق الإنسان", "基于人权的方针", "基于人权的做法", "基于人权的方法",
      ]
    ),
    (
      "P07",
      [
        "gender-responsive approach", "gender responsive approach",
        "approche soucieuse de la problématique femmes-hommes", "enfoque con perspectiva de género",
        "подход с учетом гендерной проблематики", "подход с учётом гендерной проблематики",
        "подхода с учетом гендерной проблематики", "подхода с учётом гендерной проблематики",
        "نهج يراعي المنظور الجنساني", "النهج المراعي للمنظور الجنساني", "促进性别平等的方针",
      ]
    ),
    (
      "P08",
      [
        "child-sensitive approach", "child sensitive approach",
        "approche adaptée aux besoins des enfants",
        "enfoque con perspectiva infantil",
        "подход с учетом интересов детей", "подход с учётом интересов детей",
        "подхода с учетом интересов детей", "подхода с учётом интересов детей",
        "نهج يراعي مصالح الطفل", "النهج المراعي لمصالح الطفل", "照顾儿童的方针",
      ]
    ),
    (
      "P09",
      [
        "whole-of-government approach", "whole of government approach",
        "approche mobilisant l'ensemble des pouvoirs publics", "enfoque pangubernamental",
        "общегосударственный подход", "общегосударственного подхода",
        "общегосударственному подходу", "نهج يشمل الحكومة بأسرها",
        "النهج الذي يشمل الحكومة بأسرها", "整体政府方针", "政府整体方针", "全政府方针",
      ]
    ),
    (
      "P10",
      [
        "whole-of-society approach", "whole of society approach",
        "approche mobilisant l'ensemble de la société",
        "enfoque pansocial",
        "подход с участием всего общества", "подхода с участием всего общества",
        "общесоциальный подход", "نهج يشمل المجتمع بأسره", "النهج الذي يشمل المجتمع بأسره",
        "整体社会方针", "全社会方针",
      ]
    ),
  ]

  /// Words that make "Objective 3" some other plan's: a project's "Specific Objective 3", a
  /// programme's "Overall Objective 1", a strategy's "Strategic Objective 2"; or "objective"
  /// an adjective ("judgements are objective 4 of 5 times", "more objective"). A number right
  /// after it that is a percentage, a decimal or a score ("objective 4%", "4.5", "4/5", "4 out
  /// of 5") is no mention either (the pattern's look-ahead).
  static let qualifiers: Set<String> = [
    "specific", "overall", "strategic", "immediate", "general", "operational", "project",
    "programme", "program", "development", "outcome", "sub", "intermediate",
    "are", "is", "was", "were", "be", "been", "being", "remain", "remained", "seem", "more",
    "most", "less", "least", "very", "fully", "sufficiently", "not",
  ]

  /// The word just before `index`, lowercased ("" if none).
  static func wordBefore(_ index: String.Index, in text: String) -> String {
    let before = text[..<index].reversed().drop { !$0.isLetter }
    return String(before.prefix { $0.isLetter }.reversed()).lowercased()
  }

  public func mentions(in text: String, inHeading: Bool = false) -> [Mention] {
    var found: [Mention] = []
    // The pattern is costly; most passages have no "obj" at all.
    if Self.containsObj(text) {
      for match in text.matches(of: Self.objectivePattern)
      where !Self.qualifiers.contains(Self.wordBefore(match.range.lowerBound, in: text)) {
        let numbers = Self.numbers(first: String(match.output.1), rest: String(match.output.2))
        if numbers.count == 1, let number = numbers.first,
          namesOtherPlan(number, after: match.range.upperBound, in: text)
        {
          continue
        }
        found += Self.objectiveMentions(
          numbers, written: match.output.0, at: match.range, in: text, inHeading: inHeading)
      }
    }
    if Self.mayHaveOtherScriptObjective(text) {
      found += otherScriptMentions(in: text, inHeading: inHeading)
    }
    let scalars = Array(text.unicodeScalars)
    let lower = scalars.map(Self.lowercase)
    let matches = Self.firstWordMatches(in: lower)
    for (id, needles) in Self.principleNeedles {
      // The principle's first phrase (in list order) that occurs, at its first occurrence.
      for needle in needles {
        if let range = matches[needle.index] {
          found.append(
            Mention(
              category: id, text: String(scalars: scalars[range]),
              inHeading: inHeading,
              start: range.lowerBound, end: range.upperBound))
          break
        }
      }
    }
    return found
  }

  /// Every principle phrase with its place in `allNeedles`.
  private static let principleNeedles: [(String, [(index: Int, scalars: [Unicode.Scalar])])] = {
    var index = 0
    return principleNames.map { id, phrases in
      (
        id,
        phrases.map { phrase in
          defer { index += 1 }
          return (index, phrase.unicodeScalars.map(lowercase))
        }
      )
    }
  }()
  private static let allNeedles = principleNeedles.flatMap { $0.1.map(\.scalars) }
  /// Needle indices by first scalar: only a word start whose scalar opens a phrase is compared.
  private static let needlesByFirst: [Unicode.Scalar: [Int]] = {
    var table: [Unicode.Scalar: [Int]] = [:]
    for (index, needle) in allNeedles.enumerated() {
      if let first = needle.first { table[first, default: []].append(index) }
    }
    return table
  }()

  /// `needlesByFirst` for ASCII first scalars, as a table.
  private static let asciiNeedlesByFirst: [[Int]] = (0..<0x80).map { value in
    needlesByFirst[Unicode.Scalar(UInt8(value))] ?? []
  }

  /// For each needle of `allNeedles`, the scalar range of its first occurrence in `haystack`
  /// as whole words, or nil. One pass over the word starts instead of one scan per phrase.
  private static func firstWordMatches(in haystack: [Unicode.Scalar]) -> [Range<Int>?] {
    var matches = [Range<Int>?](repeating: nil, count: allNeedles.count)
    var previousIsAlpha = false
    for index in haystack.indices {
      let scalar = haystack[index]
      // An ideograph may start a name anywhere: Chinese sets no space between words.
      let isWordStart = !previousIsAlpha || (scalar.value >= 0x3400 && scalar.isIdeograph)
      previousIsAlpha = scalar.isAlpha
      guard isWordStart else { continue }
      let candidates =
        scalar.value < 0x80 ? asciiNeedlesByFirst[Int(scalar.value)] : needlesByFirst[scalar] ?? []
      for needleIndex in candidates where matches[needleIndex] == nil {
        let needle = allNeedles[needleIndex]
        let afterIndex = index + needle.count
        guard afterIndex <= haystack.count,
          haystack[index..<afterIndex].elementsEqual(needle),
          afterIndex == haystack.count || !haystack[afterIndex].isAlpha
            || needle.last?.isIdeograph == true
        else { continue }
        matches[needleIndex] = index..<afterIndex
      }
    }
    return matches
  }

  /// True if `text` holds, in any case, "obj" followed by "ectiv", "ectif", "etiv" or ".":
  /// every objective mention has one. Most passages with "obj" say "object" or "objet"
  /// (technical manuals, often), and the pattern is costly.
  private static func containsObj(_ text: String) -> Bool {
    if let found = text.utf8.withContiguousStorageIfAvailable(containsObjective) { return found }
    return Array(text.utf8).withUnsafeBufferPointer(containsObjective)
  }

  private static func containsObjective(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    while index + 3 < bytes.count {
      defer { index += 1 }
      guard bytes[index] | 0x20 == 0x6F, bytes[index + 1] | 0x20 == 0x62,
        bytes[index + 2] | 0x20 == 0x6A
      else { continue }
      if bytes[index + 3] == 0x2E { return true }
      for ending in objectiveEndings where index + 3 + ending.count <= bytes.count {
        if ending.indices.allSatisfy({ bytes[index + 3 + $0] | 0x20 == ending[$0] }) {
          return true
        }
      }
    }
    return false
  }

  private static let objectiveEndings = ["ectiv", "ectif", "etiv"].map { Array($0.utf8) }

  /// "5" with ", 6 and 8" → [5, 6, 8]; "2" with "-4", " to 4", " à 4", " a 4", "至4" or
  /// " إلى 4" → [2, 3, 4].
  static func numbers(first: String, rest: String) -> [Int] {
    guard var previous = Int(first) else { return [] }
    var numbers = [previous]
    for match in rest.matches(
      of: #/(?i)\s*(,|and|et|y|&|or|ou|o|to|à|a|-|–|—|،|、|，|и|или|و|أو|和|及|与|至|到|إلى)\s*(\d{1,2})/#)
    {
      guard let number = Int(match.output.2) else { continue }
      let isRange = ["to", "à", "a", "-", "–", "—", "至", "到", "إلى"].contains(
        match.output.1.lowercased())
      if isRange && number > previous {
        numbers += Array((previous + 1)...number)
      } else {
        numbers.append(number)
      }
      previous = number
    }
    return numbers
  }

  private static func lowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    if scalar.value < 0x80 {
      return scalar.isUpper ? Unicode.Scalar(UInt8(scalar.value) | 0x20) : scalar
    }
    if scalar == "\u{2019}" { return "'" }
    let lower = scalar.properties.lowercaseMapping.unicodeScalars
    return lower.count == 1 ? lower[lower.startIndex] : scalar
  }
}
