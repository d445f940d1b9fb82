import Foundation
import GCMapCore
import TextProcessing

/// TF-IDF similarity between a passage and each category's own text.
///
/// IDF is fitted once on a fixed reference collection, the Compact's paragraphs (each title,
/// commitment, action and principle is a document), never on the batch: a document's scores
/// do not depend on which other documents are run with it, and runs stay comparable across
/// review cycles. A category's profile is the tf-idf vector of its title, commitment and
/// actions. Term frequency is sublinear (1 + ln tf); stopwords and one-letter tokens are
/// left out; vectors are L2-normalized, so the score is a cosine in [0, 1].
public struct TfIdfModel: Sendable {
  private let idf: [String: Double]
  private let unseenIdf: Double
  private let profiles: [(category: String, vector: [String: Double])]
  /// Each profile term with the profiles that hold it (index, weight): a passage's terms are
  /// looked up once each instead of once per category.
  private let postings: [String: [(profile: Int, weight: Double)]]
  private let stopwords: Set<String>
  /// The UTF-8 length of the longest stopword.
  private let longestStopword: Int
  /// Each category's place in `profiles`.
  private let profileIndex: [String: Int]
  /// The Compact's actions one by one (and each objective's commitment), for the action a
  /// passage is closest to: (category, its name such as "5(c)", vector).
  private let actionProfiles: [(category: String, name: String)]
  private let actionPostings: [String: [(profile: Int, weight: Double)]]

  /// The profile of the Compact as a whole (every category's text): a passage's cosine with it
  /// tells how close the passage is to the Compact's subject at all.
  public static let wholeCompact = "*"

  public init(taxonomy: Taxonomy, tokenizer: Tokenizer, stopwords: Set<String>) {
    var reference: [String] = []
    for category in taxonomy.categories {
      reference += [category.title, category.commitment] + category.actions.map(\.text)
    }
    let profiles = taxonomy.categories.map { ($0.id, $0.referenceText) }
    var actions: [(category: String, name: String, text: String)] = []
    for category in taxonomy.categories where category.kind == .objective {
      actions.append((category.id, "\(category.number) (commitment)", category.commitment))
      for action in category.actions {
        actions.append((category.id, "\(category.number)(\(action.letter))", action.text))
      }
    }
    self.init(
      reference: reference,
      profiles: profiles + [(Self.wholeCompact, profiles.map(\.1).joined(separator: "\n"))],
      actions: actions, tokenizer: tokenizer, stopwords: stopwords)
  }

  /// A model whose IDF is fitted on `reference` (one string a document) and whose category
  /// profiles are the given texts.
  public init(
    reference: [String], profiles texts: [(category: String, text: String)],
    actions: [(category: String, name: String, text: String)] = [], tokenizer: Tokenizer,
    stopwords: Set<String>
  ) {
    self.stopwords = stopwords
    let longestStopword = stopwords.lazy.map(\.utf8.count).max() ?? 0
    self.longestStopword = longestStopword
    let documents = reference.map {
      Self.terms(tokenizer.tokens($0), stopwords, longestStopword: longestStopword)
    }
    var documentFrequency: [String: Int] = [:]
    for document in documents {
      for term in Set(document) { documentFrequency[term, default: 0] += 1 }
    }
    let count = Double(documents.count)
    idf = documentFrequency.mapValues { log((count + 1) / (Double($0) + 1)) + 1 }
    unseenIdf = log(count + 1) + 1
    let idf = self.idf
    let unseen = unseenIdf
    let profiles = texts.map { profile in
      (
        category: profile.category,
        vector: Self.vector(
          Self.terms(tokenizer.tokens(profile.text), stopwords, longestStopword: longestStopword),
          idf: idf, unseen: unseen)
      )
    }
    var postings: [String: [(profile: Int, weight: Double)]] = [:]
    for (index, profile) in profiles.enumerated() {
      for (term, weight) in profile.vector { postings[term, default: []].append((index, weight)) }
    }
    self.profiles = profiles
    var profileIndex: [String: Int] = [:]
    for (index, profile) in profiles.enumerated() { profileIndex[profile.category] = index }
    self.profileIndex = profileIndex
    self.postings = postings.mapValues { $0.sorted { $0.profile < $1.profile } }
    var actionPostings: [String: [(profile: Int, weight: Double)]] = [:]
    for (index, action) in actions.enumerated() {
      let vector = Self.sortedVector(
        Self.terms(tokenizer.tokens(action.text), stopwords, longestStopword: longestStopword),
        idf: idf, unseen: unseen)
      for (term, weight) in vector { actionPostings[term, default: []].append((index, weight)) }
    }
    self.actionProfiles = actions.map { ($0.category, $0.name) }
    self.actionPostings = actionPostings
  }

  /// The terms of `tokens`: stems of words of two letters or more that are neither stopwords
  /// nor numbers. A word longer than `longestStopword` bytes is not looked up among the
  /// stopwords (hashing was most of the cost).
  static func terms(_ tokens: [Token], _ stopwords: Set<String>, longestStopword: Int) -> [String] {
    tokens.compactMap { token in
      token.folded.characterCount < 2
        || (token.folded.utf8.count <= longestStopword && stopwords.contains(token.folded))
        || isNumber(token.folded) ? nil : token.stem
    }
  }

