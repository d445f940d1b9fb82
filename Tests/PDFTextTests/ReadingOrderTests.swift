import GCMapCore
import Testing

@testable import PDFText

@Suite("Reading order")
struct ReadingOrderTests {
  /// Lines of a column: `count` lines from `top`, on a 13-point grid.
  func column(x: Double, top: Double, count: Int, width: Double = 230) -> [Box] {
    (0..<count).map {
      Box(x0: x, y0: top + Double($0) * 13, x1: x + width, y1: top + Double($0) * 13 + 10)
    }
  }

  @Test("Two columns on one baseline grid are read column by column")
  func twoColumns() {
    let left = column(x: 56, top: 100, count: 5)
    let right = column(x: 310, top: 100, count: 5)
    // Interleave them, as poppler might list them.
    let boxes = zip(left, right).flatMap { [$0, $1] }
    let order = ReadingOrder.order(boxes)
    #expect(order == [0, 2, 4, 6, 8, 1, 3, 5, 7, 9])
  }

  @Test("A title across the page comes first, then the columns, then a footer")
  func titleColumnsFooter() {
    let title = Box(x0: 56, y0: 60, x1: 539, y1: 78)
    let footer = Box(x0: 56, y0: 800, x1: 539, y1: 808)
    let boxes =
      [footer] + column(x: 310, top: 100, count: 3) + column(x: 56, top: 100, count: 3) + [title]
    let order = ReadingOrder.order(boxes)
    #expect(order == [7, 4, 5, 6, 1, 2, 3, 0])
  }

  @Test("A heading across the page between two-column sections keeps each section whole")
  func spanningHeadingMidPage() {
    let top = column(x: 56, top: 100, count: 3) + column(x: 310, top: 100, count: 3)
    let heading = [Box(x0: 56, y0: 150, x1: 539, y1: 162)]
    let bottom = column(x: 56, top: 175, count: 3) + column(x: 310, top: 175, count: 3)
    let order = ReadingOrder.order(top + heading + bottom)
    #expect(order == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
  }

  @Test("A grid of short cells in equal columns is a table; two columns of text are not")
  func shortGrid() {
    func line(_ x: Double, _ y: Double, _ width: Double) -> Box {
      Box(x0: x, y0: y, x1: x + width, y1: y + 10)
    }
    // Countries over their scores, three equal columns, then a heading below the grid.
    let boxes = [
      line(56, 460, 50), line(206, 460, 50), line(356, 460, 40),
      line(56, 490, 18), line(206, 490, 18), line(356, 490, 18), line(96, 525, 220),
    ]
    let texts = ["KENYA", "GHANA", "PERU", "0.68", "0.67", "0.65", "Functioning of the desks"]
    let tables = TableLayout.find(
      boxes, texts: texts, bold: Array(repeating: false, count: 7), lineHeight: 10)
    #expect(tables.count == 1)
    #expect(tables.first?.rows.map { $0.map { $0[0] } } == [[0, 1, 2], [3, 4, 5]])
    // Two columns of prose lines on one grid stay text.
    let prose = column(x: 56, top: 100, count: 4) + column(x: 310, top: 100, count: 4)
    let sentences = Array(
      repeating: "the ministry opened two desks for workers going abroad this year", count: 8)
    #expect(
      TableLayout.find(
        prose, texts: sentences, bold: Array(repeating: false, count: 8), lineHeight: 10
      ).isEmpty)
  }

  @Test("A block placed out of order in the stream is read where it stands on the page")
  func streamOrderIgnored() {
    // What poppler did on a real page: the second block came before the first.
    let boxes = [Box(x0: 41, y0: 129, x1: 335, y1: 216), Box(x0: 55, y0: 50, x1: 335, y1: 121)]
    #expect(ReadingOrder.order(boxes) == [1, 0])
  }
}
