import CStemmer
import Foundation

/// A Snowball stemmer for one language ("english", "french", "spanish").
///
/// Matching works on stems so that "smugglers" meets "smuggling of migrants" through "smuggl".
/// libstemmer keeps state per stemmer, so calls are serialized by a lock; stems are cached,
/// since a document repeats its words.
public final class Stemmer: @unchecked Sendable {
  private let stemmer: OpaquePointer
  private var cache: [String: String] = [:]
  private let lock = NSLock()

  /// Why a stemmer could not be made.
  public struct UnknownLanguage: Error, CustomStringConvertible {
    public let algorithm: String
    public var description: String { "no Snowball stemmer for \"\(algorithm)\"" }
  }

  public init(algorithm: String) throws {
    guard let made = sb_stemmer_new(algorithm, "UTF_8") else {
      throw UnknownLanguage(algorithm: algorithm)
    }
    stemmer = made
  }

  deinit {
    sb_stemmer_delete(stemmer)
  }

  /// The stem of a lowercase word.
  public func stem(_ word: String) -> String {
    lock.lock()
    defer { lock.unlock() }
    if let known = cache[word] { return known }
    let bytes = Array(word.utf8)
    let stemmed: String = bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress,
        let result = sb_stemmer_stem(stemmer, base, Int32(buffer.count))
      else { return word }
      let length = Int(sb_stemmer_length(stemmer))
      return String(decoding: UnsafeBufferPointer(start: result, count: length), as: UTF8.self)
    }
    cache[word] = stemmed
    return stemmed
  }
}
