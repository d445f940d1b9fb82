import CorpusConfiguration
import Foundation
import Scoring
import TextProcessing
import Yams

/// A pipeline file (`Pipelines/*.yml`): which stages run and with which settings.
///
/// Read strictly: an unknown key, stage or scorer is an error naming the file, the line and
/// the nearest valid name; values are range-checked. Each slot maps to an enum of choices.
public struct PipelineSettings: Sendable {
  /// Normalization stages, by name, in the order they run.
  public enum NormalizationStep: String, CaseIterable, Sendable {
    case unicode, letterSpacing, ligatures, furniture, hyphenation, whitespace
  }

  /// The scorers a pipeline can combine.
  public enum Scorer: String, CaseIterable, Sendable {
    case keyword, tfidf, mentions, heading, document, relevance
  }

  public var name: String
  public var file: String
  public var normalize: [NormalizationStep]
  public var segmenter: Segmenter
  public var classifier: ClassifierSettings
  public var coverage: CoverageSettings
  /// When pages are read with OCR: set on the command line (`--ocr`), not in the file.
  public var ocr = OCRSettings()

  public static func load(_ url: URL) throws -> PipelineSettings {
    let (yaml, root) = try StrictYAML.load(url)
    let top = try yaml.mapping(
      root, "the pipeline",
      allowed: ["name", "description", "normalize", "segment", "score", "classify", "coverage"],
      required: ["name", "normalize", "score", "classify"])
    var settings = PipelineSettings(
      name: try yaml.string(top["name"] ?? Node(""), "name"), file: url.path, normalize: [],
      segmenter: Segmenter(), classifier: ClassifierSettings(), coverage: CoverageSettings())

    for node in try yaml.sequence(top["normalize"] ?? Node(""), "normalize") {
      let name = try yaml.string(node, "a normalization stage")
      guard let step = NormalizationStep(rawValue: name) else {
        throw yaml.error(
          node,
          "unknown normalization stage \"\(name)\""
            + StrictYAML.suggestion(name, NormalizationStep.allCases.map(\.rawValue)))
      }
      settings.normalize.append(step)
    }

    if let segment = top["segment"] {
      let fields = try yaml.mapping(
        segment, "segment", allowed: ["minimumWords", "maximumLength", "targetLength"])
      if let node = fields["minimumWords"] {
        settings.segmenter.minimumWords = try yaml.int(node, "segment.minimumWords", in: 1...50)
      }
      if let node = fields["maximumLength"] {
        settings.segmenter.maximumLength = try yaml.int(
          node, "segment.maximumLength", in: 200...20_000)
      }
      if let node = fields["targetLength"] {
        settings.segmenter.targetLength = try yaml.int(
          node, "segment.targetLength", in: 100...20_000)
      }
    }

    var classifier = ClassifierSettings()
    classifier.keywordWeight = 0
    classifier.tfidfWeight = 0
    classifier.mentionWeight = 0
    classifier.headingWeight = 0
    let scorers = try yaml.mapping(
      top["score"] ?? Node(""), "score", allowed: Scorer.allCases.map(\.rawValue))
    guard !scorers.isEmpty else { throw yaml.error(top["score"], "score names no scorer") }
    for (name, node) in scorers {
      guard let scorer = Scorer(rawValue: name) else { continue }
      switch scorer {
      case .keyword:
        let fields = try yaml.mapping(
          node, "score.keyword", allowed: ["weight", "saturation"], required: ["weight"])
        classifier.keywordWeight = try yaml.double(
          fields["weight"] ?? Node(""), "score.keyword.weight", in: 0...50)
        if let value = fields["saturation"] {
          classifier.keywordSaturation = try yaml.double(
            value, "score.keyword.saturation", in: 0.1...100)
        }
      case .tfidf:
        let fields = try yaml.mapping(
          node, "score.tfidf", allowed: ["weight", "scale"], required: ["weight"])
        classifier.tfidfWeight = try yaml.double(
          fields["weight"] ?? Node(""), "score.tfidf.weight", in: 0...50)
        if let value = fields["scale"] {
          classifier.tfidfScale = try yaml.double(value, "score.tfidf.scale", in: 0.01...1)
        }
      case .mentions:
        let fields = try yaml.mapping(
          node, "score.mentions", allowed: ["weight"], required: ["weight"])
        classifier.mentionWeight = try yaml.double(
          fields["weight"] ?? Node(""), "score.mentions.weight", in: 0...50)
      case .heading:
        let fields = try yaml.mapping(
          node, "score.heading", allowed: ["weight"], required: ["weight"])
        classifier.headingWeight = try yaml.double(
          fields["weight"] ?? Node(""), "score.heading.weight", in: 0...50)
      case .document:
        let fields = try yaml.mapping(
          node, "score.document", allowed: ["weight"], required: ["weight"])
        classifier.documentWeight = try yaml.double(
          fields["weight"] ?? Node(""), "score.document.weight", in: -50...50)
      case .relevance:
        let fields = try yaml.mapping(
          node, "score.relevance", allowed: ["weight"], required: ["weight"])
        classifier.relevanceWeight = try yaml.double(
          fields["weight"] ?? Node(""), "score.relevance.weight", in: -50...50)
      }
    }

    let classify = try yaml.mapping(
      top["classify"] ?? Node(""), "classify",
      allowed: [
        "threshold", "relativeToTop", "maxLabels", "principleFactor", "apparatus",
        "apparatusWeights", "combination", "intercept", "documentRank", "subject", "subjectFocus",
        "neighbourRelevance", "documentShare",
      ])
    if let node = classify["combination"] {
      let name = try yaml.string(node, "classify.combination")
      guard let combination = ClassifierSettings.Combination(rawValue: name) else {
        throw yaml.error(
          node,
          "unknown combination \"\(name)\""
            + StrictYAML.suggestion(name, ClassifierSettings.Combination.allCases.map(\.rawValue)))
      }
      classifier.combination = combination
    }
    if let node = classify["subject"] {
      classifier.subject = try yaml.string(node, "classify.subject")
    }
    if let node = classify["subjectFocus"] {
      guard classifier.subject != nil else {
        throw yaml.error(node, "classify.subjectFocus needs classify.subject")
      }
      classifier.subjectFocus = try yaml.double(node, "classify.subjectFocus", in: 0...1000)
    }
    if let node = classify["neighbourRelevance"] {
      guard classifier.subject != nil else {
        throw yaml.error(node, "classify.neighbourRelevance needs classify.subject")
      }
      classifier.neighbourRelevance = try yaml.double(
        node, "classify.neighbourRelevance", in: 0...1)
    }
    if let node = classify["documentShare"] {
      guard classifier.subjectFocus != nil else {
        throw yaml.error(node, "classify.documentShare needs classify.subjectFocus")
      }
      classifier.documentShare = try yaml.double(node, "classify.documentShare", in: 0...1)
    }
    if let node = classify["documentRank"] {
      classifier.documentRankWeight = try yaml.double(node, "classify.documentRank", in: 0...10)
    }
    if let node = classify["intercept"] {
      classifier.intercept = try yaml.double(node, "classify.intercept", in: -50...50)
    }
    if let node = classify["threshold"] {
      classifier.threshold = try yaml.double(node, "classify.threshold", in: 0...10)
    }
    if let node = classify["relativeToTop"] {
      classifier.relativeToTop = try yaml.double(node, "classify.relativeToTop", in: 0...1)
    }
    if let node = classify["principleFactor"] {
      classifier.principleFactor = try yaml.double(node, "classify.principleFactor", in: 0...2)
    }
    if let node = classify["apparatus"] {
      classifier.apparatusThreshold = try yaml.double(node, "classify.apparatus", in: 0...100)
    }
    if let node = classify["apparatusWeights"] {
      let names = ["vocabulary", "question", "reference", "formField", "heading", "footnote"]
      let fields = try yaml.mapping(node, "classify.apparatusWeights", allowed: names)
      var weights = classifier.apparatusWeights
      let slots: [(String, WritableKeyPath<ApparatusDetector.Weights, Double>)] = [
        ("vocabulary", \.vocabulary), ("question", \.question), ("reference", \.reference),
        ("formField", \.formField), ("heading", \.heading), ("footnote", \.footnote),
      ]
      for (name, path) in slots {
        if let value = fields[name] {
          weights[keyPath: path] = try yaml.double(
            value, "classify.apparatusWeights.\(name)", in: 0...100)
        }
      }
      classifier.apparatusWeights = weights
    }
    if let node = classify["maxLabels"] {
      classifier.maxLabels = try yaml.int(node, "classify.maxLabels", in: 1...33)
    }
    settings.classifier = classifier

    if let coverage = top["coverage"] {
      let fields = try yaml.mapping(
        coverage, "coverage",
        allowed: ["mentionedScore", "addressedScore", "substantivePassages", "substantiveShare"])
      if let node = fields["mentionedScore"] {
        settings.coverage.mentionedScore = try yaml.double(
          node, "coverage.mentionedScore", in: 0...10)
      }
      if let node = fields["addressedScore"] {
        settings.coverage.addressedScore = try yaml.double(
          node, "coverage.addressedScore", in: 0...10)
      }
      if let node = fields["substantivePassages"] {
        settings.coverage.substantivePassages = try yaml.int(
          node, "coverage.substantivePassages", in: 1...1000)
      }
      if let node = fields["substantiveShare"] {
        settings.coverage.substantiveShare = try yaml.double(
          node, "coverage.substantiveShare", in: 0...1)
      }
    }
    return settings
  }

