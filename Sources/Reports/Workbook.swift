import CSVFormat
import Foundation

/// A cell of a table written to CSV and to the workbook.
public enum CellValue: Sendable, Equatable {
  case text(String)
  case integer(Int)
  /// Written with four decimals in CSV, as a number in the workbook.
  case decimal(Double)

  var csv: String {
    switch self {
    case .text(let text): return CSV.spreadsheetSafe(text)
    case .integer(let value): return "\(value)"
    case .decimal(let value): return DataFiles.decimal(value)
    }
  }
}

/// A table with a header: one source for a CSV file and a workbook sheet, so the two agree.
///
/// Its rows are held, or made on demand by a generator (the passages of a whole batch, read
/// back from disk document by document) and then never held all at once.
public struct Table: Sendable {
  public var name: String
  public var header: [String]
  private let generate: @Sendable (([CellValue]) throws -> Void) throws -> Void

  public init(name: String, header: [String], rows: [[CellValue]]) {
    self.init(name: name, header: header) { emit in
      for row in rows { try emit(row) }
    }
  }

  /// A table whose rows `generate` passes, in order, to the function it is given.
  public init(
    name: String, header: [String],
    generate: @escaping @Sendable (([CellValue]) throws -> Void) throws -> Void
  ) {
    self.name = name
    self.header = header
    self.generate = generate
  }

  public func forEachRow(_ body: ([CellValue]) throws -> Void) throws {
    try withoutActuallyEscaping(body) { try generate($0) }
  }

  public func csv() throws -> String {
    var out = CSV.row(header.map(CSV.spreadsheetSafe))
    try forEachRow { out += CSV.row($0.map(\.csv)) }
    return out
  }
}

/// Writes tables as an Office Open XML workbook (.xlsx) that Excel, LibreOffice and openpyxl
/// open.
///
/// Written here rather than with a library: a workbook of plain sheets is a few XML parts in
/// a ZIP file. Strings are inline, numbers are numbers, the header row is bold and frozen.
/// The ZIP is deflated with fixed timestamps, so the same tables give the same bytes (with the
/// same zlib), and takes ZIP64 past 4 GiB (see `ZipWriter`). Limits: no formulas, no charts; a cell holds at most 32,767 characters (Excel's
/// limit), longer text is cut with "…".
public enum Workbook {
  /// Writes the workbook to `url` sheet row by sheet row, never holding a whole sheet.
  public static func write(_ tables: [Table], to url: URL) throws {
    try write(tables, to: url, zip64Threshold: 0xFFFF_FFFF)
  }

  /// `zip64Threshold`: see `ZipWriter` (tests lower it to write ZIP64 records on small files).
  static func write(_ tables: [Table], to url: URL, zip64Threshold: UInt64) throws {
    let file = try OutputFile(url)
    var zip = ZipWriter(file, zip64Threshold: zip64Threshold)
    zip.add("[Content_Types].xml", contentTypes(tables.count))
    zip.add(
      "_rels/.rels",
      xmlHeader
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>")
    var sheets = ""
    var relations = ""
    for (index, table) in tables.enumerated() {
      sheets +=
        "<sheet name=\"\(escape(String(table.name.prefix(31))))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
      relations +=
        "<Relationship Id=\"rId\(index + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(index + 1).xml\"/>"
    }
    relations +=
      "<Relationship Id=\"rId\(tables.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
    zip.add(
      "xl/workbook.xml",
      xmlHeader + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>\(sheets)</sheets></workbook>"
    )
    zip.add(
      "xl/_rels/workbook.xml.rels",
      xmlHeader
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(relations)</Relationships>"
    )
    zip.add("xl/styles.xml", styles)
    for (index, table) in tables.enumerated() {
      try zip.add("xl/worksheets/sheet\(index + 1).xml") { write in try sheet(table, write) }
    }
    zip.finish()
    try file.commit()
  }

  static let xmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

  static func contentTypes(_ sheetCount: Int) -> String {
    var parts = ""
    for index in 1...max(1, sheetCount) {
      parts +=
        "<Override PartName=\"/xl/worksheets/sheet\(index).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    }
    return xmlHeader
      + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
      + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
      + parts + "</Types>"
  }

  static let styles =
    xmlHeader + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
    + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
    + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
    + "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>"
    + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
    + "</styleSheet>"

  /// The sheet's XML, passed piece by piece to `write`.
  static func sheet(_ table: Table, _ write: (String) -> Void) throws {
    write(
      xmlHeader + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        + "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        + "<sheetData>")
    write(row(1, table.header.map(CellValue.text), style: 1))
    var number = 1
    try table.forEachRow { values in
      number += 1
      write(row(number, values, style: 0))
    }
    write("</sheetData></worksheet>")
  }

  static func row(_ number: Int, _ values: [CellValue], style: Int) -> String {
    var out = "<row r=\"\(number)\">"
    for (column, value) in values.enumerated() {
      let reference =
        (column < columnNames.count ? columnNames[column] : columnName(column)) + "\(number)"
      let styleAttribute = style > 0 ? " s=\"\(style)\"" : ""
      switch value {
      case .text(let text):
        let clipped =
          text.utf8.count > 32_767 && text.count > 32_767 ? String(text.prefix(32_766)) + "…" : text
        out +=
          "<c r=\"\(reference)\" t=\"inlineStr\"\(styleAttribute)><is><t xml:space=\"preserve\">\(escape(clipped))</t></is></c>"
      case .integer(let integer):
        out += "<c r=\"\(reference)\"\(styleAttribute)><v>\(integer)</v></c>"
      case .decimal(let decimal):
        out += "<c r=\"\(reference)\"\(styleAttribute)><v>\(DataFiles.decimal(decimal))</v></c>"
      }
    }
    return out + "</row>"
  }

  /// The first columns' names, made once: every cell of every row names its column.
  private static let columnNames = (0..<256).map(columnName)

  /// "A", "B", … "Z", "AA", … for a 0-based column.
  static func columnName(_ index: Int) -> String {
    var number = index + 1
    var name = ""
    while number > 0 {
      let remainder = (number - 1) % 26
      name = String(UnicodeScalar(UInt8(65 + remainder))) + name
      number = (number - 1) / 26
    }
    return name
  }

  /// XML escaping; characters XML 1.0 forbids (most controls) are dropped.
  static func escape(_ text: String) -> String {
    // Most text needs no change: no markup characters, no controls, no U+FFFE/U+FFFF (EF BF BE/BF).
    let clean = !text.utf8.contains { byte in
      byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0xEF
        || (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D)
    }
    if clean { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
