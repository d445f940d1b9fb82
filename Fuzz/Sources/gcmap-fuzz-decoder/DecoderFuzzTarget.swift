import CompactCoding
import Foundation
import GCMapCore

/// One fuzz input: any bytes, decoded with `BinaryCoding` as the values gcmap stores in its
/// cache and receives from workers (a document's record, passages, plain collections). Damage
/// must be a thrown error, never a trap, a hang or an allocation the size of a forged count
/// (libFuzzer's -rss_limit_mb and -malloc_limit_mb catch those). The invariant checked: a
/// value that decodes encodes to bytes that decode again to the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(bytes: data, count: size)
  roundTrip(DocumentRecord.self, bytes)
  roundTrip([Passage].self, bytes)
  roundTrip([String: [Int]].self, bytes)
  roundTrip([Double?].self, bytes)
  return 0
}

/// Decodes `bytes` as `type`; if that works, checks that its encoding is stable.
func roundTrip<Value: Codable>(_ type: Value.Type, _ bytes: Data) {
  guard let value = try? BinaryCoding.decode(type, from: bytes) else { return }
  guard let encoded = try? BinaryCoding.encode(value),
    let again = try? BinaryCoding.decode(type, from: encoded),
    let reencoded = try? BinaryCoding.encode(again), reencoded == encoded
  else {
    fatalError("\(type): a decoded value does not come back from its own encoding")
  }
}
