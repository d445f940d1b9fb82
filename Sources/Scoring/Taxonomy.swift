import Foundation
import Yams

/// One of the Compact's 33 categories: an objective (O01–O23) or a guiding principle (P01–P10).
public struct Category: Sendable, Equatable {
  public enum Kind: String, Sendable { case objective, principle }

  public struct Action: Sendable, Equatable {
    public var letter: String
    public var text: String
  }

  public var id: String
  public var kind: Kind
  public var number: Int
  public var shortTitle: String
  public var title: String
  /// Paragraph of A/RES/73/195: "17" … "39" for objectives, "15(a)" … "15(j)" for principles.
  public var paragraph: String
  public var commitment: String
  public var actions: [Action]
  /// The principle's name by language ("en", "fr", "es"); empty for objectives.
  public var names: [String: String]

  /// All the Compact's own text about the category: title, commitment and actions.
  public var referenceText: String {
    ([title, commitment] + actions.map(\.text)).joined(separator: "\n")
  }
}

/// The 33 categories, in order O01…O23, P01…P10, read from `Corpus/taxonomy.yml`.
public struct Taxonomy: Sendable {
  public var version: String
  public var categories: [Category]

  public init(version: String, categories: [Category]) {
    self.version = version
    self.categories = categories
  }

  public var objectives: [Category] { categories.filter { $0.kind == .objective } }
  public var ids: [String] { categories.map(\.id) }

  public func category(_ id: String) -> Category? {
    categories.first { $0.id == id }
  }

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
        for (language, value) in try yaml.mapping(namesNode, "names", allowed: ["en", "fr", "es"]) {
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