  /// All digits: `allSatisfy(\.isNumber)`, answered from the bytes for ASCII.
  private static func isNumber(_ word: String) -> Bool {
    if word.utf8.allSatisfy({ $0 < 0x80 }) { return word.utf8.allSatisfy { $0 &- 0x30 < 10 } }
    return word.allSatisfy(\.isNumber)
  }

  static func vector(_ terms: [String], idf: [String: Double], unseen: Double) -> [String: Double] {
    Dictionary(uniqueKeysWithValues: sortedVector(terms, idf: idf, unseen: unseen))
  }

  /// The normalized tf-idf vector as (term, weight) in term order.
  ///
  /// Sums run in term order: dictionary order changes from process to process, and so would
  /// the last bits of a floating-point sum.
  static func sortedVector(_ terms: [String], idf: [String: Double], unseen: Double) -> [(
    term: String, weight: Double
  )] {
    var counts: [String: Int] = Dictionary(minimumCapacity: terms.count)
    for term in terms { counts[term, default: 0] += 1 }
    var vector = counts.map { term, count in
      (term: term, weight: (1 + log(Double(count))) * (idf[term] ?? unseen))
    }
    vector.sort { $0.term < $1.term }
    let norm = sqrt(vector.reduce(0) { $0 + $1.weight * $1.weight })
    guard norm > 0 else { return [] }
    for index in vector.indices { vector[index].weight /= norm }
    return vector
  }

  /// Cosine similarity with each category and the terms that contributed most, for the
  /// categories with any overlap.
  public func scores(_ tokens: [Token], contributors: Int = 5) -> [String: (
    cosine: Double, contributors: [TermContribution]
  )] {
    let similarity = cosines(tokens)
    var result: [String: (Double, [TermContribution])] = [:]
    for (category, cosine) in similarity.cosines {
      result[category] = (
        cosine, self.contributors(category, similarity.passage, limit: contributors)
      )
    }
    return result
  }

  /// The passage's tf-idf vector (in term order) and its cosine with each category it
  /// overlaps. Contributors are left to `contributors(_:_:limit:)`, for the categories that
  /// need them: making them for every category cost more than the cosines.
  public func cosines(_ tokens: [Token]) -> (
    passage: [(term: String, weight: Double)], cosines: [String: Double]
  ) {
    let passage = Self.sortedVector(
      Self.terms(tokens, stopwords, longestStopword: longestStopword), idf: idf, unseen: unseenIdf)
    guard !passage.isEmpty else { return ([], [:]) }
    // Terms in sorted order, so that each profile's sum runs in the same order every time.
    var sums = [Double](repeating: 0, count: profiles.count)
    for (term, weight) in passage {
      guard let holders = postings[term] else { continue }
      for holder in holders { sums[holder.profile] += weight * holder.weight }
    }
    var result: [String: Double] = [:]
    for (index, profile) in profiles.enumerated() where sums[index] > 0 {
      result[profile.category] = sums[index]
    }
    return (passage, result)
  }

  /// For each objective in `categories`, the action (or commitment) of the Compact closest to
  /// `passage` (its tf-idf vector, from `cosines`), with the cosine: "5(c)" is objective 5's
  /// action (c). One pass over the passage's terms and the actions' postings, however many
  /// categories are asked for. Empty when the model has no actions (French and Spanish: the
  /// corpus has no text of the Compact in those languages).
  public func closestActions(
    _ passage: [(term: String, weight: Double)], categories: Set<String>
  ) -> [String: (name: String, cosine: Double)] {
    guard !actionProfiles.isEmpty, !categories.isEmpty else { return [:] }
    var sums = [Double](repeating: 0, count: actionProfiles.count)
    for (term, weight) in passage {
      guard let holders = actionPostings[term] else { continue }
      for holder in holders { sums[holder.profile] += weight * holder.weight }
    }
    var closest: [String: (name: String, cosine: Double)] = [:]
    for (index, action) in actionProfiles.enumerated()
    where sums[index] > 0 && categories.contains(action.category) {
      // Ties go to the action listed first (the commitment, then (a), (b)...).
      if sums[index] > closest[action.category]?.cosine ?? 0 {
        closest[action.category] = (action.name, sums[index])
      }
    }
    return closest
  }

  /// The terms of `passage` that contribute most to its cosine with `category`, largest first.
  public func contributors(
    _ category: String, _ passage: [(term: String, weight: Double)], limit: Int = 5
  ) -> [TermContribution] {
    guard let index = profileIndex[category] else { return [] }
    let profile = profiles[index].vector
    var parts: [TermContribution] = []
    for (term, weight) in passage {
      guard let profileWeight = profile[term] else { continue }
      parts.append(TermContribution(stem: term, weight: weight * profileWeight))
    }
    let ranked = parts.sorted { ($0.weight, $1.stem) > ($1.weight, $0.stem) }
    return Array(ranked.prefix(limit))
  }
}
