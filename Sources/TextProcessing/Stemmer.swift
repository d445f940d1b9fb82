import CStemmer
import Foundation
import GCMapCore

/// A Snowball stemmer for one language ("english", "french", "spanish").
///
/// Matching works on stems so that "smugglers" meets "smuggling of migrants" through "smuggl".
/// libstemmer keeps state per stemmer, so calls are serialized by a mutex; stems are cached,
/// since a document repeats its words. The cache holds at most `cacheLimit` words and is
/// emptied when full: a worker that reads many long documents keeps a bounded memory, and a
/// document's own words come back into it at once.
public final class Stemmer: Sendable {
  /// The C stemmer and the stems found so far, used under the mutex only.
  private struct State {
    let stemmer: OpaquePointer
    var cache: [String: String] = [:]
  }

  private let state: Locked<State>
  /// Arabic words are stemmed in their definite form (see `arabicNounForm`).
  private let arabic: Bool
  /// Words kept in the cache at most (a long report has some 10,000 distinct words).
  public static let cacheLimit = 50_000

  /// Why a stemmer could not be made.
  public struct UnknownLanguage: Error, CustomStringConvertible {
    public let algorithm: String
    public var description: String { "no Snowball stemmer for \"\(algorithm)\"" }
  }

  public init(algorithm: String) throws {
    guard let made = sb_stemmer_new(algorithm, "UTF_8") else {
      throw UnknownLanguage(algorithm: algorithm)
    }
    state = Locked(State(stemmer: made))
    arabic = algorithm == "arabic"
  }

  deinit {
    state.withLock { sb_stemmer_delete($0.stemmer) }
  }

  /// The number of words cached now.
  public var cachedWords: Int { state.withLock { $0.cache.count } }

  /// The stem of a lowercase word.
  public func stem(_ word: String) -> String {
    state.withLock { state in
      if let known = state.cache[word] { return known }
      let stemmer = state.stemmer
      let bytes = Array((arabic ? Self.arabicNounForm(word) : word).utf8)
      let stemmed: String = bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress,
          let result = sb_stemmer_stem(stemmer, base, Int32(buffer.count))
        else { return word }
        let length = Int(sb_stemmer_length(stemmer))
        return String(decoding: UnsafeBufferPointer(start: result, count: length), as: UTF8.self)
      }
      if state.cache.count >= Self.cacheLimit { state.cache.removeAll(keepingCapacity: true) }
      state.cache[word] = stemmed
      return stemmed
    }
  }

  /// The form of a folded Arabic word that Snowball's Arabic stemmer reduces like its other
  /// forms: a leading conjunction before the article goes ("والمهاجرين" → "المهاجرين") and a
  /// word without the article or a preposition joined to it is given one ("تحويلات" →
  /// "التحويلات").
  ///
  /// Why: the stemmer strips plural and feminine endings only after it has stripped an article
  /// and knows nothing of "و" + "ال"; unchanged, "بيانات" stems to "يانا" and "البيانات" to
  /// "بيان", "والمهاجرين" to "والمهاجر". Limits: "و" or "ل" joined to a word without the
  /// article stays ("واحتجاز", "لتقييم"), since a word may begin with either letter.
  static func arabicNounForm(_ word: String) -> String {
    var scalars = Array(word.unicodeScalars)
    func hasArticle(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
      articles.contains { rest.starts(with: $0) }
    }
    if scalars.count >= 5, scalars[0] == "\u{0648}" || scalars[0] == "\u{0641}",
      hasArticle(scalars[1...])
    {
      scalars.removeFirst()
    }
    guard scalars.first.map({ (0x621...0x64A).contains($0.value) }) == true,
      !hasArticle(scalars[...])
    else { return String(String.UnicodeScalarView(scalars)) }
    return "\u{0627}\u{0644}" + String(String.UnicodeScalarView(scalars))
  }

  /// The article and the prepositions written with it: ال، لل، بال، كال، فال.
  private static let articles: [[Unicode.Scalar]] = ["ال", "لل", "بال", "كال", "فال"].map {
    Array($0.unicodeScalars)
  }
}
