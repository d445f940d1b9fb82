import Foundation
import GCMapCore
import Reports
import Scoring

/// What `gcmap explain` prints: the passages of a document that carry a category, and why.
public enum Explanation {
  public static func text(_ record: DocumentRecord, category: Category, settings: PipelineSettings)
    -> String
  {
    let id = category.id
    let relevant = record.classifications.filter {
      $0.labels.contains(id) || ($0.score(id)?.combined ?? 0) >= settings.coverage.mentionedScore
    }
    let cell = record.coverage.cell(id)
    var out = "# \(record.source.id): \(id) \(category.shortTitle)\n"
    out += "level \((cell?.level ?? .none).rawValue), \(cell?.passages ?? 0) labelled passages of "
    out +=
      "\(record.coverage.passageCount), strongest score \(DataFiles.decimal(cell?.strongest ?? 0))\n"
    if relevant.isEmpty { out += "\nNo passage scores for \(id).\n" }
    for classification in relevant {
      guard let score = classification.score(id) else { continue }
      let passage = classification.passage
      let labelled =
        classification.labels.contains(id)
        ? "labelled"
        : classification.withheld.contains(id) ? "withheld: report apparatus" : "below threshold"
      out +=
        "\n[\(passage.pageReference)] \(passage.id) score \(DataFiles.decimal(score.combined)) "
      out += "(\(labelled); labels: \(classification.labels.joined(separator: ", ")))\n"
      out +=
        "  keyword \(DataFiles.decimal(score.keyword)), tfidf \(DataFiles.decimal(score.tfidf)), "
      out +=
        "mention \(DataFiles.decimal(score.mention)), heading \(DataFiles.decimal(score.heading)), "
        + "document \(DataFiles.decimal(score.document)), "
        + "relevance \(DataFiles.decimal(classification.relevance)), "
        + "subject words \(classification.subjectWords) "
        + "(document: \(DataFiles.decimal(classification.subjectDensity)) per 1,000 words; "
        + (classification.subjectSource.isEmpty
          ? "subject nowhere: only mentions label it"
          : "subject from the \(classification.subjectSource)")
        + (classification.contextSubjects.isEmpty
          ? "" : "; about \(classification.contextSubjects.joined(separator: ", "))") + ")\n"
      if !score.terms.isEmpty {
        let grouped = Dictionary(grouping: score.terms, by: \.term).sorted { $0.key < $1.key }
        out +=
          "  terms: "
          + grouped.map { "\($0.key) (w\(Int($0.value[0].weight)))×\($0.value.count)" }
          .joined(separator: ", ") + "\n"
      }
      if !score.contributors.isEmpty {
        out +=
          "  tf-idf: "
          + score.contributors.map { "\($0.stem) \(DataFiles.decimal($0.weight))" }
          .joined(separator: ", ") + "\n"
      }
      if let action = score.closestAction {
        // "5(c)" names action (c) of the category; "5 (commitment)" its commitment.
        let letter = action.split(separator: "(").last.map { String($0.dropLast()) } ?? ""
        let words =
          category.actions.first { $0.letter == letter }?.text ?? category.commitment
        out +=
          "  closest to action \(action) of the Compact (cosine "
          + "\(DataFiles.decimal(score.actionSimilarity))): \(words.prefix(160))"
          + (words.count > 160 ? "…" : "") + "\n"
      }
      for mention in score.mentions {
        out += "  mention\(mention.inHeading ? " in heading" : ""): \"\(mention.text)\"\n"
      }
      if classification.apparatusScore > 0 {
        out +=
          "  apparatus \(DataFiles.decimal(classification.apparatusScore)) "
          + "(counts for nothing from \(DataFiles.decimal(settings.classifier.apparatusThreshold))): "
          + classification.apparatusCues.joined(separator: ", ") + "\n"
      }
      if let heading = passage.heading { out += "  under: \(heading)\n" }
      out += "  \(highlight(passage.text, score.terms))\n"
    }
    return out
  }

  /// The text with matched terms in [brackets].
  static func highlight(_ text: String, _ terms: [TermMatch]) -> String {
    var scalars = Array(text.unicodeScalars)
    for term in terms.sorted(by: { $0.start > $1.start }) where term.end <= scalars.count {
      scalars.insert("]", at: term.end)
      scalars.insert("[", at: term.start)
    }
    return String(scalars: scalars)
  }
}
