import CorpusConfiguration
import Foundation
import GCMapCore

/// Passwords for encrypted PDFs, by file: `--passwords FILE`.
///
/// Each line holds a file name (or a path under the input folder), a tab or a comma, and a
/// password; a file may have several lines, tried in turn. A line whose name is `*` gives a
/// password to try on every file. Lines starting with "#" are comments.
public struct PasswordBook: Sendable {
  private var byFile: [String: [String]] = [:]

  public init() {}

  public init(_ url: URL) throws {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw ConfigurationError(file: url.path, line: nil, message: "cannot read the passwords file")
    }
    for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .enumerated()
    {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let separator = line.firstIndex(of: "\t") ?? line.firstIndex(of: ",")
      guard let separator else {
        throw ConfigurationError(
          file: url.path, line: number + 1,
          message: "expected a file name, a tab or comma, and a password")
      }
      let name = line[..<separator].trimmingCharacters(in: .whitespaces)
      let password = String(line[line.index(after: separator)...])
      byFile[name, default: []].append(password)
    }
  }

  /// The passwords to try for a file, its own first.
  public func passwords(for relativePath: String) -> [String] {
    let name = URL(fileURLWithPath: relativePath).lastPathComponent
    return (byFile[relativePath] ?? []) + (relativePath == name ? [] : byFile[name] ?? [])
      + (byFile["*"] ?? [])
  }
}
