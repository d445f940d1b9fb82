import Foundation

/// Where things are when tests run from the repository.
public enum Repository {
  /// The repository root, found from this file's path.
  public static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  public static var corpus: URL { root.appendingPathComponent("Corpus") }

  /// A file under `Tests/Fixtures`.
  public static func fixture(_ name: String) -> URL {
    root.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
  }
}

/// Runs `scripts/make-fixtures` (with `option`, if any) into `folder` under the repository;
/// every test that needs its files stops there if it fails.
func makeFixtures(into folder: String, _ option: String? = nil) -> URL {
  let url = Repository.root.appendingPathComponent(folder)
  let status = run(
    "/usr/bin/env",
    ["python3", Repository.root.appendingPathComponent("scripts/make-fixtures").path]
      + [option, url.path].compactMap { $0 })
  precondition(
    status.code == 0,
    "scripts/make-fixtures \(option ?? "") failed: \(status.error)")
  return url
}

/// The PDFs written by `scripts/make-fixtures`, generated once per test run.
public enum GeneratedFixtures {
  /// The folder holding them; generating them is a precondition of every PDF test.
  public static let directory = makeFixtures(into: ".build/test-fixtures")

  public static func path(_ name: String) -> String {
    directory.appendingPathComponent(name).path
  }
}

/// The labelled mock national reviews written by `scripts/make-fixtures --reviews` (English,
/// French and Spanish PDFs and their passages.csv), generated once per test run.
public enum MockReviews {
  public static let directory = makeFixtures(into: ".build/test-mock-reviews", "--reviews")
}

/// Review pages in Arabic, Russian and Chinese printed to PDF by Chromium (`scripts/make-fixtures
/// --un-languages`), from Tests/Fixtures/un-languages/*.html, generated once per test run.
public enum UNLanguagePages {
  public static let directory = makeFixtures(into: ".build/test-un-languages", "--un-languages")

  /// The PDF made from `name`.html.
  public static func pdf(_ name: String) -> String {
    directory.appendingPathComponent(name + ".pdf").path
  }

  /// The HTML source of `name`.pdf.
  public static func html(_ name: String) throws -> String {
    try String(
      contentsOf: Repository.root.appendingPathComponent(
        "Tests/Fixtures/un-languages/\(name).html"), encoding: .utf8)
  }
}

/// What a child process printed and how it ended.
public struct ProcessOutput: Sendable {
  public var code: Int32
  public var output: String
  public var error: String
}

/// Runs a program to completion and collects its output.
public func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil)
  -> ProcessOutput
{
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  if let environment { process.environment = environment }
  let outPipe = Pipe()
  let errPipe = Pipe()
  process.standardOutput = outPipe
  process.standardError = errPipe
  do { try process.run() } catch {
    return ProcessOutput(code: -1, output: "", error: "\(error)")
  }
  // Read both pipes before waiting, so a large output cannot block the child.
  let errorData = LockedData()
  let errorReader = Thread { errorData.value = errPipe.fileHandleForReading.readDataToEndOfFile() }
  errorReader.start()
  let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  while !errorData.isSet { usleep(1000) }
  return ProcessOutput(
    code: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
    error: String(decoding: errorData.value ?? Data(), as: UTF8.self))
}

private final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Data?
  var value: Data? {
    get { lock.withLock { stored } }
    set { lock.withLock { stored = newValue } }
  }
  var isSet: Bool { value != nil }
}

/// Folders and files tests write, all under one folder per test process that is removed when
/// the process exits (and, should it be killed, by the next test run).
public enum Scratch {
  /// `$TMPDIR/gcmap-tests-PID`, made on first use.
  public static let root: URL = {
    let base = FileManager.default.temporaryDirectory
    // Left by a test process that did not exit normally: its process is gone.
    for name in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
    where name.hasPrefix("gcmap-tests-") {
      if let pid = Int32(name.dropFirst("gcmap-tests-".count)), kill(pid, 0) != 0 {
        try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
      }
    }
    let root = base.appendingPathComponent("gcmap-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: Scratch.root) }
    return root
  }()

  /// A new path under the root, named `prefix-UUID` (not created).
  public static func path(_ prefix: String) -> URL {
    root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
  }
}
