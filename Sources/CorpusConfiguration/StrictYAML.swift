import Foundation
import GCMapCore
import Yams

/// Reads YAML strictly: every mapping names its allowed keys, and a key that is not one of
/// them is an error with the file, the line and the nearest valid name.
///
/// Why not Codable: a decoder ignores unknown keys, so a misspelt setting ("treshold") would
/// silently fall back to its default; and its errors do not say the line.
public struct StrictYAML {
  public let file: String

  public init(file: String) {
    self.file = file
  }

  /// Reads and parses a YAML file: its root node and the reader for its errors.
  public static func load(_ url: URL) throws -> (yaml: StrictYAML, root: Node) {
    let yaml = StrictYAML(file: url.path)
    let text: String
    do { text = try String(contentsOf: url, encoding: .utf8) } catch {
      throw ConfigurationError(
        file: url.path, line: nil, message: "cannot read: \(error.localizedDescription)")
    }
    return (yaml, try yaml.root(text))
  }

  /// Parses a file's text into its root node.
  public func root(_ text: String) throws -> Node {
    do {
      guard let node = try Yams.compose(yaml: text) else {
        throw ConfigurationError(file: file, line: nil, message: "the file is empty")
      }
      return node
    } catch let error as ConfigurationError {
      throw error
    } catch let error as YamlError {
      throw ConfigurationError(
        file: file, line: Self.line(of: error), message: "not valid YAML: \(error)")
    }
  }

  private static func line(of error: YamlError) -> Int? {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
      return mark.line
    default:
      return nil
    }
  }

  public func error(_ node: Node?, _ message: String) -> ConfigurationError {
    ConfigurationError(file: file, line: node?.mark?.line, message: message)
  }

  /// The mapping's entries by key, after checking every key is allowed and required ones are
  /// there.
  public func mapping(
    _ node: Node, _ what: String, allowed: [String], required: [String] = []
  ) throws -> [String: Node] {
    guard let mapping = node.mapping else {
      throw error(node, "\(what) must be a mapping of keys to values")
    }
    var entries: [String: Node] = [:]
    for (key, value) in mapping {
      guard let name = key.scalar?.string else {
        throw error(key, "\(what): keys must be plain names")
      }
      guard allowed.contains(name) else {
        throw error(key, "unknown key \"\(name)\" in \(what)\(Self.suggestion(name, allowed))")
      }
      guard entries[name] == nil else { throw error(key, "\"\(name)\" appears twice in \(what)") }
      entries[name] = value
    }
    for name in required where entries[name] == nil {
      throw error(node, "\(what) lacks \"\(name)\"")
    }
    return entries
  }

  public func string(_ node: Node, _ what: String) throws -> String {
    guard let scalar = node.scalar else { throw error(node, "\(what) must be a text value") }
    return scalar.string
  }

  public func double(_ node: Node, _ what: String, in range: ClosedRange<Double>) throws -> Double {
    guard let text = node.scalar?.string, let value = Double(text) else {
      throw error(node, "\(what) must be a number")
    }
    guard range.contains(value) else {
      throw error(
        node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(text)")
    }
    return value
  }

  public func int(_ node: Node, _ what: String, in range: ClosedRange<Int>) throws -> Int {
    guard let text = node.scalar?.string, let value = Int(text) else {
      throw error(node, "\(what) must be a whole number")
    }
    guard range.contains(value) else {
      throw error(
        node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(text)")
    }
    return value
  }

  public func sequence(_ node: Node, _ what: String) throws -> [Node] {
    guard let sequence = node.sequence else { throw error(node, "\(what) must be a list") }
    return Array(sequence)
  }

  public func strings(_ node: Node, _ what: String) throws -> [String] {
    try sequence(node, what).map { try string($0, "each entry of \(what)") }
  }

  /// The name of `allowed` nearest to `name`, as ` (did you mean "x"?)`, or "" if none is
  /// close.
  public static func suggestion(_ name: String, _ allowed: [String]) -> String {
    let scored = allowed.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }),
      best.1 <= max(2, best.0.count / 2)
    else {
      return "; valid: \(allowed.joined(separator: ", "))"
    }
    return " (did you mean \"\(best.0)\"?)"
  }

  /// Levenshtein distance.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + [Int](repeating: 0, count: b.count)
      for j in stride(from: 1, through: b.count, by: 1) {
        current[j] = Swift.min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
