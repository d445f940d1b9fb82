/// One of the Compact's 33 categories: an objective (O01–O23) or a guiding principle (P01–P10).
public struct Category: Sendable, Equatable {
  public enum Kind: String, Sendable { case objective, principle }

  public struct Action: Sendable, Equatable {
    public var letter: String
    public var text: String

    public init(letter: String, text: String) {
      self.letter = letter
      self.text = text
    }
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
  /// The principle's name by language ("en", "fr", "es", "ar", "ru", "zh"); empty for objectives.
  public var names: [String: String]

  public init(
    id: String, kind: Kind, number: Int, shortTitle: String, title: String, paragraph: String,
    commitment: String, actions: [Action], names: [String: String]
  ) {
    self.id = id
    self.kind = kind
    self.number = number
    self.shortTitle = shortTitle
    self.title = title
    self.paragraph = paragraph
    self.commitment = commitment
    self.actions = actions
    self.names = names
  }

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

  /// Whether `id` names an objective of this taxonomy (not a principle).
  public func isObjective(_ id: String) -> Bool {
    category(id)?.kind == .objective
  }

  /// The objective a document covers most: most labelled passages, then highest score.
  public func topObjective(_ coverage: DocumentCoverage) -> String? {
    coverage.cells.filter { isObjective($0.category) && $0.passages > 0 }
      .max { ($0.passages, $0.strongest, $1.category) < ($1.passages, $1.strongest, $0.category) }?
      .category
  }
}
