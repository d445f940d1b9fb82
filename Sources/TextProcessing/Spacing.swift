import GCMapCore

/// Collapses letter-spaced words ("h t t p s : / / w w w") into one before other repairs.
///
/// Some PDFs place every character of a line separately and the extractor puts a space between
/// each. A run of at least eight single characters separated by single spaces, mostly letters,
/// is joined; a bullet ("o", "•") opening the line stays apart. Limits: the word boundaries inside such a run are lost, which is harmless for the
/// URLs and spaced-out titles where this happens.
public struct LetterSpacing: LineStage {
  public let name = "letterSpacing"

  public init() {}

  public func normalize(line: String) -> String {
    Self.collapse(line)
  }

  private static let bullets: Set<Substring> = ["o", "•", "▪", "-", "–", "◦", "§"]

  static func collapse(_ line: String) -> String {
    let tokens = line.split(separator: " ", omittingEmptySubsequences: false)
    var out: [String] = []
    var run: [Substring] = []
    func flush() {
      let letters = run.filter { $0.first?.isLetter == true }.count
      if run.count >= 8, letters * 2 > run.count {
        // Word's second-level bullet comes out as "o": keep it apart at a line start.
        if out.isEmpty, let first = run.first, Self.bullets.contains(first) {
          out.append(String(first))
          run.removeFirst()
        }
        out.append(run.joined())
      } else {
        out += run.map(String.init)
      }
      run = []
    }
    for token in tokens {
      if token.count == 1 {
        run.append(token)
      } else {
        flush()
        out.append(String(token))
      }
    }
    flush()
    return out.joined(separator: " ")
  }
}

/// Trims lines and folds runs of spaces into one; drops lines left empty.
public struct WhitespaceCleanup: LineStage {
  public let name = "whitespace"

  public init() {}

  public func normalize(line: String) -> String {
    line.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }
}
