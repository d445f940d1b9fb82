import Foundation
import GCMapCore

/// Runs independent tasks at the same time and rethrows the first error in task order.
///
/// Why: the report files are independent and each is written piece by piece, so writing them
/// side by side shortens the end of a run without holding more than one piece per file.
public enum Concurrently {
  public static func run(_ tasks: [@Sendable () throws -> Void]) throws {
    let errors = ErrorSlots(count: tasks.count)
    DispatchQueue.concurrentPerform(iterations: tasks.count) { index in
      do { try tasks[index]() } catch { errors.set(index, error) }
    }
    if let error = errors.first { throw error }
  }
}

/// The error of each task, if any.
private final class ErrorSlots: Sendable {
  private let errors: Locked<[(any Error)?]>

  init(count: Int) {
    errors = Locked(Array(repeating: nil, count: count))
  }

  func set(_ index: Int, _ error: any Error) {
    errors.withLock { $0[index] = error }
  }

  var first: (any Error)? {
    errors.withLock { $0.lazy.compactMap { $0 }.first }
  }
}
