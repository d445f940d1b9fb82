import CSVFormat
import CorpusConfiguration
import Foundation
import GCMapCore
import Scoring

/// Measures classification on passages of real reports labelled by readers: a folder with a
/// `passages.csv` (id, file, page, primary, objectives, principles, text) whose PDFs are in
/// another folder (`../shared/eval-realistic` and `../shared/realistic`).
///
/// Two ways, as the set's README describes: the classifier alone (each labelled text as one
/// passage, no heading), and the whole pipeline (every PDF analysed; a labelled passage takes
/// the labels of the gcmap passages on its page (any page they span) that hold at least half of its words,
/// lower-cased words of three letters or more, each label with its best score). Figures: false
/// coverage (passages about no objective that get one), primary top-1 (the best-scoring
/// objective is the readers' primary), micro precision, recall and F1 over objectives and over
/// principles. Most of these passages are about no objective: the set measures whether gcmap
/// stays quiet on report apparatus.
public struct PassageEvaluation: Sendable {
  /// One labelled passage of `passages.csv`.
  public struct Labelled: Sendable {
    public var id: String
    public var file: String
    public var page: Int
    /// The objective the passage is most about, or nil for none.
    public var primary: String?
    public var objectives: Set<String>
    public var principles: Set<String>
    public var text: String
  }

  /// Counts behind the figures of one way of measuring.
  public struct Figures: Sendable, Equatable {
    public var none = 0
    public var noneCovered = 0
    public var withPrimary = 0
    public var primaryHit = 0
    public var objectives = Tally()
    public var principles = Tally()

    public var falseCoverage: Double { ratio(noneCovered, none) }
    public var primaryTop1: Double { ratio(primaryHit, withPrimary) }

    /// Adds one passage's predicted labels, each with its score.
    mutating func add(_ gold: Labelled, predicted: [String: Double]) {
      let objectives = Set(predicted.keys.filter { $0.hasPrefix("O") })
      let principles = Set(predicted.keys.filter { $0.hasPrefix("P") })
      if let primary = gold.primary {
        withPrimary += 1
        let best = objectives.max { (predicted[$0] ?? 0, $1) < (predicted[$1] ?? 0, $0) }
        if best == primary { primaryHit += 1 }
      } else {
        none += 1
        if !objectives.isEmpty { noneCovered += 1 }
      }
      self.objectives.add(predicted: objectives, gold: gold.objectives)
      self.principles.add(predicted: principles, gold: gold.principles)
    }
  }

  /// True and false positives and false negatives, summed over passages.
  public struct Tally: Sendable, Equatable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0

