import CorpusConfiguration
import Foundation
import GCMapCore
import Scoring
import TextProcessing

/// Everything the fuzzer drives, built once from the repository's Corpus folder (or
/// $GCMAP_CORPUS).
struct FuzzEnvironment: Sendable {
  let normalizer: Normalizer
  let segmenter = Segmenter()
  let tokenizer: Tokenizer
  let matcher: LexiconMatcher
  let mentions = MentionDetector()

  static let shared: FuzzEnvironment = {
    let corpus = URL(
      fileURLWithPath: ProcessInfo.processInfo.environment["GCMAP_CORPUS"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Corpus")
        .path)
    do {
      let vocabulary = try Vocabulary.load(
        folder: corpus.appendingPathComponent("wordlists"), language: "en")
      let taxonomy = try Taxonomy.load(corpus.appendingPathComponent("taxonomy.yml"))
      let lexicons = try Lexicon.loadAll(
        folder: corpus.appendingPathComponent("lexicons"), language: "en", ids: taxonomy.ids)
      let tokenizer = Tokenizer(stemmer: try Stemmer(algorithm: "english"))
      return FuzzEnvironment(
        normalizer: .standard(vocabulary: vocabulary), tokenizer: tokenizer,
        matcher: LexiconMatcher(
          lexicons: lexicons, tokenizer: tokenizer,
          subjects: try Subjects.load(corpus.appendingPathComponent("lexicons/en/subjects.yml"))))
    } catch {
      fatalError("gcmap-fuzz: cannot load the corpus at \(corpus.path): \(error)")
    }
  }()
}

/// One fuzz input: any bytes, read as text with form feeds between pages, through
/// normalization, segmentation, tokenizing, lexicon matching and mention detection. The
/// invariants checked: passage offsets lie inside their pages' text, and term ranges inside
/// their passage.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let environment = FuzzEnvironment.shared
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).enumerated().map {
    Page.fromPlainText(String($0.element), number: $0.offset + 1)
  }
  let normalized = environment.normalizer.normalize(pages).pages
  let lengths = Dictionary(
    uniqueKeysWithValues: normalized.map { ($0.number, $0.text.unicodeScalars.count) })
  for passage in environment.segmenter.segment(normalized, documentID: "fuzz") {
    guard let first = lengths[passage.page], let last = lengths[passage.endPage],
      passage.start <= first,
      passage.end <= last, passage.page <= passage.endPage,
      passage.page < passage.endPage || passage.start < passage.end
    else {
      fatalError("passage out of its pages: \(passage)")
    }
    let tokens = environment.tokenizer.tokens(passage.text)
    let count = passage.text.unicodeScalars.count
    for match in environment.matcher.matches(tokens)
    where match.start < 0 || match.end > count || match.start >= match.end {
      fatalError("term out of its passage: \(match)")
    }
    for mention in environment.mentions.mentions(in: passage.text) where mention.end > count {
      fatalError("mention out of its passage: \(mention)")
    }
  }
  return 0
}
