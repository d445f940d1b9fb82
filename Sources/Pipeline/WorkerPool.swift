import CompactCoding
import Foundation
import GCMapCore
import Reports

#if canImport(Glibc)
  import Glibc
#endif

/// Messages between the batch and its workers: a 4-byte big-endian length, then the body
/// (JSON, but for the record of a reply).
///
/// A reply is two frames: the reply without its record, then the record alone in
/// `BinaryCoding` (empty when there is none), so that a worker can send the very bytes it
/// wrote to the cache instead of encoding the record a second time.
///
/// A body is at most `maximumBody` bytes, on both sides: a reader never allocates what a
/// garbled or hostile worker announces (a frame over the limit ends that worker, and its
/// document is a `crashed` problem), and a writer refuses to send more.
enum Frame {
  /// 256 MiB: a record of a thousand-page report is a few megabytes.
  static let maximumBody = 256 << 20

  struct TooLarge: Error, CustomStringConvertible {
    var size: Int
    var description: String {
      "\(size) bytes, over the \(Frame.maximumBody >> 20) MiB a frame may hold"
    }
  }

  static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
    try framed(try JSONEncoder().encode(value))
  }

  /// `body` with its length in front.
  static func framed(_ body: Data) throws -> [UInt8] {
    guard body.count <= maximumBody else { throw TooLarge(size: body.count) }
    let count = UInt32(body.count)
    return [
      UInt8(count >> 24), UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF),
      UInt8(count & 0xFF),
    ] + body
  }

  /// Writes all of `bytes`; false if the other end is gone.
  static func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { buffer in
        Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, bytes.count - offset)
      }
      if written < 0 && errno == EINTR { continue }
      if written <= 0 { return false }
      offset += written
    }
    return true
  }

  enum ReadResult {
    case frame([UInt8])
    case closed
    case timedOut
    /// The frame announced a body over `maximumBody`; it was not read.
    case oversized(Int)
  }

  /// Reads one frame, waiting at most until `deadline` (nil: no limit).
  static func read(from fd: Int32, deadline: ContinuousClock.Instant?) -> ReadResult {
    let header = readExactly(4, from: fd, deadline: deadline)
    guard case .frame(let bytes) = header else { return header }
    let length = bytes.reduce(0) { $0 << 8 | Int($1) }
    guard length <= maximumBody else { return .oversized(length) }
    return readExactly(length, from: fd, deadline: deadline)
  }

  private static func readExactly(_ count: Int, from fd: Int32, deadline: ContinuousClock.Instant?)
    -> ReadResult
  {
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      if let deadline {
        let left = deadline - ContinuousClock.now
        let milliseconds =
          left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
        if left <= .zero { return .timedOut }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(min(milliseconds + 1, Int64(Int32.max))))
        if ready < 0 && errno == EINTR { continue }
        if ready == 0 { return .timedOut }
      }
      let got = bytes.withUnsafeMutableBytes { buffer in
        Glibc.read(fd, buffer.baseAddress.map { $0 + filled }, count - filled)
      }
      if got < 0 && errno == EINTR { continue }
      if got <= 0 { return .closed }
      filled += got
    }
    return .frame(bytes)
  }
}

