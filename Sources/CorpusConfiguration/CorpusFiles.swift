import CSVFormat
import Foundation
import GCMapCore
import Scoring
import Yams

// Reading the corpus's files (taxonomy, lexicons, countries) into the values the other layers
// use. Strict like the pipeline files: an unknown key is an error naming the file and line.

extension Taxonomy {
  /// Reads `Corpus/taxonomy.yml`: the 33 categories, O01…O23 then P01…P10, in order.
  public static func load(_ url: URL) throws -> Taxonomy {
    let (yaml, root) = try StrictYAML.load(url)
    let top = try yaml.mapping(
      root, "the taxonomy", allowed: ["version", "source", "categories"],
      required: ["version", "categories"])
    var categories: [Category] = []
    for node in try yaml.sequence(top["categories"] ?? Node(""), "categories") {
      let fields = try yaml.mapping(
        node, "a category",
        allowed: [
          "id", "kind", "number", "shortTitle", "title", "paragraph", "commitment", "actions",
          "names",
        ],
        required: ["id", "kind", "number", "shortTitle", "title", "paragraph", "commitment"])
      func text(_ key: String) throws -> String {
        try yaml.string(fields[key] ?? Node(""), key)
      }
      let kindNode = fields["kind"] ?? Node("")
      guard let kind = Category.Kind(rawValue: try yaml.string(kindNode, "kind")) else {
        throw yaml.error(kindNode, "kind must be objective or principle")
      }
      var actions: [Category.Action] = []
      if let list = fields["actions"] {
        for actionNode in try yaml.sequence(list, "actions") {
          let action = try yaml.mapping(
            actionNode, "an action", allowed: ["letter", "text"], required: ["letter", "text"])
          actions.append(
            Category.Action(
              letter: try yaml.string(action["letter"] ?? Node(""), "letter"),
              text: try yaml.string(action["text"] ?? Node(""), "text")))
        }
      }
      var names: [String: String] = [:]
      if let namesNode = fields["names"] {
        for (language, value) in try yaml.mapping(
          namesNode, "names", allowed: ["en", "fr", "es", "ar", "ru", "zh"])
        {
          names[language] = try yaml.string(value, "a name")
        }
      }
      categories.append(
        Category(
          id: try text("id"), kind: kind,
          number: try yaml.int(fields["number"] ?? Node(""), "number", in: 1...23),
          shortTitle: try text("shortTitle"), title: try text("title"),
          paragraph: try text("paragraph"), commitment: try text("commitment"),
          actions: actions, names: names))
    }
    let expected =
      (1...23).map { String(format: "O%02d", $0) } + (1...10).map { String(format: "P%02d", $0) }
    guard categories.map(\.id) == expected else {
      throw ConfigurationError(
        file: url.path, line: nil, message: "the categories must be O01…O23 then P01…P10, in order")
    }
    return Taxonomy(
      version: try yaml.string(top["version"] ?? Node(""), "version"), categories: categories)
  }
}

extension Lexicon {
  /// Reads one lexicon file, `Corpus/lexicons/LANG/ID.yml`.
  public static func load(_ url: URL) throws -> Lexicon {
    let (yaml, root) = try StrictYAML.load(url)
    let top = try yaml.mapping(
      root, "a lexicon",
      allowed: ["id", "language", "terms", "exclusions", "examples", "headings"],
      required: ["id", "language", "terms", "examples"])
    var terms: [(String, Double)] = []
    var near: [String: String] = [:]
    guard let termsNode = top["terms"], let termMapping = termsNode.mapping else {
      throw yaml.error(top["terms"], "terms must map each word or phrase to its weight")
    }
    for (key, value) in termMapping {
      let phrase = try yaml.string(key, "a term")
      // A weight, or {weight: W, near: SUBJECT} for a generic term that needs its subject.
      if value.mapping != nil {
        let fields = try yaml.mapping(
          value, "the term \"\(phrase)\"", allowed: ["weight", "near"],
          required: ["weight", "near"])
        terms.append(
          (
            phrase,
            try yaml.double(
              fields["weight"] ?? Node(""), "the weight of \"\(phrase)\"", in: 0.1...5)
          ))
        near[phrase] = try yaml.string(fields["near"] ?? Node(""), "near")
      } else {
        terms.append((phrase, try yaml.double(value, "the weight of \"\(phrase)\"", in: 0.1...5)))
      }
    }
    let examples = try yaml.mapping(
      top["examples"] ?? Node(""), "examples", allowed: ["match", "noMatch"],
      required: ["match", "noMatch"])
    return Lexicon(
      id: try yaml.string(top["id"] ?? Node(""), "id"),
      language: try yaml.string(top["language"] ?? Node(""), "language"),
      terms: terms,
      exclusions: try top["exclusions"].map { try yaml.strings($0, "exclusions") } ?? [],
      matchExamples: try yaml.strings(examples["match"] ?? Node(""), "examples.match"),
      noMatchExamples: try yaml.strings(examples["noMatch"] ?? Node(""), "examples.noMatch"),
      headings: try top["headings"].map { try yaml.strings($0, "headings") } ?? [],
      near: near)
  }

  /// Every lexicon of a language, one per category id, from `folder/LANG/*.yml`.
  public static func loadAll(folder: URL, language: String, ids: [String]) throws -> [Lexicon] {
    try ids.map { id in
      let url = folder.appendingPathComponent(language).appendingPathComponent("\(id).yml")
      guard FileManager.default.fileExists(atPath: url.path) else {
        throw ConfigurationError(file: url.path, line: nil, message: "missing lexicon for \(id)")
      }
      let lexicon = try load(url)
      guard lexicon.id == id, lexicon.language == language else {
        throw ConfigurationError(
          file: url.path, line: nil,
          message: "declares \(lexicon.id)/\(lexicon.language), expected \(id)/\(language)")
      }
      return lexicon
    }
  }
}

extension CountryTable {
  /// Reads `Corpus/countries.csv` (columns iso3, name, region, sub_region, names).
  public static func load(_ url: URL) throws -> CountryTable {
    let table = try CSVTable.load(url)
    for column in ["iso3", "name", "region", "sub_region", "names"]
    where !table.header.contains(column) {
      throw ConfigurationError(file: url.path, line: nil, message: "lacks the column \"\(column)\"")
    }
    return CountryTable(
      countries: table.rows.map { row in
        Country(
          iso3: row["iso3"] ?? "", name: row["name"] ?? "", region: row["region"] ?? "",
          subRegion: row["sub_region"] ?? "",
          names: (row["names"] ?? "").split(separator: "|").map(String.init))
      })
  }
}

extension Subjects {
  /// Reads `Corpus/lexicons/LANG/subjects.yml`: `window` and the named `subjects` sets.
  public static func load(_ url: URL) throws -> Subjects {
    let (yaml, root) = try StrictYAML.load(url)
    let top = try yaml.mapping(
      root, "the subjects", allowed: ["language", "window", "subjects"],
      required: ["language", "window", "subjects"])
    var sets: [String: [String]] = [:]
    guard let subjects = top["subjects"], let mapping = subjects.mapping else {
      throw yaml.error(top["subjects"], "subjects must map each name to its words")
    }
    for (key, words) in mapping {
      let name = try yaml.string(key, "a subject's name")
      sets[name] = try yaml.strings(words, "subjects.\(name)")
    }
    return Subjects(
      window: try yaml.int(top["window"] ?? Node(""), "window", in: 1...100), sets: sets)
  }
}
