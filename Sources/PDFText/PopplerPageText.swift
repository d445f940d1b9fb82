import CPoppler
import GCMapCore

/// Turns one poppler page into lines with geometry, in reading order.
///
/// poppler gives the page text and one rectangle per character (1:1 with the text's Unicode
/// scalars) plus font attributes per character range. Lines are poppler's; they are split where
/// a gap wider than a few glyphs shows two cells or columns on one baseline, ordered by
/// `ReadingOrder`, and marked where a block starts (a gap larger than the page's usual leading,
/// a change of column, size or weight). If the rectangles do not match the text, the page falls
/// back to poppler's own order without geometry.
enum PopplerPageText {
  private struct Glyph {
    var scalar: Unicode.Scalar
    var box: Box
    var bold: Bool
  }

  private struct Fragment {
    var box: Box
    var height: Double
    var isVertical: Bool
    var text: String
    var bold: Bool

    /// The fragment as a page's line.
    func line(startsBlock: Bool, table: TableRole? = nil) -> TextLine {
      TextLine(
        text: text, box: box, fontSize: height, isBold: bold, isVertical: isVertical,
        startsBlock: startsBlock, table: table)
    }
  }

  static func read(_ page: OpaquePointer, number: Int) -> Page {
    var width = 0.0
    var height = 0.0
    poppler_page_get_size(page, &width, &height)
    guard let cText = poppler_page_get_text(page) else {
      return Page(number: number, width: width, height: height, lines: [])
    }
    let text = String(cString: cText)
    g_free(cText)
    let scalars = Array(text.unicodeScalars)

    var rectangles: UnsafeMutablePointer<PopplerRectangle>?
    var rectangleCount: guint = 0
    let hasLayout = poppler_page_get_text_layout(page, &rectangles, &rectangleCount) != 0
    defer { if let rectangles { g_free(rectangles) } }
    guard hasLayout, let rectangles, Int(rectangleCount) == scalars.count else {
      return Page(number: number, width: width, height: height, lines: plainLines(text))
    }
    let bold = boldFlags(page, count: scalars.count)

    var glyphs: [Glyph] = []
    glyphs.reserveCapacity(scalars.count)
    // Poppler's lines, as ranges of `glyphs`.
    var lineRanges: [Range<Int>] = []
    var lineStart = 0
    for index in scalars.indices {
      let scalar = scalars[index]
      if scalar == "\n" {
        lineRanges.append(lineStart..<glyphs.count)
        lineStart = glyphs.count
        continue
      }
      let r = rectangles[index]
      let box = Box(
        x0: min(r.x1, r.x2), y0: min(r.y1, r.y2), x1: max(r.x1, r.x2), y1: max(r.y1, r.y2))
      glyphs.append(Glyph(scalar: scalar, box: box, bold: bold[index]))
    }
    lineRanges.append(lineStart..<glyphs.count)
    var scratch: [Double] = []
    var fragments: [Fragment] = []
    for line in lineRanges {
      for part in splitAtWideGaps(glyphs[line], scratch: &scratch) {
        if let fragment = makeFragment(glyphs[part], scratch: &scratch) {
          fragments.append(fragment)
        }
      }
    }
    let horizontal = fragments.filter { !$0.isVertical }
    let vertical = fragments.filter(\.isVertical).sorted {
      ($0.box.x0, $0.box.y0) < ($1.box.x0, $1.box.y0)
    }
    var lines = tableAwareOrder(horizontal)
    lines += markBlocks(vertical)
    return Page(number: number, width: width, height: height, lines: lines)
  }

