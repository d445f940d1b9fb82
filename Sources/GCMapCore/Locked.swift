import Foundation

/// A value guarded by a lock: `withLock` gives one thread at a time inout access to it.
///
/// Why not `Synchronization.Mutex`: on Linux it waits on a futex the thread sanitizer cannot
/// see, so two threads that take it in turn are reported as a data race (the report spool's
/// segments, under `scripts/test`'s sanitized run, now and then). `NSLock` is a pthread mutex,
/// which the sanitizer follows. The class is `@unchecked Sendable` because the lock, not the
/// compiler, keeps the value to one thread: every access goes through `withLock`.
public final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  public init(_ value: Value) {
    self.value = value
  }

  /// Runs `body` with the value while holding the lock.
  public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}
