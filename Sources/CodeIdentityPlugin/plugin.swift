import Foundation
import PackagePlugin

/// Gives the Pipeline module the identity of the code behind each cache level, at build time.
///
/// Why: a cached extraction or analysis is valid only for the code that made it. A hand-bumped
/// version number depends on someone remembering; the SHA-256 of the executable changes with
/// every build, so unrelated edits would throw away hours of extracted text. Instead, each
/// level's identity is the SHA-256 of the sources of every module its results pass through:
/// editing the scorer re-scores from cached text, editing the normalizer re-extracts.
/// Limits: the compiler version and build flags are not part of it (they do not change what
/// the code computes); a change in a system library is caught by its runtime version, which
/// the cache key holds separately.
@main
struct CodeIdentityPlugin: BuildToolPlugin {
  /// Each level and the targets whose files make it; the analysis builds on the extraction.
  static let levels: [(name: String, targets: [String])] = [
    (
      "extraction",
      [
        "GCMapCore", "TextProcessing", "PDFText", "CPoppler", "CStemmer", "CUtf8proc", "Pipeline",
        "CompactCoding",
      ]
    ),
    (
      "analysis",
      [
        "GCMapCore", "TextProcessing", "PDFText", "CPoppler", "CStemmer", "CUtf8proc", "Pipeline",
        "CompactCoding", "Scoring", "CorpusConfiguration",
      ]
    ),
  ]

  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let output = context.pluginWorkDirectoryURL.appendingPathComponent("CodeIdentity.swift")
    var arguments = [output.path]
    var inputs: [URL] = []
    for level in Self.levels {
      arguments += ["--level", level.name]
      for name in level.targets {
        guard let found = context.package.targets.first(where: { $0.name == name }) else {
          throw PluginError(message: "no target named \(name)")
        }
        let files = Self.files(of: found)
        arguments += files.map(\.path)
        inputs += files
      }
    }
    return [
      .buildCommand(
        displayName: "Code identity of the cache levels",
        executable: try context.tool(named: "code-identity").url,
        arguments: arguments, inputFiles: inputs, outputFiles: [output])
    ]
  }

  /// A target's own files, in a fixed order: Swift sources, or a system library's headers and
  /// module map. The file this plugin writes is not among them.
  static func files(of target: Target) -> [URL] {
    if let module = target as? SourceModuleTarget {
      return module.sourceFiles.map(\.url).sorted { $0.path < $1.path }
    }
    let folder = target.directoryURL
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().map { folder.appendingPathComponent($0) }
  }
}

struct PluginError: Error, CustomStringConvertible {
  var message: String
  var description: String { "code identity: \(message)" }
}