  /// `fragments` in reading order with their block marks, each table found by `TableLayout`
  /// read in place as one unit: row by row, a row's cells left to right, each row one block
  /// (the column headers marked as such).
  private static func tableAwareOrder(_ fragments: [Fragment]) -> [TextLine] {
    var heights = fragments.map(\.height)
    let tables = TableLayout.find(
      fragments.map(\.box), texts: fragments.map(\.text), bold: fragments.map(\.bold),
      lineHeight: median(&heights))
    guard !tables.isEmpty else {
      return markBlocks(ReadingOrder.order(fragments.map(\.box)).map { fragments[$0] })
    }
    var inTable = Set<Int>()
    for table in tables { inTable.formUnion(table.members) }
    // Each table takes part in the reading order as one box, after the loose lines.
    let loose = fragments.indices.filter { !inTable.contains($0) }
    let boxes = loose.map { fragments[$0].box } + tables.map(\.box)
    var lines: [TextLine] = []
    var run: [Fragment] = []
    for slot in ReadingOrder.order(boxes) {
      if slot < loose.count {
        run.append(fragments[loose[slot]])
        continue
      }
      lines += markBlocks(run)
      run.removeAll()
      let table = tables[slot - loose.count]
      for (rowIndex, row) in table.rows.enumerated() {
        let role: TableRole = rowIndex == 0 && table.hasHeader ? .header : .row
        for (lineIndex, member) in row.flatMap({ $0 }).enumerated() {
          lines.append(fragments[member].line(startsBlock: lineIndex == 0, table: role))
        }
      }
    }
    lines += markBlocks(run)
    return lines
  }

  /// Lines without geometry, for pages whose layout poppler could not give.
  private static func plainLines(_ text: String) -> [TextLine] {
    Page.fromPlainText(text, number: 0).lines
  }

  /// Per character: is its font bold? From poppler's text attributes (character ranges).
  private static func boldFlags(_ page: OpaquePointer, count: Int) -> [Bool] {
    var flags = [Bool](repeating: false, count: count)
    guard let attributes = poppler_page_get_text_attributes(page) else { return flags }
    defer { poppler_page_free_text_attributes(attributes) }
    // A page names few fonts over many ranges: each name is judged once.
    var boldByName: [String: Bool] = [:]
    var node: UnsafeMutablePointer<GList>? = attributes
    while let current = node {
      if let raw = current.pointee.data {
        let attribute = raw.assumingMemoryBound(to: PopplerTextAttributes.self).pointee
        let name = attribute.font_name.map { String(cString: $0) } ?? ""
        let isBold: Bool
        if let known = boldByName[name] {
          isBold = known
        } else {
          let lower = name.lowercased()
          isBold = Self.boldMarkers.contains { lower.contains($0) }
          boldByName[name] = isBold
        }
        if isBold {
          let start = max(0, Int(attribute.start_index))
          let end = min(count - 1, Int(attribute.end_index))
          if start <= end { for index in start...end { flags[index] = true } }
        }
      }
      node = current.pointee.next
    }
    return flags
  }

  private static let boldMarkers = ["bold", "black", "heavy", "semibold", "demi"]

  /// Splits a poppler line where the space between two glyphs is wider than three line
  /// heights: table cells or side-by-side columns that poppler put on one line, on its
  /// baseline or, at a cell's end, on another. Returns
  /// ranges of the line's glyphs; `scratch` is working space reused across lines.
  private static func splitAtWideGaps(
    _ glyphs: ArraySlice<Glyph>, scratch: inout [Double]
  ) -> [Range<Int>] {
    scratch.removeAll(keepingCapacity: true)
    for glyph in glyphs where !glyph.scalar.isSpace { scratch.append(glyph.box.height) }
    guard scratch.count > 1 else { return [glyphs.indices] }
    let lineHeight = median(&scratch)
    var parts: [Range<Int>] = []
    var partStart = glyphs.startIndex
    var lastVisible: Glyph?
    for index in glyphs.indices {
      let glyph = glyphs[index]
      guard !glyph.scalar.isSpace else { continue }
      // Far to the right on the same baseline: another cell or column. Far to the right and
      // on another baseline: poppler ran the end of one cell into the next cell's first line.
      if let previous = lastVisible, glyph.box.x0 - previous.box.x1 > 3 * lineHeight {
        parts.append(partStart..<index)
        partStart = index
      }
      lastVisible = glyph
    }
    parts.append(partStart..<glyphs.endIndex)
    return parts
  }

