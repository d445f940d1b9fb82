/// RFC 4180 CSV lines: fields with commas, quotes or line breaks are quoted; lines end in CRLF.
///
/// Text that came from a PDF or a file name goes through `spreadsheetSafe` first (the data
/// files' writers do it for every text cell), so that opening a CSV file in Excel or
/// LibreOffice never runs a formula a hostile PDF wrote.
public enum CSV {
  public static func row(_ fields: [String]) -> String {
    fields.map(field).joined(separator: ",") + "\r\n"
  }

  public static func field(_ value: String) -> String {
    // Byte-wise: these four are ASCII and never part of another character's encoding.
    guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
    else {
      return value
    }
    // Quotes doubled on the bytes: Foundation's replacingOccurrences cost a third of a
    // millisecond a field on Linux.
    var quoted: [UInt8] = [0x22]
    quoted.reserveCapacity(value.utf8.count + 8)
    for byte in value.utf8 {
      if byte == 0x22 { quoted.append(0x22) }
      quoted.append(byte)
    }
    quoted.append(0x22)
    return String(decoding: quoted, as: UTF8.self)
  }

  /// A text cell a spreadsheet shows as text: a cell that begins with `=`, `+`, `-`, `@`, a
  /// tab or a carriage return (what Excel and LibreOffice start a formula or DDE call with)
  /// gets a `'` in front, as OWASP's CSV-injection advice says.
  ///
  /// A cell that begins with `'` gets one more, so that `spreadsheetPlain` gives back exactly
  /// the text written (the review page hashes passages read back from passages.csv). Numbers
  /// are not text cells and are never changed: a score of -0.5 stays a number.
  public static func spreadsheetSafe(_ text: String) -> String {
    switch text.utf8.first {
    // =, +, -, @, tab, carriage return, and ' itself.
    case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D, 0x27: return "'" + text
    default: return text
    }
  }

  /// The text `spreadsheetSafe` was given: one leading `'` removed, if there is one.
  public static func spreadsheetPlain(_ cell: String) -> String {
    cell.utf8.first == UInt8(ascii: "'") ? String(cell.dropFirst()) : cell
  }
}
