import Foundation
import Hashing

// Writes CodeIdentity.swift for the Pipeline module (run by CodeIdentityPlugin at build time).
// Usage: code-identity OUTPUT --level NAME FILE... [--level NAME FILE...]
// Each level's identity is the SHA-256 over its files, each contributing its name (the last
// two path components, so the checkout's location does not matter), its length and its bytes.

func sha256Hex(_ chunks: [[UInt8]]) -> String {
  var hasher = SHA256()
  for chunk in chunks { hasher.update(chunk) }
  return hasher.finalizeHex()
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard !arguments.isEmpty else {
  FileHandle.standardError.write(Data("usage: code-identity OUTPUT --level NAME FILE...\n".utf8))
  exit(1)
}
let output = arguments.removeFirst()
var levels: [(name: String, files: [String])] = []
while !arguments.isEmpty {
  let word = arguments.removeFirst()
  if word == "--level", !arguments.isEmpty {
    levels.append((arguments.removeFirst(), []))
  } else if !levels.isEmpty {
    levels[levels.count - 1].files.append(word)
  }
}
var lines = [
  "// Generated at build time by the code-identity tool (CodeIdentityPlugin): do not edit.",
  "",
  "/// The SHA-256 of the sources behind each cache level.",
  "enum CodeIdentity {",
]
for level in levels {
  var chunks: [[UInt8]] = []
  for path in level.files {
    guard let data = FileManager.default.contents(atPath: path) else {
      FileHandle.standardError.write(Data("code-identity: cannot read \(path)\n".utf8))
      exit(1)
    }
    let url = URL(fileURLWithPath: path)
    let name = url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
    chunks.append(Array("\(name)\n\(data.count)\n".utf8))
    chunks.append([UInt8](data))
  }
  lines.append("  static let \(level.name) = \"\(sha256Hex(chunks))\"")
}
lines.append("}")
let text = lines.joined(separator: "\n") + "\n"
// Rewritten only when it changes, so that an unchanged identity does not rebuild Pipeline.
if FileManager.default.contents(atPath: output) != Data(text.utf8) {
  _ = FileManager.default.createFile(atPath: output, contents: Data(text.utf8))
}
