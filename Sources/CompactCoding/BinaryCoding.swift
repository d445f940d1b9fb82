import Foundation

/// A compact binary form of Codable values, for the cache files and the records workers send.
///
/// Why not JSON: a cold run wrote every document's text and analysis as JSON (for the cache
/// and the reply to the batch) and read each analysis back, and Foundation's JSON coders spent
/// about a second of CPU on it, mostly printing and parsing decimal numbers and escaping text.
/// Here numbers are stored as their bits and text as its UTF-8 bytes, written in one pass.
///
/// Layout: every value starts with a tag byte. Integers are zigzag varints, doubles their
/// 8 bytes (little-endian), strings a varint length and UTF-8. A keyed container is its
/// byte length and entry count (4 bytes each, little-endian, so that a reader can skip it),
/// then per entry the key as a string and the value; an unkeyed container likewise, without
/// keys. Limits: containers are closed when the value that opened them is done, which is how
/// synthesized and ordinary hand-written `Codable` code writes; code that goes back to an
/// outer container while an inner one is still in use is not supported. Not a format for
/// exchange: it changes with the types, and the cache keys carry a version.
///
/// Decoding is safe on any bytes (damaged cache entries, a worker's garbled answer): every
/// count and length is checked against the bytes left before it is used, so that damage is a
/// thrown `DecodingError`, never a trap or an allocation the size of a forged count
/// (`scripts/fuzz decoder` drives it with libFuzzer).
public enum BinaryCoding {
  public static func encode<Value: Encodable>(_ value: Value) throws -> Data {
    let writer = Writer()
    try writer.encodeValue(value)
    writer.close(downTo: 0)
    guard !writer.overflowed else {
      throw EncodingError.invalidValue(
        value, .init(codingPath: [], debugDescription: "a container over 4 GiB"))
    }
    return Data(writer.bytes)
  }

  public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
    try data.withUnsafeBytes { raw in
      let reader = Reader(raw.bindMemory(to: UInt8.self))
      var position = 0
      let value = try reader.decodeValue(type, at: &position)
      guard position == reader.bytes.count else { throw Reader.corrupt("trailing bytes") }
      return value
    }
  }

  fileprivate enum Tag: UInt8 {
    case null = 0, no, yes, integer, unsigned, double, string, keyed, unkeyed
  }
}

// MARK: Writing

