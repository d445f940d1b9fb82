import Foundation
import GCMapCore

/// A CSV file read into rows of named fields (RFC 4180: quoted fields may hold commas, quotes
/// and line breaks). Lines starting with "#" before the header are comments.
public struct CSVTable: Sendable {
  public var header: [String]
  public var rows: [[String: String]]
  /// 1-based line number of each row, for error messages.
  public var lines: [Int]

  public static func load(_ url: URL) throws -> CSVTable {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw ConfigurationError(
        file: url.path, line: nil, message: "cannot read the file as UTF-8 text")
    }
    return try parse(text, file: url.path)
  }

  public static func parse(_ text: String, file: String) throws -> CSVTable {
    var records: [(line: Int, fields: [String])] = []
    var fields: [String] = []
    var field = ""
    var quoted = false
    var line = 1
    var recordLine = 1
    var atRecordStart = true
    var skippingComment = false
    let characters = Array(text.unicodeScalars)
    var index = 0
    func endRecord() {
      fields.append(field)
      if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
      fields = []
      field = ""
      atRecordStart = true
    }
    while index < characters.count {
      let character = characters[index]
      if skippingComment {
        if character == "\n" {
          skippingComment = false
          line += 1
          atRecordStart = true
        }
        index += 1
        continue
      }
      if atRecordStart {
        recordLine = line
        atRecordStart = false
        if character == "#" && records.isEmpty && fields.isEmpty {
          skippingComment = true
          index += 1
          continue
        }
      }
      if quoted {
        if character == "\"" {
          if index + 1 < characters.count && characters[index + 1] == "\"" {
            field.unicodeScalars.append("\"")
            index += 1
          } else {
            quoted = false
          }
        } else {
          if character == "\n" { line += 1 }
          field.unicodeScalars.append(character)
        }
      } else if character == "\"" && field.isEmpty {
        quoted = true
      } else if character == "," {
        fields.append(field)
        field = ""
      } else if character == "\n" {
        endRecord()
        line += 1
      } else if character != "\r" {
        field.unicodeScalars.append(character)
      }
      index += 1
    }
    if quoted {
      throw ConfigurationError(
        file: file, line: recordLine, message: "a quoted field is not closed")
    }
    if !field.isEmpty || !fields.isEmpty { endRecord() }
    guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
      throw ConfigurationError(file: file, line: nil, message: "the file has no header line")
    }
    var rows: [[String: String]] = []
    var lines: [Int] = []
    for record in records.dropFirst() {
      guard record.fields.count <= header.count else {
        throw ConfigurationError(
          file: file, line: record.line,
          message: "\(record.fields.count) fields, the header has \(header.count)")
      }
      var row: [String: String] = [:]
      for (name, value) in zip(header, record.fields) { row[name] = value }
      rows.append(row)
      lines.append(record.line)
    }
    return CSVTable(header: header, rows: rows, lines: lines)
  }
}
