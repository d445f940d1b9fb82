import Foundation
import GCMapCore
import TextProcessing

/// Each language's normalization and vocabulary, and how a document's language is told.
extension DocumentExtraction {
  /// Normalization and vocabulary of one language.
  public struct LanguageTools: Sendable {
    public var normalizer: Normalizer
    /// The vocabulary that tells real words from garbage; nil skips that check.
    public var vocabulary: Vocabulary?

    public init(normalizer: Normalizer, vocabulary: Vocabulary?) {
      self.normalizer = normalizer
      self.vocabulary = vocabulary
    }
  }

  /// Each language's tools, built the first time a document in that language comes: a
  /// word list takes a moment to read, and most runs need one or two languages.
  public final class Toolbox: Sendable {
    private let built = Locked<[String: LanguageTools]>([:])
    private let makers: [String: @Sendable () throws -> LanguageTools]

    public init(_ makers: [String: @Sendable () throws -> LanguageTools]) {
      self.makers = makers
    }

    /// The languages with tools of their own, sorted.
    var codes: [String] { makers.keys.sorted() }

    /// The tools for `language`, else English's; nil if neither can be built.
    func tools(_ language: String) throws -> LanguageTools? {
      try built.withLock { built in
        for code in [language, "en"] {
          if let tools = built[code] { return tools }
          if let make = makers[code] {
            let tools = try make()
            built[code] = tools
            return tools
          }
        }
        return nil
      }
    }
  }

  /// A toolbox for every language whose word list the corpus has, normalizing with `make`.
  public static func toolbox(
    corpus: Corpus, normalizer make: @escaping @Sendable (Vocabulary) -> Normalizer
  ) -> Toolbox {
    var makers: [String: @Sendable () throws -> LanguageTools] = [:]
    for language in corpus.languages {
      makers[language] = {
        let vocabulary = try corpus.vocabulary(language: language)
        return LanguageTools(normalizer: make(vocabulary), vocabulary: vocabulary)
      }
    }
    return Toolbox(makers)
  }

  /// The language of the pages' text, read on the first five pages that have some; "other"
  /// for Arabic, Russian or Chinese when the corpus has no lexicons for it (`scored`).
  func language(of pages: [Page]) -> String {
    LanguageIdentifier.readable(Self.identifiedLanguage(of: pages), scored: scored)
  }

  /// The language cld2 or the function words name for the pages' text (any UN language).
  static func identifiedLanguage(of pages: [Page]) -> String {
    LanguageIdentifier.identify(
      pages.filter { !$0.lines.isEmpty }.prefix(5).map(\.text).joined(separator: "\n"),
      minimumHits: 20)
  }
}
