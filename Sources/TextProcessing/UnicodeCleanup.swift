import GCMapCore

/// Unicode NFKC plus the character clean-ups every later stage relies on.
///
/// NFKC turns presentation forms into letters (ﬁ ﬂ ﬀ ﬃ ﬄ ſt → fi fl ff ffi ffl st), full-width
/// forms and no-break spaces into plain ones. Beyond NFKC: Unicode hyphens (U+2010, U+2011)
/// become "-", a soft hyphen at a line end becomes "-" (a hyphenation point for the
/// de-hyphenation stage) and elsewhere disappears, zero-width characters and controls go, tabs
/// become spaces. Limits: NFKC also flattens superscripts, so a footnote mark "²" becomes "2".
public struct UnicodeCleanup: LineStage {
  public let name = "unicode"

  public init() {}

  public func normalize(line: String) -> String {
    Self.clean(line)
  }

  /// Cleans one line of text.
  public static func clean(_ line: String) -> String {
    // Printable ASCII is its own NFKC and has nothing to clean: most lines of most PDFs.
    if line.utf8.allSatisfy({ $0 &- 0x20 < 0x5F }) { return line }
    let all = Array(UnicodeMapping.nfkc(line).unicodeScalars)
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(all.count)
    for (index, scalar) in all.enumerated() {
      switch scalar.value {
      case 0x2010, 0x2011:
        scalars.append("-")
      case 0x00AD:
        let restIsBlank = all[(index + 1)...].allSatisfy { $0.isSpace }
        if restIsBlank { scalars.append("-") }
      case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
        continue
      case 0x09:
        scalars.append(" ")
      case 0x00...0x1F, 0x7F...0x9F:
        continue
      default:
        scalars.append(scalar)
      }
    }
    return String(scalars: scalars)
  }
}
