import CCrypto

/// SHA-256 (FIPS 180-4) through OpenSSL's libcrypto, to identify documents by their content.
///
/// Every file of a batch is hashed before any is analysed (to find copies and cache entries),
/// and a warm run does little else: libcrypto uses the CPU's SHA instructions where it has
/// them, about ten times the speed of the portable Swift code it replaced. Fed incrementally,
/// so large files need not be held in memory. Noncopyable: it owns a libcrypto context.
public struct SHA256: ~Copyable {
  private let context: OpaquePointer

  public init() {
    // Allocation fails only when memory is exhausted; there is no reasonable way on.
    guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1
    else { fatalError("libcrypto could not set up SHA-256") }
    self.context = context
  }

  deinit {
    EVP_MD_CTX_free(context)
  }

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    EVP_DigestUpdate(context, base, bytes.count)
  }

  public mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// The digest as 64 lowercase hex digits.
  public consuming func finalizeHex() -> String {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    EVP_DigestFinal_ex(context, &digest, &length)
    let hexDigits = Array("0123456789abcdef".utf8)
    var hex: [UInt8] = []
    hex.reserveCapacity(2 * Int(length))
    for byte in digest.prefix(Int(length)) {
      hex.append(hexDigits[Int(byte >> 4)])
      hex.append(hexDigits[Int(byte & 0xF)])
    }
    return String(decoding: hex, as: UTF8.self)
  }

  /// The hex digest of `bytes`.
  public static func hex(_ bytes: [UInt8]) -> String {
    var hasher = SHA256()
    hasher.update(bytes)
    return hasher.finalizeHex()
  }
}