/// The worker's side: a long-lived process that analyses one document at a time.
///
/// Runs in `gcmap worker`: builds the analysis once, says it is ready, then answers each
/// request read on standard input until it closes. Whatever poppler does to this process (a
/// crash, an endless loop, a flood of allocations) stays in it: the batch sees a signal, a
/// time-out or an out-of-memory exit, reports the file and starts another worker.
public enum AnalysisWorker {
  public static func serve(memoryLimit: Int, analysis makeAnalysis: () throws -> Analysis) -> Int32
  {
    if memoryLimit > 0 { limitMemory(memoryLimit) }
    let analysis: Analysis
    do { analysis = try makeAnalysis() } catch {
      FileHandle.standardError.write(Data("gcmap worker: \(error)\n".utf8))
      return 1
    }
    guard let ready = try? Frame.encode(AnalysisReply()), Frame.write(ready, to: 1) else {
      return 1
    }
    while true {
      let body: [UInt8]
      switch Frame.read(from: 0, deadline: nil) {
      case .frame(let bytes): body = bytes
      case .closed, .timedOut: return 0
      case .oversized(let size):
        FileHandle.standardError.write(Data("gcmap worker: a request of \(size) bytes\n".utf8))
        return 1
      }
      guard let request = try? JSONDecoder().decode(AnalysisRequest.self, from: Data(body)) else {
        FileHandle.standardError.write(Data("gcmap worker: unreadable request\n".utf8))
        return 1
      }
      // Each page read with OCR is told before it is read: the batch extends the document's
      // time limit by the pages to read and shows where it is.
      var reply = analysis.process(request) { progress in
        var frame = AnalysisReply()
        frame.progress = progress
        if let encoded = try? Frame.encode(frame) { _ = Frame.write(encoded, to: 1) }
      }
      var record = reply.encodedRecord ?? Data()
      if record.isEmpty, let value = reply.record {
        guard let encoded = try? BinaryCoding.encode(value) else { return 1 }
        record = encoded
      }
      reply.record = nil
      reply.encodedRecord = nil
      if record.count > Frame.maximumBody {
        reply.failure = .init(
          category: "too-large",
          reason: "too large: its analysis is \(Frame.TooLarge(size: record.count))")
        record = Data()
      }
      guard let header = try? Frame.encode(reply), Frame.write(header, to: 1),
        let recordFrame = try? Frame.framed(record), Frame.write(recordFrame, to: 1)
      else { return 1 }
    }
  }

  static func limitMemory(_ bytes: Int) {
    var limit = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
    _ = setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
  }
}

/// The batch's side: worker processes with a time and a memory limit, one document at a time
/// each, started when first needed and started again after a crash or a time-out.
public final class WorkerPool: Sendable {
  public struct Settings: Sendable {
    /// The gcmap executable to start as the worker.
    public var executable: String
    public var corpus: String
    public var pipeline: String
    /// Seconds one document may take.
    public var timeLimit: Double
    /// Address-space limit of each worker, in bytes.
    public var memoryLimit: Int
    /// When workers read pages with OCR; each page to read adds `secondsPerPage` to the time
    /// limit of its document.
    public var ocr: OCRSettings

    public init(
      executable: String, corpus: String, pipeline: String, timeLimit: Double, memoryLimit: Int,
      ocr: OCRSettings = OCRSettings()
    ) {
      self.ocr = ocr
      self.executable = executable
      self.corpus = corpus
      self.pipeline = pipeline
      self.timeLimit = timeLimit
      self.memoryLimit = memoryLimit
    }
  }

