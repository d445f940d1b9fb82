import Foundation

/// A word of a text: where it is, its folded form and its stem.
public struct Token: Sendable, Equatable {
  /// Lowercase, without diacritics ("migración" → "migracion").
  public var folded: String
  public var stem: String
  /// Unicode scalar offsets in the text it came from.
  public var range: Range<Int>
}

/// Splits text into word tokens for matching and scoring.
///
/// A token is a run of letters and digits; hyphens, apostrophes and punctuation split, so
/// "whole-of-government" is three tokens and matches "whole of government" too. Tokens are
/// lowercased, stripped of diacritics and stemmed. Ranges count Unicode scalars, as passage
/// offsets do.
public struct Tokenizer: Sendable {
  private let stemmer: Stemmer

  public init(stemmer: Stemmer) {
    self.stemmer = stemmer
  }

  public func tokens(_ text: String) -> [Token] {
    var tokens: [Token] = []
    // The current word: its scalars, and while it is ASCII its lowercase bytes, from which
    // the folded form is made directly (most words are ASCII).
    var current: [Unicode.Scalar] = []
    var lowerASCII: [UInt8] = []
    var start = 0
    var index = 0
    var ascii = true
    func flush() {
      guard !current.isEmpty else { return }
      let folded =
        ascii ? String(decoding: lowerASCII, as: UTF8.self) : Self.fold(String(scalars: current))
      tokens.append(Token(folded: folded, stem: stemmer.stem(folded), range: start..<index))
      current.removeAll(keepingCapacity: true)
      lowerASCII.removeAll(keepingCapacity: true)
      ascii = true
    }
    for scalar in text.unicodeScalars {
      let isWordScalar =
        scalar.value < 0x80
        ? scalar.isAlpha || scalar.isDigit
        : scalar.properties.isAlphabetic || scalar.properties.numericType != nil
          || scalar.properties.generalCategory == .nonspacingMark
      if isWordScalar {
        if current.isEmpty { start = index }
        if scalar.value >= 0x80 {
          ascii = false
        } else if ascii {
          let byte = UInt8(truncatingIfNeeded: scalar.value)
          lowerASCII.append(byte &- 0x41 < 26 ? byte | 0x20 : byte)
        }
        current.append(scalar)
      } else {
        flush()
      }
      index += 1
    }
    flush()
    return tokens
  }

  /// Lowercase without diacritics.
  public static func fold(_ word: String) -> String {
    if word.utf8.allSatisfy({ $0 < 0x80 }) { return asciiLowercase(word) }
    return UnicodeMapping.foldCaseAndAccents(word)
  }

  /// Lowercase of an all-ASCII word, without Foundation.
  static func asciiLowercase(_ word: String) -> String {
    guard word.utf8.contains(where: { $0 &- 0x41 < 26 }) else { return word }
    return String(decoding: word.utf8.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
  }
}
