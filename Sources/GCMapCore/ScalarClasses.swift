/// Letter and space tests with an ASCII fast path.
///
/// `Unicode.Scalar.Properties` looks every scalar up in the Unicode tables, which dominated
/// profiles of text processing; most PDF text is ASCII, answered here by arithmetic. Outside
/// ASCII the answer is the Unicode property's.
extension Unicode.Scalar {
  /// `properties.isAlphabetic`, fast for ASCII.
  @inlinable public var isAlpha: Bool {
    value < 0x80 ? (value | 0x20) &- 0x61 < 26 : properties.isAlphabetic
  }

  /// `properties.isWhitespace`, fast for ASCII.
  @inlinable public var isSpace: Bool {
    value < 0x80 ? value == 0x20 || (value &- 0x09) < 5 : properties.isWhitespace
  }

  /// `properties.isLowercase`, fast for ASCII.
  @inlinable public var isLower: Bool {
    value < 0x80 ? value &- 0x61 < 26 : properties.isLowercase
  }

  /// `properties.isUppercase`, fast for ASCII.
  @inlinable public var isUpper: Bool {
    value < 0x80 ? value &- 0x41 < 26 : properties.isUppercase
  }

  /// An ASCII digit 0-9.
  @inlinable public var isDigit: Bool { value &- 0x30 < 10 }

  /// A letter of a script written right to left: Hebrew, Arabic (with its supplements and
  /// presentation forms), Syriac, Thaana, N'Ko.
  @inlinable public var isRightToLeftLetter: Bool {
    guard value >= 0x590 else { return false }
    let rightToLeft =
      value <= 0x8FF || (0xFB1D...0xFDFF).contains(value) || (0xFE70...0xFEFF).contains(value)
    return rightToLeft && properties.isAlphabetic
  }

  /// A CJK ideograph: the unified ideographs, extension A, compatibility ideographs and the
  /// supplementary planes' extensions.
  @inlinable public var isIdeograph: Bool {
    switch value {
    case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: return true
    default: return false
    }
  }

  /// An ideograph, kana, or Chinese and Japanese punctuation (U+3001-U+9FFF, U+F900-U+FAFF,
  /// U+FF01-U+FF60, the supplementary ideographs): text written without spaces.
  @inlinable public var isIdeographic: Bool {
    switch value {
    case 0x3001...0x9FFF, 0xF900...0xFAFF, 0xFF01...0xFF60, 0x20000...0x3134F: return true
    default: return false
    }
  }

  /// A bidirectional formatting character that poppler writes around right-to-left runs
  /// (embeddings, overrides, isolates and their ends): it has no glyph.
  @inlinable public var isBidiControl: Bool {
    (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
  }

  /// What Foundation's `trimmingCharacters(in: .whitespaces)` trims on Linux: the tab, the
  /// space separators and the zero-width space (checked over every scalar).
  @inlinable public var isBlank: Bool {
    value < 0x80
      ? value == 0x20 || value == 0x09
      : value == 0x200B || properties.generalCategory == .spaceSeparator
  }

  /// True if the scalar is known to be a `Character` of its own next to any other such
  /// scalar (CR before LF aside): ASCII, Latin-1 and Latin Extended letters and symbols,
  /// spacing modifiers, the Unicode spaces, general punctuation (not its format characters),
  /// currency, letterlike symbols, arrows, mathematical operators, box drawing, geometric
  /// shapes and the ideographic space; no combining mark, joiner or prepended sign. In text
  /// of such scalars, `Character` questions (letter, white space, count) can be answered
  /// scalar by scalar; every pair of them stays two characters (a test checks). False for the
  /// rest, which may or may not join.
  public var standsAlone: Bool {
    value < 0x80 || Self.standAloneRanges.contains { $0.contains(value) }
  }

  private static let standAloneRanges: [ClosedRange<UInt32>] = [
    0xA0...0x2FF, 0x2000...0x200A, 0x2010...0x2027, 0x202F...0x205F, 0x20A0...0x20CF,
    0x2100...0x22FF, 0x2500...0x25FF, 0x3000...0x3000,
  ]
}

extension Character {
  /// `isLetter`, fast for ASCII.
  @inlinable public var isLetterFast: Bool {
    if let ascii = asciiValue { return (ascii | 0x20) &- 0x61 < 26 }
    return isLetter
  }
}

extension String {
  /// `trimmingCharacters(in: .whitespaces)` without Foundation (which took tens of
  /// microseconds a call on Linux): blank scalars (`isBlank`) removed from both ends.
  public var trimmingBlanks: String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.isBlank }),
      let last = scalars.lastIndex(where: { !$0.isBlank })
    else { return "" }
    if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex {
      return self
    }
    return String(scalars[first...last])
  }

  /// The string of `scalars`, encoded to UTF-8 in one pass.
  ///
  /// Why: building a `String.UnicodeScalarView` appends one scalar at a time and was the
  /// largest single cost of text processing in profiles.
  @inlinable public init(scalars: some Collection<Unicode.Scalar>) {
    self.init(unsafeUninitializedCapacity: scalars.count * 4) { buffer in
      var count = 0
      for scalar in scalars {
        let value = scalar.value
        if value < 0x80 {
          buffer[count] = UInt8(truncatingIfNeeded: value)
          count += 1
        } else if value < 0x800 {
          buffer[count] = UInt8(truncatingIfNeeded: 0xC0 | (value >> 6))
          buffer[count + 1] = UInt8(truncatingIfNeeded: 0x80 | (value & 0x3F))
          count += 2
        } else if value < 0x1_0000 {
          buffer[count] = UInt8(truncatingIfNeeded: 0xE0 | (value >> 12))
          buffer[count + 1] = UInt8(truncatingIfNeeded: 0x80 | ((value >> 6) & 0x3F))
          buffer[count + 2] = UInt8(truncatingIfNeeded: 0x80 | (value & 0x3F))
          count += 3
        } else {
          buffer[count] = UInt8(truncatingIfNeeded: 0xF0 | (value >> 18))
          buffer[count + 1] = UInt8(truncatingIfNeeded: 0x80 | ((value >> 12) & 0x3F))
          buffer[count + 2] = UInt8(truncatingIfNeeded: 0x80 | ((value >> 6) & 0x3F))
          buffer[count + 3] = UInt8(truncatingIfNeeded: 0x80 | (value & 0x3F))
          count += 4
        }
      }
      return count
    }
  }
}

extension String {
  /// `count` (characters), read off the byte count when the text is ASCII without a carriage
  /// return: there every byte is one character, and counting graphemes is the slow path.
  @inlinable public var characterCount: Int {
    let utf8 = self.utf8
    if utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) { return utf8.count }
    return count
  }
}

extension Sequence where Element == Unicode.Scalar {
  /// True when most of the letters are written right to left (Arabic, Hebrew): a quote to set
  /// right to left, a line poppler wrote left to right to turn round.
  public var isMostlyRightToLeft: Bool {
    var letters = 0
    var rightToLeft = 0
    for scalar in self where scalar.isAlpha {
      letters += 1
      if scalar.isRightToLeftLetter { rightToLeft += 1 }
    }
    return rightToLeft * 2 > letters
  }
}