    mutating func add(predicted: Set<String>, gold: Set<String>) {
      truePositives += predicted.intersection(gold).count
      falsePositives += predicted.subtracting(gold).count
      falseNegatives += gold.subtracting(predicted).count
    }

    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    public var f1: Double {
      precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }
  }

  public var alone = Figures()
  public var pipeline = Figures()
  /// The whole pipeline's figures of each PDF's passages: the folds of a cross-validation
  /// (scripts/evaluate, scripts/fit-classifier leave one document out).
  public var pipelineByFile: [String: Figures] = [:]
  /// Labelled passages whose PDF could not be analysed, by file, with the reason.
  public var problems: [String: String] = [:]

  /// The labelled passages of `passages.csv`.
  public static func load(_ url: URL) throws -> [Labelled] {
    let table = try CSVTable.load(url)
    for column in ["id", "file", "page", "primary", "objectives", "principles", "text"]
    where !table.header.contains(column) {
      throw ConfigurationError(file: url.path, line: nil, message: "lacks the column \"\(column)\"")
    }
    return try zip(table.rows, table.lines).map { row, line in
      guard let page = Int(row["page"] ?? "") else {
        throw ConfigurationError(file: url.path, line: line, message: "page is not a number")
      }
      func ids(_ column: String) -> Set<String> {
        Set((row[column] ?? "").split(separator: ";").map(String.init))
      }
      let primary = row["primary"] ?? "none"
      return Labelled(
        id: row["id"] ?? "", file: row["file"] ?? "", page: page,
        primary: primary == "none" || primary.isEmpty ? nil : primary,
        objectives: ids("objectives"), principles: ids("principles"), text: row["text"] ?? "")
    }
  }

  /// Measures `analysis` on the passages of `labels` whose PDFs are in `documents`.
  public static func run(
    labels: URL, documents: URL, analysis: Analysis, features: FeatureRows? = nil,
    progress: (String) -> Void
  ) throws -> PassageEvaluation {
    let gold = try load(labels)
    var evaluation = PassageEvaluation()
    // The classifier alone: each labelled text is one passage, without a heading.
    for (index, labelled) in gold.enumerated() {
      let passage = Passage(
        id: "\(index)", documentID: labelled.file, page: labelled.page, endPage: labelled.page,
        start: 0, end: labelled.text.unicodeScalars.count, heading: nil, text: labelled.text)
      let classification = analysis.classifier.classify(passage)
      evaluation.alone.add(labelled, predicted: labelScores(classification))
    }
    // The whole pipeline: each PDF analysed as a run would.
    var passagesByPage: [String: [Int: [Classification]]] = [:]
    for file in Set(gold.map(\.file)).sorted() {
      progress(file)
      var timings = Analysis.Timings()
      do {
        let record = try analysis.analyze(
          path: documents.appendingPathComponent(file).path,
          id: String(file.dropLast(4)), file: file, timings: &timings)
        // A passage stands on every page it spans (a paragraph continued on the next page),
        // as the set's scorer reads it.
        var byPage: [Int: [Classification]] = [:]
        for classification in record.classifications {
          let passage = classification.passage
          for page in passage.page...max(passage.page, passage.endPage) {
            byPage[page, default: []].append(classification)
          }
        }
        passagesByPage[file] = byPage
      } catch {
        evaluation.problems[file] = error.reason
      }
    }
    for labelled in gold {
      let words = Self.words(labelled.text)
      var pooled: [String: Double] = [:]
      for candidate in passagesByPage[labelled.file]?[labelled.page] ?? [] {
        guard !words.isEmpty,
          Double(words.intersection(Self.words(candidate.passage.text)).count)
            / Double(words.count) >= 0.5
        else { continue }
        pooled.merge(labelScores(candidate), uniquingKeysWith: max)
        features?.add(
          set: labels.deletingLastPathComponent().lastPathComponent, unit: labelled.id,
          classification: candidate, objectives: analysis.taxonomy.objectives.map(\.id),
          positives: labelled.objectives, primary: labelled.primary ?? "none")
      }
      evaluation.pipeline.add(labelled, predicted: pooled)
      evaluation.pipelineByFile[labelled.file, default: Figures()].add(labelled, predicted: pooled)
    }
    return evaluation
  }

  /// A classification's labels with their combined scores.
  static func labelScores(_ classification: Classification) -> [String: Double] {
    var scores: [String: Double] = [:]
    for label in classification.labels {
      scores[label] = classification.score(label)?.combined ?? 0
    }
    return scores
  }

  /// The lower-cased words of three ASCII letters or more, as the set's scorer reads them.
  static func words(_ text: String) -> Set<String> {
    var words = Set<String>()
    var current: [UInt8] = []
    for byte in text.lowercased().utf8 + [0x20] {
      if byte >= 0x61 && byte <= 0x7A {
        current.append(byte)
        continue
      }
      if current.count >= 3 { words.insert(String(decoding: current, as: UTF8.self)) }
      current.removeAll(keepingCapacity: true)
    }
    return words
  }

  /// The figures of both ways, a line each, and the problems; with `byDocument`, first a line
  /// of the whole pipeline's counts for each PDF ("document FILE: none N covered C primary P
  /// hit H objectives TP FP FN principles TP FP FN"), which scripts read to cross-validate.
  public func report(byDocument: Bool = false) -> String {
    var counts = ""
    if byDocument {
      for (file, figures) in pipelineByFile.sorted(by: { $0.key < $1.key }) {
        counts +=
          "document \(file): none \(figures.none) covered \(figures.noneCovered) "
          + "primary \(figures.withPrimary) hit \(figures.primaryHit) objectives "
          + "\(figures.objectives.truePositives) \(figures.objectives.falsePositives) "
          + "\(figures.objectives.falseNegatives) principles "
          + "\(figures.principles.truePositives) \(figures.principles.falsePositives) "
          + "\(figures.principles.falseNegatives)\n"
      }
    }
    func line(_ name: String, _ figures: Figures) -> String {
      String(
        format:
          "%@: false coverage %d/%d = %.0f%%, primary top-1 %d/%d = %.0f%%, "
          + "objectives P %.2f R %.2f F1 %.2f; principles P %.2f R %.2f F1 %.2f\n",
        name, figures.noneCovered, figures.none, figures.falseCoverage * 100,
        figures.primaryHit, figures.withPrimary, figures.primaryTop1 * 100,
        figures.objectives.precision, figures.objectives.recall, figures.objectives.f1,
        figures.principles.precision, figures.principles.recall, figures.principles.f1)
    }
    var out = counts + line("classifier alone", alone) + line("whole pipeline", pipeline)
    for (file, reason) in problems.sorted(by: { $0.key < $1.key }) {
      out += "  not analysed: \(file) (\(reason))\n"
    }
    return out
  }
}

private func ratio(_ part: Int, _ whole: Int) -> Double {
  whole > 0 ? Double(part) / Double(whole) : 0
}