extension BinaryCoding {
  /// The bytes written so far and the containers still open, innermost last.
  fileprivate final class Writer: Encoder {
    var bytes: [UInt8] = []
    /// Set when a container was longer than its 4-byte length can say.
    var overflowed = false
    /// Open containers: where their header starts and how many entries they have.
    private var open: [(start: Int, count: UInt32)] = []
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() { bytes.reserveCapacity(1 << 16) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
      KeyedEncodingContainer(KeyedWriter<Key>(writer: self, depth: begin(.keyed)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
      UnkeyedWriter(writer: self, depth: begin(.unkeyed))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
      SingleValueWriter(writer: self)
    }

    /// Writes a container header with room for its length and count; returns its depth.
    func begin(_ tag: Tag) -> Int {
      open.append((bytes.count, 0))
      bytes.append(tag.rawValue)
      bytes.append(contentsOf: repeatElement(0, count: 8))
      return open.count
    }

    /// Closes the containers deeper than `depth`, filling in their length and count.
    func close(downTo depth: Int) {
      while open.count > depth {
        let (start, count) = open.removeLast()
        guard let length = UInt32(exactly: bytes.count - start) else {
          overflowed = true
          continue
        }
        store(length, at: start + 1)
        store(count, at: start + 5)
      }
    }

    /// Counts one more entry in the container at `depth`, closing any deeper one first.
    func entry(in depth: Int) {
      close(downTo: depth)
      open[depth - 1].count += 1
    }

    private func store(_ value: UInt32, at offset: Int) {
      for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    func writeTag(_ tag: Tag) { bytes.append(tag.rawValue) }

    /// An unkeyed container of `items`, each written by `write`.
    func writeList<Item>(_ items: [Item], _ write: (Item) -> Void) {
      let depth = open.count
      _ = begin(.unkeyed)
      open[depth].count = UInt32(truncatingIfNeeded: items.count)
      for item in items { write(item) }
      close(downTo: depth)
    }

    func writeVarint(_ value: UInt64) {
      var value = value
      while value >= 0x80 {
        bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
        value >>= 7
      }
      bytes.append(UInt8(value))
    }

    func writeString(_ text: String) {
      writeTag(.string)
      var text = text
      text.withUTF8 { utf8 in
        writeVarint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
      }
    }

    func writeKey(_ key: some CodingKey) {
      var name = key.stringValue
      name.withUTF8 { utf8 in
        writeVarint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
      }
    }

    func writeInteger(_ value: Int64) {
      writeTag(.integer)
      writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    func writeUnsigned(_ value: UInt64) {
      writeTag(.unsigned)
      writeVarint(value)
    }

    func writeDouble(_ value: Double) {
      writeTag(.double)
      let bits = value.bitPattern
      for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(index)))) }
    }

    /// Writes one value: a primitive directly, anything else through its `encode(to:)`, whose
    /// containers are closed when it returns. A value that writes nothing is an empty keyed
    /// container.
    func encodeValue<Value: Encodable>(_ value: Value) throws {
      // Lists of strings and numbers directly (the same bytes as through their `encode(to:)`):
      // a report spool or a record holds many, and the generic path costs a type look-up per
      // element.
      if Value.self == [String].self, let texts = value as? [String] {
        return writeList(texts) { writeString($0) }
      }
      if Value.self == [Int].self, let numbers = value as? [Int] {
        return writeList(numbers) { writeInteger(Int64($0)) }
      }
      if Value.self == [Double].self, let numbers = value as? [Double] {
        return writeList(numbers) { writeDouble($0) }
      }
      switch value {
      case let text as String: writeString(text)
      case let number as Int: writeInteger(Int64(number))
      case let number as Double: writeDouble(number)
      case let flag as Bool: writeTag(flag ? .yes : .no)
      default:
        let depth = open.count
        let start = bytes.count
        try value.encode(to: self)
        close(downTo: depth)
        if bytes.count == start {
          _ = begin(.keyed)
          close(downTo: depth)
        }
      }
    }
  }

  /// Other integer and float types come through the generic `encode`, as single values.
  private struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: Writer
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    private func start(_ key: Key) {
      writer.entry(in: depth)
      writer.writeKey(key)
    }

    mutating func encodeNil(forKey key: Key) throws {
      start(key)
      writer.writeTag(.null)
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
      start(key)
      writer.writeTag(value ? .yes : .no)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
      start(key)
      writer.writeString(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
      start(key)
      writer.writeDouble(value)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
      start(key)
      writer.writeInteger(Int64(value))
    }
    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
      start(key)
      try writer.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
      start(key)
      return KeyedEncodingContainer(
        KeyedWriter<NestedKey>(writer: writer, depth: writer.begin(.keyed)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
      start(key)
      return UnkeyedWriter(writer: writer, depth: writer.begin(.unkeyed))
    }

    mutating func superEncoder() -> any Encoder {
      writer.entry(in: depth)
      writer.writeKey(SuperKey())
      return writer
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
      start(key)
      return writer
    }
  }

  /// The key `superEncoder()` files its value under, as Foundation's coders do.
  private struct SuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
  }

  private struct UnkeyedWriter: UnkeyedEncodingContainer {
    let writer: Writer
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    private(set) var count = 0

    init(writer: Writer, depth: Int) {
      self.writer = writer
      self.depth = depth
    }

    private mutating func start() {
      writer.entry(in: depth)
      count += 1
    }

