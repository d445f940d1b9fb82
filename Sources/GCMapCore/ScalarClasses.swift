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
}

extension Character {
  /// `isLetter`, fast for ASCII.
  @inlinable public var isLetterFast: Bool {
    if let ascii = asciiValue { return (ascii | 0x20) &- 0x61 < 26 }
    return isLetter
  }
}