  /// The settings as "name: value" lines, for the report's methodology section.
  public var summary: [String] {
    let c = classifier
    let k = coverage
    func number(_ value: Double) -> String { String(format: "%g", value) }
    return [
      "normalize: " + normalize.map(\.rawValue).joined(separator: ", "),
      "segment: minimumWords \(segmenter.minimumWords), maximumLength \(segmenter.maximumLength), "
        + "targetLength \(segmenter.targetLength)",
      "score: keyword weight \(number(c.keywordWeight)) (saturation \(number(c.keywordSaturation))), "
        + "tfidf weight \(number(c.tfidfWeight)) (scale \(number(c.tfidfScale))), "
        + "mentions weight \(number(c.mentionWeight)), heading weight \(number(c.headingWeight)), "
        + "document weight \(number(c.documentWeight)), relevance weight \(number(c.relevanceWeight))",
      "classify: \(c.combination.rawValue) of the weighted parts (intercept \(number(c.intercept))), "
        + "threshold \(number(c.threshold)), relativeToTop \(number(c.relativeToTop)), "
        + "maxLabels \(c.maxLabels), principleFactor \(number(c.principleFactor)), "
        + "apparatus \(number(c.apparatusThreshold)) (weights: vocabulary "
        + "\(number(c.apparatusWeights.vocabulary)), question \(number(c.apparatusWeights.question)), "
        + "reference \(number(c.apparatusWeights.reference)), form field "
        + "\(number(c.apparatusWeights.formField)), heading \(number(c.apparatusWeights.heading)), "
        + "footnote \(number(c.apparatusWeights.footnote))), "
        + "documentRank \(number(c.documentRankWeight)), "
        + "subject \(c.subject ?? "none")"
        + (c.subject == nil
          ? ""
          : c.subjectFocus.map {
            " (in documents under \(number($0)) subject words per 1,000; from the document, "
              + "categories of share \(number(c.documentShare)))"
          } ?? "")
        + (c.neighbourRelevance.map {
          ", from a neighbour at relevance \(number($0))"
        } ?? ""),
      "coverage: mentionedScore \(number(k.mentionedScore)), "
        + "addressedScore \(number(k.addressedScore)), substantivePassages \(k.substantivePassages), "
        + "substantiveShare \(number(k.substantiveShare))",
    ]
  }

  /// The normalization chain these settings name.
  public func normalizer(vocabulary: Vocabulary) -> Normalizer {
    Normalizer(
      stages: normalize.map { step -> any NormalizationStage in
        switch step {
        case .unicode: return UnicodeCleanup()
        case .letterSpacing: return LetterSpacing()
        case .ligatures: return LigatureRepair(vocabulary: vocabulary)
        case .furniture: return PageFurniture()
        case .hyphenation: return Dehyphenation(vocabulary: vocabulary)
        case .whitespace: return WhitespaceCleanup()
        }
      })
  }
}
