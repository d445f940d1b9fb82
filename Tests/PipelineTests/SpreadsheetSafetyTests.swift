import CSVFormat
import Foundation
import TestSupport
import Testing

/// Text from PDFs and file names reaches spreadsheets: no cell of the data files may run as a
/// formula when an analyst opens them in Excel or LibreOffice.
@Suite("Spreadsheet safety")
struct SpreadsheetSafetyTests {
  /// What a spreadsheet starts a formula or a DDE call with.
  static let formulaStarts: [Character] = ["=", "+", "-", "@", "\t", "\r"]

  /// The beginnings the fixture's passages and file names have.
  static let openings = ["=HYPERLINK(", "+1+1", "-2 ", "@SUM(A1)", "\tformula"]

  @Test("Cells that open like formulas get a leading ' in every CSV file; the workbook has strings")
  func formulaCells() throws {
    let input = try folder([("formula-cells.pdf", "\tformula.pdf")])
    // A file that is not a PDF is listed by name in problems.csv.
    try Data("notes".utf8).write(to: input.appendingPathComponent("@notes.txt"))
    let out = outputFolder()
    let result = GCMapBinary.run(["run", input.path, "--out", out.path, "--no-cache"])
    #expect(result.code == 0 || result.code == 2, "\(result.error)")

    var found: Set<String> = []
    for name in ["passages.csv", "coverage.csv", "problems.csv", "regions.csv"] {
      let table = try CSVTable.parse(read(out, name), file: name)
      for row in table.rows {
        for (column, cell) in row {
          if let first = cell.first, Self.formulaStarts.contains(first) {
            // Only numbers may open with a sign.
            #expect(Double(cell) != nil, "\(name), \(column): \(cell.debugDescription)")
          }
          for opening in Self.openings where cell.hasPrefix("'" + opening) {
            found.insert(opening)
            #expect(CSV.spreadsheetPlain(cell).hasPrefix(opening))
          }
        }
      }
      #expect(!table.rows.isEmpty || name == "regions.csv", "\(name) has no rows")
    }
    #expect(found == Set(Self.openings))
    #expect(read(out, "problems.csv").contains("'@notes.txt,skipped"))

    // The workbook holds every text as a string cell (never a formula), without the quote.
    let script = """
      import sys, openpyxl
      book = openpyxl.load_workbook(sys.argv[1] + '/coverage.xlsx')
      found = set()
      for sheet in book.worksheets:
          for row in sheet.iter_rows():
              for cell in row:
                  assert cell.data_type != 'f', (sheet.title, cell.coordinate, cell.value)
                  if isinstance(cell.value, str):
                      for opening in sys.argv[2:]:
                          if cell.value.startswith(opening):
                              assert cell.data_type == 's', (cell.coordinate, cell.data_type)
                              found.add(opening)
      print(len(found), 'of', len(sys.argv) - 2)
      """
    let checked = run("/usr/bin/env", ["python3", "-c", script, out.path] + Self.openings)
    #expect(checked.code == 0, "\(checked.error)")
    #expect(checked.output.hasPrefix("\(Self.openings.count) of \(Self.openings.count)"))
  }

  @Test("The neutralizing quote comes off again, and numbers are never quoted")
  func roundTrip() {
    for text in ["=1+2", "+x", "-", "@a", "\tb", "\rc", "'quoted'", "plain", "", "é=1"] {
      #expect(CSV.spreadsheetPlain(CSV.spreadsheetSafe(text)) == text)
    }
    #expect(CSV.spreadsheetSafe("=1+2") == "'=1+2")
    #expect(CSV.spreadsheetSafe("plain") == "plain")
    #expect(CSV.rows([[.decimal(-0.5), .integer(-2), .text("-2")]]) == "-0.5000,-2,'-2\r\n")
  }
}
