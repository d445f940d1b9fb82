import CorpusConfiguration
import Foundation
import GCMapCore
import Hashing
import Scoring
import TextProcessing

/// The `Corpus/` folder: word lists now, taxonomy and lexicons as they come.
///
/// Found, in order, at `--corpus`, `$GCMAP_CORPUS`, `./Corpus`, or a `Corpus` folder beside the
/// executable or up to five folders above it (a build inside the repository), so that a lexicon
/// edit needs no rebuild and an installed binary can be pointed at any corpus.
public struct Corpus: Sendable {
  public let root: URL

  public init(root: URL) {
    self.root = root
  }

  /// Why no corpus could be used.
  public struct NotFound: Error, CustomStringConvertible {
    public let searched: [String]
    public var description: String {
      "cannot find the Corpus folder (looked in \(searched.joined(separator: ", "))); "
        + "pass --corpus DIR or set GCMAP_CORPUS"
    }
  }

  private static let marker = "wordlists/en.txt"

  public static func locate(explicit: String?) throws -> Corpus {
    var candidates: [URL] = []
    if let explicit { candidates.append(URL(fileURLWithPath: explicit)) }
    if let fromEnvironment = ProcessInfo.processInfo.environment["GCMAP_CORPUS"],
      !fromEnvironment.isEmpty
    {
      candidates.append(URL(fileURLWithPath: fromEnvironment))
    }
    if explicit == nil {
      candidates.append(
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(
          "Corpus"))
      if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<6 {
          candidates.append(folder.appendingPathComponent("Corpus"))
          folder = folder.deletingLastPathComponent()
        }
      }
    }
    for candidate in candidates
    where FileManager.default.fileExists(
      atPath: candidate.appendingPathComponent(marker).path)
    {
      return Corpus(root: candidate.standardizedFileURL)
    }
    throw NotFound(searched: Array(candidates.prefix(explicit == nil ? 3 : 1)).map(\.path))
  }

  /// The word list of a language ("en"), with its hyphenated compounds.
  public func vocabulary(language: String) throws -> Vocabulary {
    try Vocabulary.load(
      folder: root.appendingPathComponent("wordlists"), language: language)
  }

  /// The languages with a word list: "en", and "fr" and "es" when present.
  public var languages: [String] {
    ["en", "fr", "es"].filter {
      $0 == "en"
        || FileManager.default.fileExists(
          atPath: root.appendingPathComponent("wordlists/\($0).txt").path)
    }
  }

  /// The languages with lexicons: "en", and each other UN language ("fr", "es", "ar", "ru",
  /// "zh") whose folder is present.
  public var scoringLanguages: [String] {
    ["en", "fr", "es", "ar", "ru", "zh"].filter {
      $0 == "en"
        || FileManager.default.fileExists(
          atPath: root.appendingPathComponent("lexicons/\($0)").path)
    }
  }

  public func taxonomy() throws -> Taxonomy {
    try Taxonomy.load(root.appendingPathComponent("taxonomy.yml"))
  }

  /// A language's lexicons, one per category; a term's `near` must name one of the
  /// language's subject sets.
  public func lexicons(language: String, ids: [String]) throws -> [Lexicon] {
    let lexicons = try Lexicon.loadAll(
      folder: root.appendingPathComponent("lexicons"), language: language, ids: ids)
    let known = try subjects(language: language).sets
    for lexicon in lexicons {
      for (phrase, subject) in lexicon.near.sorted(by: { $0.key < $1.key })
      where known[subject] == nil {
        throw ConfigurationError(
          file: root.appendingPathComponent("lexicons/\(language)/\(lexicon.id).yml").path,
          line: nil,
          message: "the term \"\(phrase)\" needs the subject \"\(subject)\", which "
            + "lexicons/\(language)/subjects.yml does not define"
            + StrictYAML.suggestion(subject, known.keys.sorted()))
      }
    }
    return lexicons
  }

  /// The subject sets generic terms need nearby (`lexicons/LANG/subjects.yml`); none if the
  /// language has no such file.
  public func subjects(language: String) throws -> Subjects {
    let url = root.appendingPathComponent("lexicons/\(language)/subjects.yml")
    guard FileManager.default.fileExists(atPath: url.path) else { return Subjects() }
    return try Subjects.load(url)
  }

  /// The report-apparatus lexicon of a language (`lexicons/LANG/apparatus.yml`), if it has one.
  public func apparatus(language: String) throws -> Lexicon? {
    let url = root.appendingPathComponent("lexicons/\(language)/apparatus.yml")
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    let lexicon = try Lexicon.load(url)
    guard lexicon.id == "apparatus", lexicon.language == language else {
      throw ConfigurationError(
        file: url.path, line: nil,
        message: "declares \(lexicon.id)/\(lexicon.language), expected apparatus/\(language)")
    }
    return lexicon
  }

  /// The stopword list of a language.
  public func stopwords(language: String) throws -> Set<String> {
    Set(try Vocabulary.readList(root.appendingPathComponent("stopwords/\(language).txt")))
  }

  /// SHA-256 over every corpus file's relative path and content, in path order: what
  /// run.json records so that a run can be matched to the exact corpus it used.
  public func contentHash() throws -> String {
    Self.combine(try fileHashes())
  }

  /// Every file of the corpus, by path under it ("/lexicons/en/O01.yml"), with its SHA-256.
  public func fileHashes() throws -> [(file: String, sha256: String)] {
    let base = root.standardizedFileURL.path
    let files =
      FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])?
      .compactMap { $0 as? URL }
      .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
      .map { String($0.standardizedFileURL.path.dropFirst(base.count)) }.sorted() ?? []
    return try files.map { file in
      (file, SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: base + file)))))
    }
  }

  /// One hash over files and their hashes, in the order given.
  public static func combine(_ hashes: [(file: String, sha256: String)]) -> String {
    SHA256.hex(Array(hashes.map { "\($0.file) \($0.sha256)\n" }.joined().utf8))
  }

  public func countries() throws -> CountryTable {
    try CountryTable.load(root.appendingPathComponent("countries.csv"))
  }

  /// `Pipelines/default.yml` beside this corpus folder.
  public var defaultPipeline: URL {
    root.deletingLastPathComponent().appendingPathComponent("Pipelines/default.yml")
  }
}
