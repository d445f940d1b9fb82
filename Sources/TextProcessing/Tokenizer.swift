import Foundation
import GCMapCore

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
///
/// Chinese is written without spaces: a run of ideographs becomes its overlapping pairs of
/// characters ("移民工人" → 移民, 民工, 工人; one ideograph alone is a token of its own), the
/// usual unit of Chinese retrieval, which needs no dictionary and matches a lexicon phrase
/// wherever its characters stand together (a phrase's pairs follow each other in the text's).
/// Pairs are not stemmed. Limit: a one-character lexicon term meets only a lone character.
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
    // The ideographs of the current run, as (scalar, offset).
    var ideographs: [(scalar: Unicode.Scalar, offset: Int)] = []
    func flushIdeographs() {
      guard !ideographs.isEmpty else { return }
      if ideographs.count == 1 {
        let only = String(ideographs[0].scalar)
        tokens.append(
          Token(folded: only, stem: only, range: ideographs[0].offset..<(ideographs[0].offset + 1)))
      } else {
        for pair in 0..<(ideographs.count - 1) {
          let bigram = String(scalars: [ideographs[pair].scalar, ideographs[pair + 1].scalar])
          let start = ideographs[pair].offset
          tokens.append(Token(folded: bigram, stem: bigram, range: start..<(start + 2)))
        }
      }
      ideographs.removeAll(keepingCapacity: true)
    }
    for scalar in text.unicodeScalars {
      if scalar.value >= 0x3400, scalar.isIdeograph {
        flush()
        ideographs.append((scalar, index))
        index += 1
        continue
      }
      if !ideographs.isEmpty { flushIdeographs() }
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
    flushIdeographs()
    return tokens
  }

  /// Lowercase without diacritics.
  ///
  /// Russian keeps "й" (its breve is part of the letter: stripped, "миграционный" would no
  /// longer stem with "миграционная"); "ё" is written "е" as most Russian text does. Arabic
  /// loses its short vowels and tatweel (utf8proc strips marks, the hamza on alef, waw and
  /// yeh with them), alef wasla and alef maqsura are written as alef and yeh, and a word's
  /// last heh as teh marbuta: the spellings that vary most from one text to the next ("الهجره"
  /// typed for "الهجرة"). Teh marbuta is the form kept because Snowball's Arabic stemmer
  /// strips it as a feminine ending, so that "قنصلية" and "قنصلي" meet; a pronoun heh
  /// ("حقوقه") is stripped alike.
  public static func fold(_ word: String) -> String {
    if word.utf8.allSatisfy({ $0 < 0x80 }) { return asciiLowercase(word) }
    // Only Cyrillic and Arabic words take the extra steps.
    guard word.unicodeScalars.contains(where: { (0x400...0x6FF).contains($0.value) }) else {
      return UnicodeMapping.foldCaseAndAccents(word)
    }
    let hasShortI = word.unicodeScalars.contains { $0 == "й" || $0 == "Й" }
    let protected =
      hasShortI
      ? String(
        scalars: word.unicodeScalars.map {
          $0 == "й" || $0 == "Й" ? Self.shortIPlaceholder : $0
        }) : word
    var folded = UnicodeMapping.foldCaseAndAccents(protected)
    if hasShortI || folded.unicodeScalars.contains(where: { (0x600...0x6FF).contains($0.value) }) {
      folded = String(
        scalars: folded.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
          switch scalar {
          case Self.shortIPlaceholder: return "й"
          case "\u{0640}": return nil  // tatweel
          case "\u{0671}": return "\u{0627}"  // alef wasla → alef
          case "\u{0649}": return "\u{064A}"  // alef maqsura → yeh
          default: return scalar
          }
        })
      if folded.unicodeScalars.last == "\u{0647}", folded.unicodeScalars.count > 1 {
        folded = String(folded.unicodeScalars.dropLast()) + "\u{0629}"  // heh → teh marbuta
      }
    }
    return folded
  }

  /// Stands for "й" while marks are stripped (a private-use character).
  private static let shortIPlaceholder: Unicode.Scalar = "\u{E000}"

  /// Lowercase of an all-ASCII word, without Foundation.
  static func asciiLowercase(_ word: String) -> String {
    guard word.utf8.contains(where: { $0 &- 0x41 < 26 }) else { return word }
    return String(decoding: word.utf8.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
  }
}
