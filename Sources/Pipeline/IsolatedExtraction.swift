import Foundation
import GCMapCore
import PDFText

#if canImport(Glibc)
  import Glibc
#endif

/// What the parent asks a worker: the PDF and the passwords to try.
public struct WorkerRequest: Codable, Sendable {
  public var path: String
  public var passwords: [String]
  /// Address-space limit the worker sets on itself, in bytes (0: none).
  public var memoryLimit: Int

  public init(path: String, passwords: [String], memoryLimit: Int) {
    self.path = path
    self.passwords = passwords
    self.memoryLimit = memoryLimit
  }
}

/// What a worker answers: the raw pages, or why there are none.
public struct WorkerResponse: Codable, Sendable {
  public var pages: [Page]?
  public var pageCount: Int
  public var truncated: Bool
  public var unreadablePages: [Int]
  public var failureCategory: String?
  public var failureReason: String?
}

/// The worker's side: extraction with poppler, in a process of its own.
///
/// Runs in `gcmap worker`, which reads one request from standard input and writes one
/// response to standard output. Whatever poppler does to this process (a crash, an endless
/// loop, a flood of allocations) stays in it: the parent sees a signal, a time-out or an
/// out-of-memory exit, and reports the file.
public enum ExtractionWorker {
  public static func serve(input: FileHandle, output: FileHandle) -> Int32 {
    let data = input.readDataToEndOfFile()
    guard let request = try? JSONDecoder().decode(WorkerRequest.self, from: data) else {
      FileHandle.standardError.write(Data("gcmap worker: unreadable request\n".utf8))
      return 1
    }
    if request.memoryLimit > 0 { limitMemory(request.memoryLimit) }
    let response = extract(request)
    guard let encoded = try? JSONEncoder().encode(response) else { return 1 }
    output.write(encoded)
    return 0
  }

  static func limitMemory(_ bytes: Int) {
    #if canImport(Glibc)
      var limit = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
      _ = setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
    #endif
  }

  /// Tries no password, then each given one.
  static func extract(_ request: WorkerRequest) -> WorkerResponse {
    var lastProblem = PDFProblem.passwordRequired
    for password in [nil] + request.passwords.map(Optional.some) {
      do {
        let file = try PDFFile(path: request.path, password: password)
        let (pages, unreadable) = file.readAllPages()
        return WorkerResponse(
          pages: pages, pageCount: file.pageCount, truncated: file.isTruncated,
          unreadablePages: unreadable,
          failureCategory: nil, failureReason: nil)
      } catch let problem {
        lastProblem = problem
        if problem != .passwordRequired && problem != .wrongPassword { break }
      }
    }
    if lastProblem == .wrongPassword && !request.passwords.isEmpty {
      lastProblem = .wrongPassword
    }
    let failure = ExtractionFailure(path: request.path, problem: lastProblem)
    let reason =
      lastProblem == .wrongPassword
      ? "wrong password: none of the \(request.passwords.count) passwords given opens it"
      : failure.reason
    return WorkerResponse(
      pages: nil, pageCount: 0, truncated: false, unreadablePages: [],
      failureCategory: failure.category,
      failureReason: reason)
  }
}

/// The parent's side: runs a worker per file with a time and a memory limit.
public struct IsolatedExtractor: Sendable {
  /// The gcmap executable to start as the worker.
  public var executable: String
  public var timeLimit: Double
  public var memoryLimit: Int

  public init(executable: String, timeLimit: Double, memoryLimit: Int) {
    self.executable = executable
    self.timeLimit = timeLimit
    self.memoryLimit = memoryLimit
  }

  /// This process's own executable, found through /proc on Linux.
  public static var currentExecutable: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
  }

  /// The raw pages of `path`, or the reason there are none.
  public func extract(path: String, passwords: [String]) throws(ExtractionFailure) -> WorkerResponse
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["worker"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch {
      throw ExtractionFailure(
        path: path, category: "crashed", reason: "the extraction worker could not start: \(error)")
    }
    let request = WorkerRequest(path: path, passwords: passwords, memoryLimit: memoryLimit)
    if let encoded = try? JSONEncoder().encode(request) {
      try? input.fileHandleForWriting.write(contentsOf: encoded)
    }
    try? input.fileHandleForWriting.close()

    // Read the answer on another thread, so that a large one cannot block the worker.
    let answer = OutputBuffer()
    let reader = Thread {
      answer.set(output.fileHandleForReading.readDataToEndOfFile())
    }
    reader.start()
    let deadline = Date().addingTimeInterval(timeLimit)
    var timedOut = false
    while process.isRunning {
      if Date() >= deadline {
        timedOut = true
        kill(process.processIdentifier, SIGKILL)
        break
      }
      usleep(5_000)
    }
    process.waitUntilExit()
    let data = answer.wait()
    if timedOut {
      throw ExtractionFailure(
        path: path, category: "timeout",
        reason:
          "timeout: extraction took longer than \(String(format: "%g", timeLimit)) s and was stopped"
      )
    }
    if process.terminationReason == .uncaughtSignal {
      // A worker past its address-space limit usually dies this way too (a failed allocation
      // aborts), so the reason names both.
      let signal = process.terminationStatus
      throw ExtractionFailure(
        path: path, category: "crashed",
        reason: "crashed: the PDF made the extraction worker fail (signal \(signal)); "
          + "it may be damaged or hostile, or need more than \(memoryLimit / (1 << 20)) MiB")
    }
    guard process.terminationStatus == 0,
      let response = try? JSONDecoder().decode(WorkerResponse.self, from: data)
    else {
      throw ExtractionFailure(
        path: path, category: "crashed",
        reason:
          "crashed: the extraction worker ended with status \(process.terminationStatus) and no answer "
          + "(for instance out of memory past \(memoryLimit / (1 << 20)) MiB)")
    }
    if let category = response.failureCategory {
      throw ExtractionFailure(
        path: path, category: category, reason: response.failureReason ?? category)
    }
    return response
  }
}

/// Bytes a reader thread hands over once it has them all.
private final class OutputBuffer: @unchecked Sendable {
  private let condition = NSCondition()
  private var data: Data?

  func set(_ value: Data) {
    condition.lock()
    data = value
    condition.signal()
    condition.unlock()
  }

  func wait() -> Data {
    condition.lock()
    defer { condition.unlock() }
    while data == nil { condition.wait() }
    return data ?? Data()
  }
}
