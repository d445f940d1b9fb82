import GCMapCore

/// Runs the normalization stages in order over a document's pages.
///
/// The order matters: Unicode first (so ligature code points are letters), then letter spacing
/// and lost-ligature repair (so later stages see whole words), then page furniture (repeated
/// lines compare equal once repaired), then de-hyphenation (which needs the furniture gone to
/// find the next line of text), then whitespace.
public struct Normalizer: Sendable {
  public var stages: [any NormalizationStage]

  public init(stages: [any NormalizationStage]) {
    self.stages = stages
  }

  /// The standard chain for a language whose vocabulary is given.
  public static func standard(vocabulary: Vocabulary) -> Normalizer {
    Normalizer(stages: [
      UnicodeCleanup(),
      LetterSpacing(),
      LigatureRepair(vocabulary: vocabulary),
      PageFurniture(),
      Dehyphenation(vocabulary: vocabulary),
      WhitespaceCleanup(),
    ])
  }

  /// What one stage did to a document.
  public struct StageReport: Sendable, Equatable, Codable {
    public var stage: String
    public var changes: Int
    public var notes: [String: String]
  }

  /// Runs every stage; `language` is the document's, identified once by the caller (nil: each
  /// stage that needs it identifies it on the pages it gets).
  public func normalize(_ pages: [Page], language: String? = nil) -> (
    pages: [Page], report: [StageReport]
  ) {
    var current = pages
    var report: [StageReport] = []
    for stage in stages {
      let result =
        language.map { stage.apply(to: current, language: $0) } ?? stage.apply(to: current)
      current = result.pages
      report.append(StageReport(stage: stage.name, changes: result.changes, notes: result.notes))
    }
    return (current, report)
  }
}
