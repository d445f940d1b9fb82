import Foundation
import GCMapCore
import TextProcessing

/// A country of `Corpus/countries.csv`: ISO codes, names in English, French and Spanish, and its
/// UN M49 region.
public struct Country: Sendable, Equatable {
  public var iso3: String
  public var name: String
  public var region: String
  public var subRegion: String
  public var names: [String]

  public init(iso3: String, name: String, region: String, subRegion: String, names: [String]) {
    self.iso3 = iso3
    self.name = name
    self.region = region
    self.subRegion = subRegion
    self.names = names
  }
}

/// The countries, looked up by code or by any of their names.
public struct CountryTable: Sendable {
  public let countries: [Country]
  private let byKey: [String: Int]

  public init(countries: [Country]) {
    self.countries = countries
    var keys: [String: Int] = [:]
    for (index, country) in countries.enumerated() {
      keys[country.iso3.lowercased()] = index
      for name in country.names { keys[Self.key(name)] = keys[Self.key(name)] ?? index }
    }
    byKey = keys
  }

  /// The country with this ISO code or name (any language, case and accents ignored).
  public func find(_ codeOrName: String) -> Country? {
    byKey[Self.key(codeOrName)].map { countries[$0] }
  }

  static func key(_ name: String) -> String {
    name.split { !$0.isLetter && !$0.isNumber }.map { Tokenizer.fold(String($0)) }.joined(
      separator: " ")
  }
}

/// Finds the country a review is from on its title page.
///
/// Counts country names on the first page, the first fifteen lines weighing three times as
/// much (the title area), and the second page at half weight. The longest name wins where
/// names overlap ("Papua New Guinea" over "Guinea"); names of three letters or fewer count
/// only as written ("UK", not "uk"). A country is reported only when it scores at least 3 and
/// twice as much as any other: a review that names several countries on its title page, or
/// none, is "unknown" rather than guessed.
public struct CountryDetector: Sendable {
  struct Pattern: Sendable {
    var country: Int
    var words: [String]
    /// For short names: the exact text, case included.
    var exact: String?
  }

  private let table: CountryTable
  private let byFirstWord: [String: [Pattern]]
  /// Names written in ideographs (Chinese), longest first: Chinese sets no spaces between a
  /// country's name and the words around it ("中华人民共和国关于…"), so these are found inside
  /// the line's text.
  private let ideographicNames: [(name: String, country: Int)]

  public init(table: CountryTable) {
    self.table = table
    var index: [String: [Pattern]] = [:]
    var ideographic: [(name: String, country: Int)] = []
    for (position, country) in table.countries.enumerated() {
      for name in country.names {
        if name.unicodeScalars.contains(where: \.isIdeograph) {
          ideographic.append((name, position))
          continue
        }
        let words = CountryTable.key(name).split(separator: " ").map(String.init)
        guard let first = words.first else { continue }
        let compact = name.filter { $0.isLetter }
        let exact = compact.count <= 3 ? name : nil
        index[first, default: []].append(Pattern(country: position, words: words, exact: exact))
      }
    }
    for key in index.keys { index[key]?.sort { $0.words.count > $1.words.count } }
    byFirstWord = index
    ideographicNames = ideographic.sorted {
      ($0.name.unicodeScalars.count, $1.name) > ($1.name.unicodeScalars.count, $0.name)
    }
  }

  /// The detected country, or nil for unknown; with the scores behind the decision.
  public func detect(_ pages: [Page]) -> (country: Country?, scores: [String: Double]) {
    var scores: [Int: Double] = [:]
    for page in pages.prefix(2) {
      for (index, line) in page.lines.enumerated() {
        let weight = page.number == pages.first?.number ? (index < 15 ? 3.0 : 1.0) : 0.5
        for country in countries(in: line.text) { scores[country, default: 0] += weight }
      }
    }
    let ranked = scores.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    let named = Dictionary(
      uniqueKeysWithValues: ranked.map { (table.countries[$0.key].iso3, $0.value) })
    guard let best = ranked.first, best.value >= 3 else { return (nil, named) }
    if ranked.count > 1 && ranked[1].value * 2 > best.value { return (nil, named) }
    return (table.countries[best.key], named)
  }

  /// Indices of the countries named in a line, longest names first where they overlap.
  public func countries(in line: String) -> [Int] {
    if line.unicodeScalars.contains(where: \.isIdeograph) {
      return wordCountries(in: line) + ideographicCountries(in: line)
    }
    return wordCountries(in: line)
  }

  /// The countries named in ideographs in `line`, each occurrence once, longest names first:
  /// "中华人民共和国" is China, not also a match of a shorter name inside it.
  private func ideographicCountries(in line: String) -> [Int] {
    var scalars = Array(line.unicodeScalars)
    var found: [Int] = []
    for (name, country) in ideographicNames {
      let needle = Array(name.unicodeScalars)
      var start = 0
      while start + needle.count <= scalars.count {
        if scalars[start..<(start + needle.count)].elementsEqual(needle) {
          found.append(country)
          // Blank the match out so that no shorter name is found inside it.
          for index in start..<(start + needle.count) { scalars[index] = " " }
          start += needle.count
        } else {
          start += 1
        }
      }
    }
    return found
  }

  private func wordCountries(in line: String) -> [Int] {
    var words: [(folded: String, original: String)] = []
    for word in line.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
      words.append((Tokenizer.fold(String(word)), String(word)))
    }
    var found: [Int] = []
    var position = 0
    while position < words.count {
      var matched = 0
      for pattern in byFirstWord[words[position].folded] ?? [] {
        let end = position + pattern.words.count
        guard end <= words.count,
          zip(pattern.words, words[position..<end]).allSatisfy({ $0 == $1.folded })
        else { continue }
        if let exact = pattern.exact,
          words[position..<end].map(\.original).joined(separator: " ") != exact
        {
          continue
        }
        found.append(pattern.country)
        matched = pattern.words.count
        break
      }
      position += max(1, matched)
    }
    return found
  }
}
