import GCMapCore

/// One step of text normalization over a whole document's pages.
///
/// Stages see every page at once because several decisions are per document: which odd glyph
/// stands for which ligature, which lines repeat as running headers. A stage returns new pages
/// and a short account of what it changed, for `--json` and for tests.
public protocol NormalizationStage: Sendable {
  /// The stage's name in pipeline files and reports.
  var name: String { get }
  func apply(to pages: [Page]) -> StageResult
  /// The same, for a document whose language was identified before ("en", "fr", "es",
  /// "other", or "" when none stands out); stages that do not depend on it ignore it.
  func apply(to pages: [Page], language: String) -> StageResult
}

extension NormalizationStage {
  public func apply(to pages: [Page], language: String) -> StageResult {
    apply(to: pages)
  }
}

/// A stage that works on each line by itself; `apply` counts the lines it changed.
public protocol LineStage: NormalizationStage {
  func normalize(line: String) -> String
}

extension LineStage {
  public func apply(to pages: [Page]) -> StageResult {
    var changes = 0
    let result = pages.map { page in
      page.mappingLines { line in
        let normalized = normalize(line: line)
        if normalized != line { changes += 1 }
        return normalized
      }
    }
    return StageResult(pages: result, changes: changes)
  }
}

/// Pages after a stage and what the stage changed.
public struct StageResult: Sendable {
  public var pages: [Page]
  /// Number of changes made (lines removed, words repaired, words joined ...).
  public var changes: Int
  /// Details worth showing, e.g. the ligature glyph map inferred for the document.
  public var notes: [String: String]

  public init(pages: [Page], changes: Int, notes: [String: String] = [:]) {
    self.pages = pages
    self.changes = changes
    self.notes = notes
  }
}

extension Page {
  /// A copy with each line's text transformed; lines that become empty are dropped and their
  /// block start passes to the next line.
  func mappingLines(_ transform: (String) -> String) -> Page {
    var copy = self
    var result: [TextLine] = []
    var pendingBlock = false
    for var line in lines {
      line.text = transform(line.text)
      if line.text.isEmpty {
        pendingBlock = pendingBlock || line.startsBlock
        continue
      }
      line.startsBlock = line.startsBlock || pendingBlock
      pendingBlock = false
      result.append(line)
    }
    copy.lines = result
    return copy
  }
}
