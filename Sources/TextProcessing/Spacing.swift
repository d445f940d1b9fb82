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

  /// False when the line has no run of eight short tokens, so cannot change: the common case,
  /// answered from the bytes. A token counts as short if it has at most four scalars (one
  /// character, possibly with combining marks), which errs towards the full test.
  static func mayBeSpaced(_ line: String) -> Bool {
    var run = 0
    var length = 0
    for scalar in line.unicodeScalars {
      if scalar == " " {
        run = length >= 1 && length <= 4 ? run + 1 : 0
        if run >= 8 { return true }
        length = 0
      } else {
        length += 1
      }
    }
    return length >= 1 && length <= 4 && run + 1 >= 8
  }

  private static let bullets: Set<Substring> = ["o", "•", "▪", "-", "–", "◦", "§"]

  static func collapse(_ line: String) -> String {
    guard mayBeSpaced(line) else { return line }
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
    if Self.isClean(line) { return line }
    if let folded = Self.foldScalars(line) { return folded }
    return line.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }

  /// `normalize` on Unicode scalars, for a line whose scalars all stand alone (see
  /// `Unicode.Scalar.standsAlone`: Latin text, punctuation, symbols, spaces), where a space
  /// character is a space scalar. nil for any other line (combining marks, joiners, other
  /// scripts), which goes through `Character`.
  static func foldScalars(_ line: String) -> String? {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(line.utf8.count)
    var pendingSpace = false
    for scalar in line.unicodeScalars {
      guard scalar.standsAlone else { return nil }
      if scalar.isSpace {
        pendingSpace = !out.isEmpty
        continue
      }
      if pendingSpace {
        out.append(" ")
        pendingSpace = false
      }
      out.append(scalar)
    }
    return String(scalars: out)
  }

  /// An ASCII line with no space at either end, no two spaces in a row and no other white
  /// space: the common case, which needs no change.
  static func isClean(_ line: String) -> Bool {
    var previousSpace = true
    for byte in line.utf8 {
      if byte >= 0x80 || (byte &- 0x09) < 5 { return false }
      let isSpace = byte == 0x20
      if isSpace && previousSpace { return false }
      previousSpace = isSpace
    }
    return !previousSpace
  }
}
