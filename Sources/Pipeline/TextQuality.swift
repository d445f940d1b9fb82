import Foundation
import GCMapCore
import TextProcessing

/// Whether a document's text reads: odd codes, letters, and words its vocabulary knows.
extension DocumentExtraction {
  /// Why a document's text is garbage, or nil if it reads.
  ///
  /// Broken font encodings give either odd code points (private use, replacement characters,
  /// controls) or Latin letters that make no words. The second test applies only to text in
  /// Latin script with at least 50 words; other scripts are not judged here.
  static func unreadable(_ pages: [Page], _ vocabulary: Vocabulary) -> String? {
    unreadable(TextCounts(pages, vocabulary: vocabulary))
  }

  /// `unreadable`, judged on the counts of the pages' text against a vocabulary.
  static func unreadable(_ counted: TextCounts) -> String? {
    let (odd, letters, latin, words, known) = (
      counted.odd, counted.letters, counted.latin, counted.words, counted.known
    )
    if counted.hasBrokenCodes {
      return
        "text unreadable: \(odd * 100 / (odd + letters))% of its characters are private-use or "
        + "replacement codes (broken font encodings); it needs OCR"
    }
    if letters > 0, Double(latin) > 0.8 * Double(letters), words >= 50,
      Double(known) < 0.2 * Double(words)
    {
      return "text unreadable: only \(known * 100 / words)% of its words are words (broken font "
        + "encodings, or a language gcmap does not read yet)"
    }
    return nil
  }

  /// The document read in the language gcmap has a vocabulary for that knows the largest
  /// share of its words, and its pages normalized with that language's tools; nil if no
  /// vocabulary reads it (broken font encodings, or a language gcmap does not read).
  ///
  /// Why: the function-word identifier names no language for a text with fewer than 20 of its
  /// marker words (a one-page text of 60 words), and such a text was then read as English: a
  /// French page was scored with English lexicons, and a Spanish one reported unreadable, 15%
  /// of its words known. Limits: each language's pages are normalized once more (a document
  /// the identifier could not place is short, or in two languages).
  func readByVocabulary(_ document: RawDocument) -> (
    language: String, pages: [Page], report: [Normalizer.StageReport]
  )? {
    var best: (share: Double, language: String, pages: [Page], report: [Normalizer.StageReport])?
    for code in languages.codes {
      guard let tools = try? languages.tools(code), let vocabulary = tools.vocabulary else {
        continue
      }
      let (pages, report) = tools.normalizer.normalize(document.pages, language: code)
      let counted = TextCounts(pages, vocabulary: vocabulary)
      guard Self.unreadable(counted) == nil else { continue }
      let share = Double(counted.known) / Double(max(counted.words, 1))
      if share > best?.share ?? 0 { best = (share, code, pages, report) }
    }
    return best.map { ($0.language, $0.pages, $0.report) }
  }

  /// What pages' characters and words are made of: the evidence `unreadable`, `isGibberish`
  /// and `PageReader.hasBrokenCodes` judge text by.
  struct TextCounts {
    /// Private-use, replacement and control codes (what broken font encodings give).
    var odd = 0
    /// Letters, and those of them in Latin script.
    var letters = 0
    var latin = 0
    /// Words of three letters or more, and those the vocabulary knows (0 without one).
    var words = 0
    var known = 0

    init(_ pages: [Page], vocabulary: Vocabulary?) {
      for page in pages {
        for line in page.lines {
          for scalar in line.text.unicodeScalars {
            let value = scalar.value
            if (0xE000...0xF8FF).contains(value) || value == 0xFFFD
              || (value < 0x20 && value != 0x09)
            {
              odd += 1
            } else if scalar.isAlpha {
              letters += 1
              if value < 0x250 { latin += 1 }
            }
          }
          if let vocabulary {
            let counted = wordCounts(line.text, vocabulary)
            words += counted.words
            known += counted.known
          }
        }
      }
    }

    /// More than 20 odd codes, making over a fifth of the characters.
    var hasBrokenCodes: Bool { odd > 20 && odd * 5 > odd + letters }
  }

  /// Words of three letters or more in `text`, and how many of them the vocabulary knows.
  /// ASCII text is split and looked up as bytes; other text by `Character.isLetter`.
  static func wordCounts(_ text: String, _ vocabulary: Vocabulary) -> (words: Int, known: Int) {
    var words = 0
    var known = 0
    var text = text
    let isASCII = text.withUTF8 { bytes in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { lower in
        var start = 0
        for end in 0...bytes.count {
          let isLetter = end < bytes.count && (bytes[end] | 0x20) &- 0x61 < 26
          if isLetter {
            lower[end] = bytes[end] | 0x20
            continue
          }
          if end - start >= 3 {
            words += 1
            let word = UnsafeBufferPointer(rebasing: lower[start..<end])
            if vocabulary.contains(lowercased: word) { known += 1 }
          }
          start = end + 1
        }
      }
      return true
    }
    if isASCII { return (words, known) }
    // Where every scalar is a character of its own, the words are runs of letter scalars.
    if text.unicodeScalars.allSatisfy(\.standsAlone) {
      var word: [Unicode.Scalar] = []
      for scalar in text.unicodeScalars + [" "] {
        if scalar.isAlpha {
          word.append(scalar)
          continue
        }
        if word.count >= 3 {
          words += 1
          if vocabulary.contains(String(scalars: word)) { known += 1 }
        }
        word.removeAll(keepingCapacity: true)
      }
      return (words, known)
    }
    for word in text.split(whereSeparator: { !$0.isLetter }) where word.count >= 3 {
      words += 1
      if vocabulary.contains(String(word)) { known += 1 }
    }
    return (words, known)
  }
}