  /// This process's own executable, found through /proc on Linux.
  public static var currentExecutable: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
  }

  /// One running worker and its pipes.
  private struct Running {
    var process: Process
    var input: Int32
    var output: Int32
    var inputHandle: FileHandle
    var outputHandle: FileHandle
  }

  /// One worker's place: the process running there, if any. Each slot has its own lock: a
  /// slot is used by one thread of the batch at a time, but `shutdown` may reach every slot.
  private final class Slot: Sendable {
    private let running = Locked<Running?>(nil)

    /// The running worker, if any.
    var current: Running? { running.withLock { $0 } }

    /// Puts `new` in the slot and returns what was there.
    @discardableResult
    func exchange(_ new: Running?) -> Running? {
      running.withLock { running in
        let old = running
        running = new
        return old
      }
    }
  }

  private let settings: Settings
  /// Never changes after `init`; what each slot holds is behind the slot's lock.
  private let slots: [Slot]

  public init(settings: Settings, size: Int) {
    self.settings = settings
    slots = (0..<max(1, size)).map { _ in Slot() }
    signal(SIGPIPE, SIG_IGN)
  }

  public var size: Int { slots.count }

  deinit { shutdown() }

  /// Analyses one document in worker `slot`; a crash or time-out comes back as a failure.
  /// `progress` hears of each page the worker reads with OCR; the document's time limit
  /// grows by `ocr.secondsPerPage` for each page it has to read. A page that takes longer
  /// than that alone (a drawing that costs minutes to render) stops the worker, and the
  /// document is analysed again without reading that page (at most `slowPageRetries` times).
  public func process(
    _ request: AnalysisRequest, slot: Int, progress: (OCRProgress) -> Void = { _ in }
  ) -> AnalysisReply {
    var request = request
    while true {
      let (reply, slowPage) = attempt(request, slot: slot, progress: progress)
      guard let slowPage, request.skipOCR.count < Self.slowPageRetries else { return reply }
      request.skipOCR.append(slowPage)
    }
  }

  /// Times a document may be started again for a page too slow to read.
  static let slowPageRetries = 3

  /// One try at a document: its reply, or the page whose OCR overran `ocr.secondsPerPage`.
  private func attempt(
    _ request: AnalysisRequest, slot: Int, progress: (OCRProgress) -> Void
  ) -> (AnalysisReply, slowPage: Int?) {
    let running: Running
    switch start(slot) {
    case .success(let started): running = started
    case .failure(let failure):
      var reply = AnalysisReply()
      reply.failure = failure
      return (reply, nil)
    }
    guard let encoded = try? Frame.encode(request), Frame.write(encoded, to: running.input) else {
      return (ended(slot, running, before: true), nil)
    }
    let start = ContinuousClock.now
    var limit = settings.timeLimit
    var deadline = start + .milliseconds(Int64(limit * 1000))
    // The page being read with OCR, and when it must be done.
    var page: (number: Int, deadline: ContinuousClock.Instant)?
    while true {
      switch Frame.read(from: running.output, deadline: min(deadline, page?.deadline ?? deadline)) {
      case .frame(let body):
        guard let reply = try? JSONDecoder().decode(AnalysisReply.self, from: Data(body)) else {
          return (unreadable(slot), nil)
        }
        guard let told = reply.progress else {
          return (
            answer(reply, slot: slot, running: running, deadline: deadline, limit: limit), nil
          )
        }
        if told.page == 0 {
          page = nil
          continue
        }
        if told.index == 1 {
          limit += Double(told.count) * settings.ocr.secondsPerPage
          deadline = start + .milliseconds(Int64(limit * 1000))
        }
        page = (
          told.page,
          ContinuousClock.now + .milliseconds(Int64(settings.ocr.secondsPerPage * 1000))
        )
        progress(told)
      case .timedOut:
        if let page, ContinuousClock.now < deadline {
          stop(slot)
          return (AnalysisReply(), page.number)
        }
        return (timedOut(slot, limit: limit), nil)
      case .closed:
        return (ended(slot, running, before: false), nil)
      case .oversized(let size):
        return (oversized(slot, size), nil)
      }
    }
  }

  /// The record frame that follows a worker's reply.
  private func answer(
    _ reply: AnalysisReply, slot: Int, running: Running, deadline: ContinuousClock.Instant,
    limit: Double
  ) -> AnalysisReply {
    var reply = reply
    switch Frame.read(from: running.output, deadline: deadline) {
    case .frame(let record):
      if record.isEmpty { return reply }
      guard let decoded = try? BinaryCoding.decode(DocumentRecord.self, from: Data(record))
      else { return unreadable(slot) }
      reply.record = decoded
      return reply
    case .timedOut:
      return timedOut(slot, limit: limit)
    case .closed:
      return ended(slot, running, before: false)
    case .oversized(let size):
      return oversized(slot, size)
    }
  }

  /// A worker announced a frame over the limit: it is stopped unread.
  private func oversized(_ slot: Int, _ size: Int) -> AnalysisReply {
    stop(slot)
    var reply = AnalysisReply()
    reply.failure = .init(
      category: "crashed",
      reason: "crashed: the worker announced an answer of \(Frame.TooLarge(size: size))")
    return reply
  }

  private func unreadable(_ slot: Int) -> AnalysisReply {
    stop(slot)
    var reply = AnalysisReply()
    reply.failure = .init(category: "crashed", reason: "crashed: the worker's answer is unreadable")
    return reply
  }

  private func timedOut(_ slot: Int, limit: Double) -> AnalysisReply {
    stop(slot)
    var reply = AnalysisReply()
    reply.failure = .init(
      category: "timeout",
      reason: "timeout: reading and scoring took longer than "
        + "\(String(format: "%g", limit)) s and was stopped"
        + (limit > settings.timeLimit ? " (the time limit with its pages to read by OCR)" : ""))
    return reply
  }

  /// Stops every worker: closing their input ends them; any left is killed.
  public func shutdown() {
    for slot in slots.indices { stop(slot, gracefully: true) }
  }

  private func start(_ slot: Int) -> Result<Running, AnalysisReply.Failure> {
    if let running = slots[slot].current { return .success(running) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: settings.executable)
    process.arguments = [
      "worker", "--corpus", settings.corpus, "--pipeline", settings.pipeline,
      "--memory-limit", "\(settings.memoryLimit)", "--ocr", settings.ocr.mode.rawValue,
    ]
    // tesseract's OpenMP threads would fight the pool's workers (see ProcessSetup).
    var environment = ProcessInfo.processInfo.environment
    environment["OMP_THREAD_LIMIT"] = "1"
    process.environment = environment
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch {
      return .failure(
        .init(category: "crashed", reason: "the analysis worker could not start: \(error)"))
    }
    let running = Running(
      process: process, input: input.fileHandleForWriting.fileDescriptor,
      output: output.fileHandleForReading.fileDescriptor,
      inputHandle: input.fileHandleForWriting, outputHandle: output.fileHandleForReading)
    // The worker says it is ready once its word lists and models are built.
    let deadline = ContinuousClock.now + .seconds(60)
    guard case .frame = Frame.read(from: running.output, deadline: deadline) else {
      slots[slot].exchange(running)
      let reply = ended(slot, running, before: true)
      return .failure(reply.failure ?? .init(category: "crashed", reason: "crashed"))
    }
    slots[slot].exchange(running)
    return .success(running)
  }

  /// The failure of a worker that ended (or stopped answering) without a reply.
  private func ended(_ slot: Int, _ running: Running, before: Bool) -> AnalysisReply {
    stop(slot)
    let process = running.process
    let megabytes = settings.memoryLimit / (1 << 20)
    var reply = AnalysisReply()
    if process.terminationReason == .uncaughtSignal {
      // A worker past its address-space limit usually dies this way too (a failed allocation
      // aborts), so the reason names both.
      reply.failure = .init(
        category: "crashed",
        reason:
          "crashed: the PDF made the analysis worker fail (signal \(process.terminationStatus)); "
          + "it may be damaged or hostile, or need more than \(megabytes) MiB")
    } else {
      reply.failure = .init(
        category: "crashed",
        reason: "crashed: the analysis worker ended with status \(process.terminationStatus) "
          + (before ? "before reading the file " : "and no answer ")
          + "(for instance out of memory past \(megabytes) MiB)")
    }
    return reply
  }

  private func stop(_ slot: Int, gracefully: Bool = false) {
    guard let running = slots[slot].exchange(nil) else { return }
    try? running.inputHandle.close()
    if gracefully {
      let deadline = Date().addingTimeInterval(2)
      while running.process.isRunning && Date() < deadline { usleep(2_000) }
    }
    if running.process.isRunning { kill(running.process.processIdentifier, SIGKILL) }
    running.process.waitUntilExit()
    try? running.outputHandle.close()
  }
}

/// Work spread over threads of its own (Dispatch would cap them at the number of cores).
public enum Parallel {
  /// Runs `work` for each index below `count` on `threads` threads; `thread` tells which one
  /// runs it (0..<threads), so each thread can own a worker. Returns when all are done.
  public static func forEach(
    _ count: Int, threads: Int, _ work: @escaping @Sendable (_ index: Int, _ thread: Int) -> Void
  ) {
    let next = Counter()
    let group = DispatchGroup()
    for thread in 0..<max(1, min(threads, count)) {
      group.enter()
      let runner = Thread {
        while let index = next.take(below: count) { work(index, thread) }
        group.leave()
      }
      runner.stackSize = 8 << 20
      runner.start()
    }
    group.wait()
  }
}

/// A shared count: the next index to take, or how many are done.
final class Counter: Sendable {
  private let value = Locked(0)

  /// The next index below `limit`, or nil when all are taken.
  func take(below limit: Int) -> Int? {
    value.withLock { value in
      guard value < limit else { return nil }
      value += 1
      return value - 1
    }
  }

  /// Adds one and returns the new count.
  func increment() -> Int {
    value.withLock { value in
      value += 1
      return value
    }
  }
}
