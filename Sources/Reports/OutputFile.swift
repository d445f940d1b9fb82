import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An output file written through a buffer to a temporary name beside its target, then
/// renamed into place by `commit`.
///
/// Why: the large outputs (passages.csv, the workbook) are written row by row, so that writing
/// them takes memory that does not grow with the batch. rename(2) replaces the old file in one
/// step: a reader, or a run killed at any moment, sees the old file or the new one, never none
/// or half of one (Foundation's replaceItemAt removes the old file first on Linux). Bytes
/// already written can be patched in place (ZIP headers carry sizes known only afterwards).
/// A write error is kept and thrown by `commit`; a sink never committed is removed.
final class OutputFile {
  let url: URL
  private let temporary: URL
  private var descriptor: Int32
  private var buffer: [UInt8] = []
  /// Bytes written so far, buffered ones included: the offset of the next byte.
  private(set) var position: UInt64 = 0
  private var failure: String?
  private static let bufferSize = 1 << 16

  init(_ url: URL) throws {
    self.url = url
    temporary = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
    descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw Self.error(url, String(cString: strerror(errno))) }
    buffer.reserveCapacity(Self.bufferSize)
  }

  deinit {
    discard()
  }

  func write(_ text: String) {
    var text = text
    text.withUTF8 { write($0) }
  }

  func write(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { write($0) }
  }

  func write(_ bytes: UnsafeBufferPointer<UInt8>) {
    position += UInt64(bytes.count)
    if buffer.count + bytes.count > Self.bufferSize { flush() }
    if bytes.count >= Self.bufferSize {
      writeOut(bytes, at: nil)
    } else {
      buffer.append(contentsOf: bytes)
    }
  }

  /// Overwrites bytes written before, at `offset`.
  func patch(_ bytes: [UInt8], at offset: UInt64) {
    flush()
    bytes.withUnsafeBufferPointer { writeOut($0, at: offset) }
  }

  /// Writes what is buffered, closes the file and renames it into place.
  func commit() throws {
    flush()
    if let failure {
      discard()
      throw Self.error(url, failure)
    }
    close(descriptor)
    descriptor = -1
    RenamePause.wait()
    guard rename(temporary.path, url.path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary.path)
      throw Self.error(url, reason)
    }
  }

  /// Closes and removes the temporary file, if it is still open.
  func discard() {
    guard descriptor >= 0 else { return }
    close(descriptor)
    descriptor = -1
    unlink(temporary.path)
  }

  private func flush() {
    guard !buffer.isEmpty else { return }
    buffer.withUnsafeBufferPointer { writeOut($0, at: nil) }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes all of `bytes` at the end of the file, or at `offset`; remembers the first error.
  private func writeOut(_ bytes: UnsafeBufferPointer<UInt8>, at offset: UInt64?) {
    guard failure == nil, descriptor >= 0 else { return }
    failure = writeFully(descriptor, bytes, at: offset)
  }

  private static func error(_ url: URL, _ reason: String) -> CocoaError {
    CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, "reason": reason])
  }
}

/// A pause before the first output is renamed into place, for the test that kills a run there
/// (`RobustnessTests.killed`): with `GCMAP_PAUSE_BEFORE_RENAME` set to a path, the first
/// commit creates that file and waits (at most a minute, then goes on), so the test knows the
/// run has written its new outputs beside the old ones and replaced none. Unset, it costs one
/// look at the environment per run.
enum RenamePause {
  private static let pause: Void = {
    guard let marker = ProcessInfo.processInfo.environment["GCMAP_PAUSE_BEFORE_RENAME"],
      !marker.isEmpty
    else { return }
    FileManager.default.createFile(atPath: marker, contents: Data())
    Thread.sleep(forTimeInterval: 60)
  }()

  /// Pauses the first caller when asked to; any other caller waits for it (a lazy global is
  /// made once, under a lock).
  static func wait() { pause }
}

/// Writes all of `bytes` to `descriptor`, at `offset` or at its current position, again after
/// a signal or a partial write. Returns the system's reason if it fails, else nil.
func writeFully(_ descriptor: Int32, _ bytes: UnsafeBufferPointer<UInt8>, at offset: UInt64?)
  -> String?
{
  guard let base = bytes.baseAddress else { return nil }
  var done = 0
  while done < bytes.count {
    let written =
      offset.map { pwrite(descriptor, base + done, bytes.count - done, off_t($0) + off_t(done)) }
      ?? Glibc.write(descriptor, base + done, bytes.count - done)
    if written < 0 {
      if errno == EINTR { continue }
      return String(cString: strerror(errno))
    }
    done += written
  }
  return nil
}
