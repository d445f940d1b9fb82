import Foundation
import GCMapCore
import Scoring
import TextProcessing

/// Measures classification on a labelled folder: `labels.csv` (file,category[,language]) and
/// the PDFs in `pdfs/`.
///
/// Two figures, as the development set's README asks: (1) documents whose top objective by
/// coverage is their label; (2) among "practice" passages, those that neither quote the
/// Compact (share a run of eight words with a title, commitment or action) nor mention an
/// objective number, the share whose top label is the file's objective. Passages that list
/// SDG targets ("10.7: Facilitate orderly …", "ODS 8: …", or a target's text under its goal's
/// heading) quote the 2030 Agenda, and those
/// under the Compact's list of actions quote it in any language: they are left out too. The second is the
/// honest one: quoting and numbering make the first easy.
public struct Evaluation {
  public struct DocumentResult: Sendable {
    public var file: String
    public var label: String
    public var top: String?
    public var practicePassages: Int
    public var practiceCorrect: Int
    public var problem: String?
    /// Practice passages whose top label is not the file's objective: (top label, text).
    public var misses: [(top: String?, passage: Passage)] = []
  }

  public var documents: [DocumentResult] = []

  public var topCorrect: Int { documents.filter { $0.top == $0.label }.count }
  public var practiceTotal: Int { documents.reduce(0) { $0 + $1.practicePassages } }
  public var practiceCorrect: Int { documents.reduce(0) { $0 + $1.practiceCorrect } }

  /// `features`, if given, gets the scorers' outputs of every practice passage.
  public static func run(
    folder: URL, analysis: Analysis, features: FeatureRows? = nil, progress: (String) -> Void
  ) throws -> Evaluation {
    let labelsURL = folder.appendingPathComponent("labels.csv")
    guard let text = try? String(contentsOf: labelsURL, encoding: .utf8) else {
      throw ConfigurationError(
        file: labelsURL.path, line: nil, message: "cannot read the labels file")
    }
    let quotes = QuoteDetector(taxonomy: analysis.taxonomy)
    let mentions = MentionDetector(categories: analysis.taxonomy.categories)
    var evaluation = Evaluation()
    for (number, line) in text.split(whereSeparator: \.isNewline).enumerated().dropFirst() {
      let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      guard fields.count >= 2 else {
        throw ConfigurationError(
          file: labelsURL.path, line: number + 1, message: "expected file,category")
      }
      let file = fields[0]
      let label = fields[1]
      progress(file)
      var timings = Analysis.Timings()
      do {
        let record = try analysis.analyze(
          path: folder.appendingPathComponent("pdfs").appendingPathComponent(file).path,
          id: String(file.dropLast(4)), file: file, timings: &timings)
        let practice = record.classifications.filter { classification in
          !quotes.quotes(classification.passage.text)
            && !Self.listsSDGTargets(classification.passage.text)
            && !Self.underSDGHeading(classification.passage)
            && !Self.underActionList(classification.passage)
            && !mentions.mentions(in: classification.passage.text).contains {
              analysis.taxonomy.isObjective($0.category)
            }
        }
        let objectives = analysis.taxonomy.objectives.map(\.id)
        for classification in practice {
          features?.add(
            set: folder.lastPathComponent, unit: classification.passage.id,
            classification: classification, objectives: objectives, positives: [label],
            primary: label)
        }
        evaluation.documents.append(
          DocumentResult(
            file: file, label: label, top: analysis.taxonomy.topObjective(record.coverage),
            practicePassages: practice.count,
            practiceCorrect: practice.filter { $0.labels.first == label }.count, problem: nil,
            misses: practice.filter { $0.labels.first != label }.map {
              ($0.labels.first, $0.passage)
            }))
      } catch {
        evaluation.documents.append(
          DocumentResult(
            file: file, label: label, top: nil, practicePassages: 0, practiceCorrect: 0,
            problem: error.reason))
      }
    }
    return evaluation
  }

  /// True for a passage that lists Sustainable Development Goal targets ("SDG 16: …",
  /// "10.7: Facilitate …"): quoted text of the 2030 Agenda, not a practice.
  static func listsSDGTargets(_ text: String) -> Bool {
    text.firstMatch(
      of:
        #/^(?:[▪•]\s*)?(?:(?:SDG|ODS|ODD)\s*\d{1,2}\s*:|\d{1,2}[.:][0-9a-z]{1,2}\s*:|By 20\d\d,|D[’']ici à 20\d\d,|De aquí a 20\d\d,)/#
    ) != nil
  }

  /// True for a passage under a goal's heading ("SDG 10: Reduced inequalities", "ODS 3"): a
  /// target's text whose number the layout set apart (or drew as a picture).
  static func underSDGHeading(_ passage: Passage) -> Bool {
    guard let heading = passage.heading else { return false }
    return heading.firstMatch(of: #/^(?:SDG|ODS|ODD)\s*\d{1,2}(?:\D|$)/#) != nil
  }

  /// True for a passage under the heading of the Compact's own list of actions ("Associated
  /// actions", "Actions connexes", "Acciones conexas"): a quote, in whatever language, which
  /// the eight-word test can only recognize in English.
  static func underActionList(_ passage: Passage) -> Bool {
    guard let heading = passage.heading?.lowercased() else { return false }
    return ["associated actions", "actions connexes", "acciones conexas"].contains {
      heading.contains($0)
    }
  }

  /// The figures and a line per document; with `misses`, every missed practice passage.
  public func report(misses: Bool = false) -> String {
    var out = ""
    for document in documents {
      if misses {
        for miss in document.misses {
          out +=
            "  miss \(document.label) → \(miss.top ?? "none") [p. \(miss.passage.page)] \(miss.passage.text.prefix(160))\n"
        }
      }
      let top = document.top ?? "-"
      let mark = document.top == document.label ? "ok  " : "MISS"
      out +=
        "\(mark) \(document.label) top=\(top) practice \(document.practiceCorrect)/\(document.practicePassages)  \(document.file)"
      if let problem = document.problem { out += "  (\(problem))" }
      out += "\n"
    }
    let share = practiceTotal > 0 ? Double(practiceCorrect) / Double(practiceTotal) * 100 : 0
    out += "\n(1) top objective = label: \(topCorrect) of \(documents.count) documents\n"
    out += String(
      format:
        "(2) practice passages (quoting neither the Compact nor SDG targets, naming no objective)"
        + " whose top label is the file's objective: %d of %d (%.1f%%)\n",
      practiceCorrect, practiceTotal, share)
    return out
  }
}

/// Tells whether a text quotes the Compact: shares a run of eight words with any title,
/// commitment or action.
struct QuoteDetector {
  private let shingles: Set<String>
  static let length = 8

  init(taxonomy: Taxonomy) {
    var shingles = Set<String>()
    for category in taxonomy.categories {
      for text in [category.title, category.commitment] + category.actions.map(\.text) {
        shingles.formUnion(Self.shingles(text))
      }
    }
    self.shingles = shingles
  }

  func quotes(_ text: String) -> Bool {
    !shingles.isDisjoint(with: Self.shingles(text))
  }

  static func shingles(_ text: String) -> Set<String> {
    let words = text.split { !$0.isLetter && !$0.isNumber }.map { Tokenizer.fold(String($0)) }
    guard words.count >= length else { return [] }
    return Set(
      (0...(words.count - length)).map { words[$0..<($0 + length)].joined(separator: " ") })
  }
}
