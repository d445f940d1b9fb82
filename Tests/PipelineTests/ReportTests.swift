import Foundation
import TestSupport
import Testing

@testable import Reports

@Suite("Reports people read")
struct ReportTests {
  static let run: URL = {
    let out = outputFolder()
    do {
      let input = try folder([
        ("two-column.pdf", "review.pdf"), ("hostile-text.pdf", "hostile.pdf"),
        ("title-ghana.pdf", "ghana.pdf"),
        ("empty.pdf", "empty.pdf"),
      ])
      _ = GCMapBinary.run(["run", input.path, "--out", out.path])
    } catch {
      fatalError("cannot set up the run: \(error)")
    }
    return out
  }()

  @Test("Text from a PDF is inert in report.html: no script, no injected tag")
  func escaping() {
    let html = read(Self.run, "report.html")
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.contains("<img"))
    #expect(!html.contains("<b>markup"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
  }

  @Test("Self-contained: no external address is loaded")
  func selfContained() {
    let html = read(Self.run, "report.html")
    #expect(!html.contains("src=\"http"))
    #expect(!html.contains("href=\"http"))
    #expect(!html.contains("@import"))
    #expect(!html.contains("url("))
  }

  @Test("Every heatmap link lands on evidence with that id, and every document has a row")
  func links() throws {
    let html = read(Self.run, "report.html")
    let targets = Set(html.matches(of: #/href="#(ev-[^"]+)"/#).map { String($0.output.1) })
    let ids = Set(html.matches(of: #/id="(ev-[^"]+)"/#).map { String($0.output.1) })
    #expect(!targets.isEmpty)
    #expect(
      targets.isSubset(of: ids), "links without a target: \(targets.subtracting(ids).sorted())")
    // The mock review's remittance passage is evidence for O20, with its page.
    let anchor = try #require(targets.first { $0.hasSuffix("-O20") })
    let section = try #require(html.range(of: "id=\"\(anchor)\""))
    let evidence = html[section.upperBound...].prefix(3000)
    #expect(evidence.contains("<mark>"))
    #expect(evidence.contains("p. 1)"))
    for heading in [
      "Coverage matrix", "by region", "Objectives and guiding principles", "Documents", "Problems",
      "Method and versions",
    ] {
      #expect(html.contains(heading), "\(heading) missing")
    }
    #expect(html.contains("empty file (0 bytes)"))
  }

  @Test("evidence.md quotes with (Country, p. N) references, Markdown escaped")
  func evidence() {
    let markdown = read(Self.run, "evidence.md")
    #expect(markdown.hasPrefix("# Evidence by objective and guiding principle"))
    #expect(markdown.contains("## O20 Remittances"))
    #expect(markdown.contains("(review, p. 1)"))
    #expect(markdown.contains("\\<img src=x onerror=alert(2)\\> and \\<b\\>markup\\</b\\>"))
    // No "<" without its escaping backslash.
    #expect(markdown.firstMatch(of: #/[^\\]</#) == nil)
  }
}

@Suite("Workbook")
struct WorkbookTests {
  /// Opens coverage.xlsx with Python's openpyxl and compares its Matrix sheet, cell by cell,
  /// with coverage.csv; checks the other sheets are there.
  @Test("coverage.xlsx opens with openpyxl and its matrix equals coverage.csv")
  func matrixEqualsCSV() throws {
    let out = ReportTests.run
    let script = """
      import csv, sys, warnings
      import openpyxl
      warnings.simplefilter('error')
      book = openpyxl.load_workbook(sys.argv[1] + '/coverage.xlsx')
      assert book.sheetnames == ['Matrix', 'Presence', 'Counts', 'Passages', 'Regions'], book.sheetnames
      matrix = [[cell.value for cell in row] for row in book['Matrix'].iter_rows()]
      with open(sys.argv[1] + '/coverage.csv', newline='', encoding='utf-8') as handle:
          table = list(csv.reader(handle))
      assert len(matrix) == len(table), (len(matrix), len(table))
      for got, want in zip(matrix, table):
          assert len(got) == len(want), (len(got), len(want))
          for value, text in zip(got, want):
              if isinstance(value, (int, float)):
                  assert abs(value - float(text)) < 1e-9, (value, text)
              else:
                  assert (value or '') == text, (value, text)
      # The Passages sheet: passages.csv's rows with a label, withheld or reviewed.
      passages = list(book['Passages'].iter_rows(values_only=True))
      with open(sys.argv[1] + '/passages.csv', newline='', encoding='utf-8') as handle:
          rows = list(csv.DictReader(handle))
      labelled = [r for r in rows if r['label'] or r['withheld'] or r['review']]
      assert len(passages) == len(labelled) + 1, (len(passages), len(labelled))
      print('ok', len(matrix) - 1, 'documents')
      """
    let result = run("/usr/bin/env", ["python3", "-c", script, out.path])
    #expect(result.code == 0, "\(result.error)")
    #expect(result.output.hasPrefix("ok 3 documents"))
  }

  @Test(
    "A workbook past the ZIP64 limits (lowered here to 1 KiB) is read whole by zipfile and openpyxl"
  )
  func zip64() throws {
    let folder = outputFolder()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let rows = (0..<3000).map { [CellValue.text("passage \($0) about remittances"), .integer($0)] }
    let table = Table(name: "Passages", header: ["text", "number"], rows: rows)
    var written: [String: String] = [:]
    for (name, threshold) in [("small", UInt64(0xFFFF_FFFF)), ("zip64", 1024)] {
      let url = folder.appendingPathComponent("\(name).xlsx")
      try Workbook.write([table, table], to: url, zip64Threshold: threshold)
      let script = """
        import sys, zipfile, openpyxl
        archive = zipfile.ZipFile(sys.argv[1])
        assert archive.testzip() is None
        print(','.join(str(int(info.file_size >= 1024)) for info in archive.infolist()))
        data = open(sys.argv[1], 'rb').read()
        print(int(b'PK\\x06\\x06' in data), int(b'PK\\x06\\x07' in data))
        book = openpyxl.load_workbook(sys.argv[1], read_only=True)
        rows = list(book['Passages'].iter_rows(values_only=True))
        assert len(rows) == 3001 and rows[3000] == ('passage 2999 about remittances', 2999), rows[-1]
        """
      let result = run("/usr/bin/env", ["python3", "-c", script, url.path])
      #expect(result.code == 0, "\(name): \(result.error)")
      written[name] = result.output
    }
    // Both open the same; only the second has the ZIP64 end records.
    #expect(written["small"]?.hasSuffix("0 0\n") == true, "\(written)")
    #expect(written["zip64"]?.hasSuffix("1 1\n") == true, "\(written)")
    try? FileManager.default.removeItem(at: folder)
  }

  @Test("Column names run A…Z, AA…")
  func columns() throws {
    #expect(["A", "Z", "AA", "AZ", "BA"] == [0, 25, 26, 51, 52].map { Workbook.columnName($0) })
  }
}

@Suite("Table headers")
struct HeaderTests {
  @Test("Every column of passages.csv has a name of its own (readers take columns by name)")
  func uniqueColumns() {
    let header = DataFiles.passagesTable([]).header
    #expect(Set(header).count == header.count, "\(header)")
    #expect(header.contains("document") && header.contains("document_share"))
  }
}