  private static func makeFragment(_ glyphs: ArraySlice<Glyph>, scratch: inout [Double])
    -> Fragment?
  {
    var visibleCount = 0
    var boldCount = 0
    var box = Box(x0: 0, y0: 0, x1: 0, y1: 0)
    var minX = Double.infinity
    var maxX = -Double.infinity
    var minY = Double.infinity
    var maxY = -Double.infinity
    for glyph in glyphs where !glyph.scalar.isSpace {
      box = visibleCount == 0 ? glyph.box : box.union(glyph.box)
      visibleCount += 1
      if glyph.bold { boldCount += 1 }
      let centerX = (glyph.box.x0 + glyph.box.x1) / 2
      let centerY = (glyph.box.y0 + glyph.box.y1) / 2
      minX = min(minX, centerX)
      maxX = max(maxX, centerX)
      minY = min(minY, centerY)
      maxY = max(maxY, centerY)
    }
    guard visibleCount > 0 else { return nil }
    var start = glyphs.startIndex
    var end = glyphs.endIndex
    while start < end, glyphs[start].scalar.isBlank { start += 1 }
    while end > start, glyphs[end - 1].scalar.isBlank { end -= 1 }
    let text = String(scalars: glyphs[start..<end].lazy.map(\.scalar))
    let isVertical = visibleCount >= 3 && maxY - minY > 2 * max(maxX - minX, 1)
    scratch.removeAll(keepingCapacity: true)
    for glyph in glyphs where !glyph.scalar.isSpace {
      scratch.append(isVertical ? glyph.box.width : glyph.box.height)
    }
    return Fragment(
      box: box, height: median(&scratch), isVertical: isVertical, text: text,
      bold: boldCount * 2 > visibleCount)
  }

  /// Marks where blocks start: a gap clearly larger than the page's usual leading, a jump back
  /// up (next column), a change of size, the end of a short line in another weight, or a
  /// vertical line.
  private static func markBlocks(_ fragments: [Fragment]) -> [TextLine] {
    var leadings: [Double] = []
    for (previous, current) in zip(fragments, fragments.dropFirst())
    where !previous.isVertical && !current.isVertical {
      let gap = current.box.y0 - previous.box.y1
      if gap > -previous.height, gap < 2 * previous.height { leadings.append(gap) }
    }
    let usualLeading = leadings.isEmpty ? 0 : median(leadings)
    var lines: [TextLine] = []
    var previous: Fragment?
    for fragment in fragments {
      var startsBlock = true
      if let previous, !fragment.isVertical, !previous.isVertical {
        let gap = fragment.box.y0 - previous.box.y1
        let sameSize = abs(fragment.height - previous.height) <= 0.25 * previous.height
        let below = fragment.box.y0 > previous.box.y0 + 0.3 * previous.height
        let overlapsX = fragment.box.x0 < previous.box.x1 && fragment.box.x1 > previous.box.x0
        // A change of weight after a short line is a heading; after a full line it is a bold
        // lead-in phrase inside a paragraph, as in the Compact's lettered actions.
        let previousIsShort = previous.box.x1 < fragment.box.x1 - 2 * previous.height
        let headingEnds = fragment.bold != previous.bold && previousIsShort
        startsBlock =
          !below || !overlapsX || !sameSize || headingEnds
          || gap > usualLeading + 0.4 * previous.height
      }
      lines.append(fragment.line(startsBlock: startsBlock))
      previous = fragment
    }
    return lines
  }

  private static func median(_ values: [Double]) -> Double {
    var values = values
    return median(&values)
  }

  /// The upper median, sorting `values` in place.
  private static func median(_ values: inout [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    values.sort()
    return values[values.count / 2]
  }
}