    mutating func encodeNil() throws {
      start()
      writer.writeTag(.null)
    }
    mutating func encode(_ value: Bool) throws {
      start()
      writer.writeTag(value ? .yes : .no)
    }
    mutating func encode(_ value: String) throws {
      start()
      writer.writeString(value)
    }
    mutating func encode(_ value: Double) throws {
      start()
      writer.writeDouble(value)
    }
    mutating func encode(_ value: Int) throws {
      start()
      writer.writeInteger(Int64(value))
    }
    mutating func encode<Value: Encodable>(_ value: Value) throws {
      start()
      try writer.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
      -> KeyedEncodingContainer<NestedKey>
    {
      start()
      return KeyedEncodingContainer(
        KeyedWriter<NestedKey>(writer: writer, depth: writer.begin(.keyed)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
      start()
      return UnkeyedWriter(writer: writer, depth: writer.begin(.unkeyed))
    }

    mutating func superEncoder() -> any Encoder {
      start()
      return writer
    }
  }

  private struct SingleValueWriter: SingleValueEncodingContainer {
    let writer: Writer
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { writer.writeTag(.null) }
    mutating func encode(_ value: Bool) throws { writer.writeTag(value ? .yes : .no) }
    mutating func encode(_ value: String) throws { writer.writeString(value) }
    mutating func encode(_ value: Double) throws { writer.writeDouble(value) }
    mutating func encode(_ value: Float) throws { writer.writeDouble(Double(value)) }
    mutating func encode(_ value: Int) throws { writer.writeInteger(Int64(value)) }
    mutating func encode(_ value: Int8) throws { writer.writeInteger(Int64(value)) }
    mutating func encode(_ value: Int16) throws { writer.writeInteger(Int64(value)) }
    mutating func encode(_ value: Int32) throws { writer.writeInteger(Int64(value)) }
    mutating func encode(_ value: Int64) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { writer.writeUnsigned(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { writer.writeUnsigned(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { writer.writeUnsigned(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { writer.writeUnsigned(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { writer.writeUnsigned(value) }
    mutating func encode<Value: Encodable>(_ value: Value) throws { try writer.encodeValue(value) }
  }
}

// MARK: Reading

extension BinaryCoding {
  /// Reads values out of the bytes; positions are offsets into them. Valid only while the
  /// bytes it was made with are.
  fileprivate final class Reader {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func corrupt(_ reason: String) -> DecodingError {
      DecodingError.dataCorrupted(
        .init(codingPath: [], debugDescription: "damaged binary value: \(reason)"))
    }

    func tag(at position: Int) throws -> Tag {
      guard position < bytes.count, let tag = Tag(rawValue: bytes[position]) else {
        throw Self.corrupt("bad tag at \(position)")
      }
      return tag
    }

    func varint(at position: inout Int) throws -> UInt64 {
      var value: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        guard position < bytes.count, shift < 64 else { throw Self.corrupt("bad number") }
        let byte = bytes[position]
        position += 1
        value |= UInt64(byte & 0x7F) << shift
        if byte < 0x80 { return value }
        shift += 7
      }
    }

    func uint32(at position: Int) throws -> Int {
      guard position + 4 <= bytes.count else { throw Self.corrupt("cut short") }
      var value = 0
      for index in 0..<4 { value |= Int(bytes[position + index]) << (8 * index) }
      return value
    }

    /// A length-prefixed run of bytes at `position`, which moves past it.
    func run(at position: inout Int) throws -> Range<Int> {
      guard let length = Int(exactly: try varint(at: &position)),
        length <= bytes.count - position
      else { throw Self.corrupt("cut short") }
      defer { position += length }
      return position..<(position + length)
    }

    func string(at position: inout Int) throws -> String {
      guard try tag(at: position) == .string else { throw mismatch(String.self, position) }
      position += 1
      let range = try run(at: &position)
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    func integer(at position: inout Int) throws -> Int64 {
      switch try tag(at: position) {
      case .integer:
        position += 1
        let zigzag = try varint(at: &position)
        return Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
      case .unsigned:
        position += 1
        let value = try varint(at: &position)
        guard value <= UInt64(Int64.max) else { throw mismatch(Int64.self, position) }
        return Int64(value)
      default:
        throw mismatch(Int64.self, position)
      }
    }

    func unsigned(at position: inout Int) throws -> UInt64 {
      switch try tag(at: position) {
      case .unsigned:
        position += 1
        return try varint(at: &position)
      case .integer:
        let value = try integer(at: &position)
        guard value >= 0 else { throw mismatch(UInt64.self, position) }
        return UInt64(value)
      default:
        throw mismatch(UInt64.self, position)
      }
    }

    func double(at position: inout Int) throws -> Double {
      guard try tag(at: position) == .double else { throw mismatch(Double.self, position) }
      guard position + 9 <= bytes.count else { throw Self.corrupt("cut short") }
      var bits: UInt64 = 0
      for index in 0..<8 { bits |= UInt64(bytes[position + 1 + index]) << (8 * UInt64(index)) }
      position += 9
      return Double(bitPattern: bits)
    }

    func bool(at position: inout Int) throws -> Bool {
      switch try tag(at: position) {
      case .yes:
        position += 1
        return true
      case .no:
        position += 1
        return false
      default: throw mismatch(Bool.self, position)
      }
    }

    func narrow<Number: FixedWidthInteger>(_ value: some BinaryInteger, at position: Int) throws
      -> Number
    {
      guard let narrowed = Number(exactly: value) else { throw mismatch(Number.self, position) }
      return narrowed
    }

    /// The position just past the value at `position`.
    func skip(at position: Int) throws -> Int {
      var next = position
      switch try tag(at: position) {
      case .null, .no, .yes: return position + 1
      case .integer, .unsigned:
        next += 1
        _ = try varint(at: &next)
        return next
      case .double:
        guard position + 9 <= bytes.count else { throw Self.corrupt("cut short") }
        return position + 9
      case .string:
        next += 1
        _ = try run(at: &next)
        return next
      case .keyed, .unkeyed:
        let length = try uint32(at: position + 1)
        guard length >= 9, length <= bytes.count - position else { throw Self.corrupt("cut short") }
        return position + length
      }
    }

    func mismatch(_ type: Any.Type, _ position: Int) -> DecodingError {
      DecodingError.typeMismatch(
        type, .init(codingPath: [], debugDescription: "not a \(type) at byte \(position)"))
    }

    /// The container at `position`: where its first entry starts, where it ends, and how many
    /// entries it says it has, checked against its bytes at `minimumEntry` bytes an entry (a
    /// forged count is an error, never an allocation of its size).
    func container(at position: Int, minimumEntry: Int) throws -> (
      first: Int, end: Int, count: Int
    ) {
      let end = try skip(at: position)
      let count = try uint32(at: position + 5)
      guard count <= (end - position - 9) / minimumEntry else { throw Self.corrupt("entry count") }
      return (position + 9, end, count)
    }

    /// The list of values at `position` (an unkeyed container), each read by `element`;
    /// `position` moves past it.
    func list<Item>(at position: inout Int, _ element: (inout Int) throws -> Item) throws -> [Item]
    {
      guard try tag(at: position) == .unkeyed else { throw mismatch([Item].self, position) }
      let (first, end, count) = try container(at: position, minimumEntry: 1)
      var items: [Item] = []
      items.reserveCapacity(count)
      var cursor = first
      for _ in 0..<count {
        guard cursor < end else { throw Self.corrupt("read past the last element") }
        items.append(try element(&cursor))
      }
      guard cursor == end else { throw Self.corrupt("container length") }
      position = end
      return items
    }

    /// Decodes the value at `position`, which moves past it.
    func decodeValue<Value: Decodable>(_ type: Value.Type, at position: inout Int) throws -> Value {
      // Lists of strings and numbers directly, as `encodeValue` writes them.
      if type == [String].self,
        let texts = try list(at: &position, { try string(at: &$0) }) as? Value
      {
        return texts
      }
      if type == [Int].self {
        let numbers: [Int] = try list(at: &position) { try narrow(try integer(at: &$0), at: $0) }
        if let numbers = numbers as? Value { return numbers }
      }
      if type == [Double].self,
        let numbers = try list(at: &position, { try double(at: &$0) }) as? Value
      {
        return numbers
      }
      // The common primitives directly; the casts cannot fail, the types being equal.
      if type == String.self, let text = try string(at: &position) as? Value { return text }
      if type == Int.self {
        let number: Int = try narrow(try integer(at: &position), at: position)
        if let number = number as? Value { return number }
      }
      if type == Double.self, let number = try double(at: &position) as? Value { return number }
      if type == Bool.self, let flag = try bool(at: &position) as? Value { return flag }
      let end = try skip(at: position)
      let value = try Value(from: ValueDecoder(reader: self, position: position))
      position = end
      return value
    }
  }

  /// The decoder of the one value at `position`.
  private struct ValueDecoder: Decoder {
    let reader: Reader
    let position: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
      guard try reader.tag(at: position) == .keyed else {
        throw reader.mismatch([String: Any].self, position)
      }
      return KeyedDecodingContainer(try KeyedReader<Key>(reader: reader, position: position))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
      guard try reader.tag(at: position) == .unkeyed else {
        throw reader.mismatch([Any].self, position)
      }
      return try UnkeyedReader(reader: reader, position: position)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
      SingleValueReader(reader: reader, position: position)
    }
  }

  /// Other integer and float types come through the generic `decode`, as single values.
  private struct KeyedReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: Reader
    /// Each entry's key (as a range of the bytes) and where its value starts.
    private let entries: [(key: Range<Int>, value: Int)]
    var codingPath: [any CodingKey] { [] }

    init(reader: Reader, position: Int) throws {
      self.reader = reader
      // An entry takes at least two bytes (its key's length and its value's tag).
      let (first, end, count) = try reader.container(at: position, minimumEntry: 2)
      var entries: [(key: Range<Int>, value: Int)] = []
      entries.reserveCapacity(count)
      var cursor = first
      for _ in 0..<count {
        let key = try reader.run(at: &cursor)
        entries.append((key, cursor))
        cursor = try reader.skip(at: cursor)
      }
      guard cursor == end else { throw Reader.corrupt("container length") }
      self.entries = entries
    }

    var allKeys: [Key] {
      entries.compactMap { entry in
        Key(
          stringValue: String(
            decoding: UnsafeBufferPointer(rebasing: reader.bytes[entry.key]), as: UTF8.self))
      }
    }

    /// Where the value of `key` starts, if the container has it.
    private func find(_ key: Key) -> Int? {
      var name = key.stringValue
      return name.withUTF8 { utf8 in
        entries.first { entry in
          entry.key.count == utf8.count
            && UnsafeBufferPointer(rebasing: reader.bytes[entry.key]).elementsEqual(utf8)
        }?.value
      }
    }

    private func position(of key: Key) throws -> Int {
      guard let position = find(key) else {
        throw DecodingError.keyNotFound(
          key, .init(codingPath: [], debugDescription: "no value for \(key.stringValue)"))
      }
      return position
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
      try reader.tag(at: try position(of: key)) == .null
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
      var position = try position(of: key)
      return try reader.bool(at: &position)
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
      var position = try position(of: key)
      return try reader.string(at: &position)
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
      var position = try position(of: key)
      return try reader.double(at: &position)
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
      var position = try position(of: key)
      return try reader.narrow(try reader.integer(at: &position), at: position)
    }
    func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
      var position = try position(of: key)
      return try reader.decodeValue(type, at: &position)
    }

    func nestedContainer<NestedKey: CodingKey>(
      keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
      try ValueDecoder(reader: reader, position: try position(of: key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
      try ValueDecoder(reader: reader, position: try position(of: key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
      guard let key = Key(stringValue: "super") else { throw Reader.corrupt("no super key") }
      return try superDecoder(forKey: key)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
      ValueDecoder(reader: reader, position: try position(of: key))
    }
  }

  private struct UnkeyedReader: UnkeyedDecodingContainer {
    let reader: Reader
    private var position: Int
    private let end: Int
    let count: Int?
    private(set) var currentIndex = 0
    var codingPath: [any CodingKey] { [] }
    var isAtEnd: Bool { currentIndex >= (count ?? 0) }

    init(reader: Reader, position: Int) throws {
      self.reader = reader
      // An element takes at least one byte (its tag).
      (self.position, end, count) = try reader.container(at: position, minimumEntry: 1)
    }

    private func checkNotAtEnd() throws {
      guard !isAtEnd, position < end else { throw Reader.corrupt("read past the last element") }
    }

    private mutating func read<Value>(_ body: (Reader, inout Int) throws -> Value) throws -> Value {
      try checkNotAtEnd()
      var next = position
      let value = try body(reader, &next)
      position = next
      currentIndex += 1
      return value
    }

    mutating func decodeNil() throws -> Bool {
      try checkNotAtEnd()
      guard try reader.tag(at: position) == .null else { return false }
      position += 1
      currentIndex += 1
      return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
      try read { reader, position in try reader.bool(at: &position) }
    }
    mutating func decode(_ type: String.Type) throws -> String {
      try read { reader, position in try reader.string(at: &position) }
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
      try read { reader, position in try reader.double(at: &position) }
    }
    mutating func decode(_ type: Int.Type) throws -> Int {
      try read { reader, position in
        try reader.narrow(try reader.integer(at: &position), at: position)
      }
    }
    mutating func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
      try read { reader, position in try reader.decodeValue(type, at: &position) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      try read { reader, position in
        let container = try ValueDecoder(reader: reader, position: position).container(
          keyedBy: type)
        position = try reader.skip(at: position)
        return container
      }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
      try read { reader, position in
        let container = try ValueDecoder(reader: reader, position: position).unkeyedContainer()
        position = try reader.skip(at: position)
        return container
      }
    }

    mutating func superDecoder() throws -> any Decoder {
      try read { reader, position in
        let decoder = ValueDecoder(reader: reader, position: position)
        position = try reader.skip(at: position)
        return decoder
      }
    }
  }

  private struct SingleValueReader: SingleValueDecodingContainer {
    let reader: Reader
    let position: Int
    var codingPath: [any CodingKey] { [] }

    private func read<Value>(_ body: (inout Int) throws -> Value) throws -> Value {
      var position = position
      return try body(&position)
    }

    func decodeNil() -> Bool { (try? reader.tag(at: position)) == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try read { try reader.bool(at: &$0) } }
    func decode(_ type: String.Type) throws -> String { try read { try reader.string(at: &$0) } }
    func decode(_ type: Double.Type) throws -> Double { try read { try reader.double(at: &$0) } }
    func decode(_ type: Float.Type) throws -> Float {
      Float(try read { try reader.double(at: &$0) })
    }
    /// Signed and unsigned integers of every width, checked to fit.
    private func signed<Number: FixedWidthInteger>() throws -> Number {
      try read { position in try reader.narrow(try reader.integer(at: &position), at: position) }
    }
    private func unsigned<Number: FixedWidthInteger>() throws -> Number {
      try read { position in try reader.narrow(try reader.unsigned(at: &position), at: position) }
    }
    func decode(_ type: Int.Type) throws -> Int { try signed() }
    func decode(_ type: Int8.Type) throws -> Int8 { try signed() }
    func decode(_ type: Int16.Type) throws -> Int16 { try signed() }
    func decode(_ type: Int32.Type) throws -> Int32 { try signed() }
    func decode(_ type: Int64.Type) throws -> Int64 { try signed() }
    func decode(_ type: UInt.Type) throws -> UInt { try unsigned() }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try unsigned() }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try unsigned() }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try unsigned() }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try unsigned() }
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
      try read { try reader.decodeValue(type, at: &$0) }
    }
  }
}
