import CPoppler
import GCMapCore

/// Turns one poppler page into lines with geometry, in reading order.
///
/// Right-to-left pages (a tenth or more of their letters Arabic or Hebrew) are read from
/// poppler's core text layout instead (`CPopplerLines`: every line, its text in reading order,
/// numbers and Latin words inside kept whole, Arabic marks dropped and letters as their
/// glyphs' presentation forms, which normalization folds), and their lines and columns are
/// ordered on the page's mirror image, right to left.
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

  /// A line as poppler's core text layout gives it (`CPopplerLines`), for pages of
  /// right-to-left text.
  struct CoreLine {
    var box: Box
    var isBold: Bool
    var text: String
  }

  /// The page's lines in reading order. `coreLines` gives the page's lines from poppler's core
  /// layout, asked for only when a tenth or more of the page's letters read right to left.
  static func read(_ page: OpaquePointer, number: Int, coreLines: () -> [CoreLine]?) -> Page {
    var width = 0.0
    var height = 0.0
    poppler_page_get_size(page, &width, &height)
    let glyphs: [Glyph]
    let lineRanges: [Range<Int>]
    let rightToLeft: Int
    switch select(page) {
    case .none:
      return Page(number: number, width: width, height: height, lines: [])
    case .plain(let text):
      return Page(number: number, width: width, height: height, lines: plainLines(text))
    case .glyphs(let selected, let ranges, let rightToLeftLetters):
      glyphs = selected
      lineRanges = ranges
      rightToLeft = rightToLeftLetters
    }
    let letters = rightToLeft > 0 ? glyphs.count(where: { $0.scalar.isAlpha }) : 0
    var fragments: [Fragment] = []
    var readsRightToLeft = false
    if rightToLeft * 10 >= letters, rightToLeft > 0, let lines = coreLines() {
      // poppler-glib reads through selections from a page's top left corner, which lose a
      // right-to-left page's first and last lines and the space after each line's first
      // word; poppler's core layout has every line, in reading order within the line.
      fragments = lines.compactMap(Self.fragment)
      readsRightToLeft = fragments.lazy.flatMap(\.text.unicodeScalars).isMostlyRightToLeft
    } else {
      var scratch: [Double] = []
      for line in lineRanges {
        for part in splitAtWideGaps(glyphs[line], scratch: &scratch) {
          if let fragment = makeFragment(glyphs[part], scratch: &scratch) {
            fragments.append(fragment)
          }
        }
      }
    }
    // A right-to-left page is ordered as its mirror image: columns from the right, lines
    // that end short on the left.
    if readsRightToLeft {
      for index in fragments.indices {
        fragments[index].box = fragments[index].box.mirrored(width: width)
      }
    }
    let horizontal = fragments.filter { !$0.isVertical }
    let vertical = fragments.filter(\.isVertical).sorted {
      ($0.box.x0, $0.box.y0) < ($1.box.x0, $1.box.y0)
    }
    var lines = tableAwareOrder(horizontal)
    lines += markBlocks(vertical)
    if readsRightToLeft {
      for index in lines.indices {
        lines[index].box = lines[index].box?.mirrored(width: width)
      }
    }
    return Page(number: number, width: width, height: height, lines: lines)
  }

  /// What poppler-glib gives for the page's text.
  private enum Selection {
    /// Glyphs with their boxes, in poppler's order (bidirectional controls left out),
    /// poppler's lines as ranges of them, and how many of them are right-to-left letters.
    case glyphs([Glyph], lines: [Range<Int>], rightToLeftLetters: Int)
    /// Text whose boxes poppler could not give.
    case plain(String)
  }

  /// The page's text line by line, with a box per character; nil when the page has no text.
  /// Poppler writes embedding marks around right-to-left runs that have no box: they are
  /// dropped before the text is matched with the boxes.
  private static func select(_ page: OpaquePointer) -> Selection? {
    guard let cText = poppler_page_get_text(page) else { return nil }
    let text = String(cString: cText)
    g_free(cText)
    let scalars = Array(text.unicodeScalars)
    var rectangles: UnsafeMutablePointer<PopplerRectangle>?
    var rectangleCount: guint = 0
    let hasLayout = poppler_page_get_text_layout(page, &rectangles, &rectangleCount) != 0
    defer { if let rectangles { g_free(rectangles) } }
    // Most pages have a box for every character; only text with controls is filtered.
    let hasControls =
      Int(rectangleCount) != scalars.count && scalars.contains { $0.isBidiControl }
    let boxed = hasControls ? scalars.indices.filter { !scalars[$0].isBidiControl } : []
    let boxedCount = hasControls ? boxed.count : scalars.count
    guard hasLayout, let rectangles, Int(rectangleCount) == boxedCount else {
      return .plain(String(scalars: scalars.lazy.filter { !$0.isBidiControl }))
    }
    let bold = boldFlags(page, count: scalars.count)
    var glyphs: [Glyph] = []
    glyphs.reserveCapacity(boxedCount)
    var lineRanges: [Range<Int>] = []
    var lineStart = 0
    var rightToLeftLetters = 0
    for rectangleIndex in 0..<boxedCount {
      let index = hasControls ? boxed[rectangleIndex] : rectangleIndex
      let scalar = scalars[index]
      if scalar.value >= 0x590, scalar.isRightToLeftLetter { rightToLeftLetters += 1 }
      if scalar == "\n" {
        lineRanges.append(lineStart..<glyphs.count)
        lineStart = glyphs.count
        continue
      }
      let r = rectangles[rectangleIndex]
      let box = Box(
        x0: min(r.x1, r.x2), y0: min(r.y1, r.y2), x1: max(r.x1, r.x2), y1: max(r.y1, r.y2))
      glyphs.append(Glyph(scalar: scalar, box: box, bold: bold[index]))
    }
    lineRanges.append(lineStart..<glyphs.count)
    return .glyphs(glyphs, lines: lineRanges, rightToLeftLetters: rightToLeftLetters)
  }

  /// The text without bidirectional controls, in reading order.
  ///
  /// poppler writes a number or Latin word inside right-to-left text as an embedding that
  /// opens with the space and punctuation that follow it in reading order ("الهدف" + LRE +
  /// " :6" + PDF + "تيسير" is "الهدف 6: تيسير"): they are put after the run. In a right-to-left
  /// line, the brackets outside left-to-right runs, and those moved out of them, are
  /// mirrored: poppler gives the glyph drawn, which in right-to-left text is the mirror image
  /// of the bracket written ("(ب)" comes as ")ب("). A run that is a range of two numbers,
  /// which poppler gives last first ("2026-2023"), is put back in order. Limit: brackets
  /// inside a Latin run are left as poppler gives them.
  static func leftToRightRunsMended(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard scalars.contains(where: { $0.isBidiControl }) else { return scalars }
    let rightToLeft = scalars.first == "\u{202B}"
    func written(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
      rightToLeft ? mirrorBrackets[scalar] ?? scalar : scalar
    }
    var result: [Unicode.Scalar] = []
    result.reserveCapacity(scalars.count)
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      guard scalar == "\u{202A}" else {
        if !scalar.isBidiControl { result.append(written(scalar)) }
        index += 1
        continue
      }
      let end = closingPop(in: scalars, openedAt: index)
      let run = scalars[(index + 1)..<end].filter { !$0.isBidiControl }
      let lead = run.prefix { !$0.isAlpha && $0.properties.numericType == nil }
      result += numberRangeInOrder(Array(run.dropFirst(lead.count)))
      result += lead.reversed().map(written)
      index = end + 1
    }
    return result
  }

  /// A right-to-left line that poppler wrote left to right put in reading order.
  ///
  /// poppler takes a page's direction from most of its letters: on a page mostly in Latin or
  /// Cyrillic letters, an Arabic line comes as its right-to-left runs in the order they stand
  /// on the page, left first (the line's end first: "[ويحصل ضحايا]،[عززت الخطة ...]"). A line
  /// whose letters are mostly right to left gets its runs and the text between them in the
  /// reverse order, as a right-to-left line (the text between as left-to-right runs).
  static func rightToLeftBaseRestored(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard scalars.contains("\u{202B}"), scalars.isMostlyRightToLeft else { return scalars }
    var segments: [[Unicode.Scalar]] = []
    var bare: [Unicode.Scalar] = []
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      guard scalar == "\u{202A}" || scalar == "\u{202B}" else {
        if !scalar.isBidiControl { bare.append(scalar) }
        index += 1
        continue
      }
      if !bare.isEmpty { segments.append(["\u{202A}"] + bare + ["\u{202C}"]) }
      bare.removeAll()
      let end = min(closingPop(in: scalars, openedAt: index) + 1, scalars.count)
      segments.append(Array(scalars[index..<end]))
      index = end
    }
    if !bare.isEmpty { segments.append(["\u{202A}"] + bare + ["\u{202C}"]) }
    // A line wholly in one right-to-left embedding is poppler's right-to-left line already.
    if segments.count == 1, scalars.first == "\u{202B}" { return scalars }
    return ["\u{202B}"] + segments.reversed().flatMap { $0 } + ["\u{202C}"]
  }

  /// The index of the pop (PDF) that closes the embedding opened at `index` (embeddings may
  /// nest), or the end of `scalars` if none does.
  static func closingPop(in scalars: [Unicode.Scalar], openedAt index: Int) -> Int {
    var depth = 1
    var end = index + 1
    while end < scalars.count {
      if scalars[end] == "\u{202A}" || scalars[end] == "\u{202B}" { depth += 1 }
      if scalars[end] == "\u{202C}" {
        depth -= 1
        if depth == 0 { return end }
      }
      end += 1
    }
    return scalars.count
  }

  /// Each bracket and its mirror image.
  static let mirrorBrackets: [Unicode.Scalar: Unicode.Scalar] = [
    "(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "«": "»", "»": "«",
    "<": ">", ">": "<", "\u{2039}": "\u{203A}", "\u{203A}": "\u{2039}",
  ]

  /// "2026-2023" as "2023-2026": two numbers joined by a hyphen or a dash, swapped; any
  /// other run as it is.
  static func numberRangeInOrder(_ run: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard let dash = run.firstIndex(where: { "-\u{2013}\u{2014}".unicodeScalars.contains($0) }),
      dash > 0, dash < run.count - 1,
      run[..<dash].allSatisfy(\.isDigit), run[(dash + 1)...].allSatisfy(\.isDigit)
    else { return run }
    return Array(run[(dash + 1)...]) + [run[dash]] + Array(run[..<dash])
  }

  /// A core layout line as a fragment: its text in reading order without bidirectional
  /// controls (`rightToLeftBaseRestored`, `leftToRightRunsMended`), Arabic presentation forms
  /// (the glyphs' own text) as letters (NFKC, as normalization would, so that every later step
  /// sees letters); nil for a line without text.
  private static func fragment(_ line: CoreLine) -> Fragment? {
    let written = rightToLeftBaseRestored(Array(line.text.unicodeScalars))
    let scalars = leftToRightRunsMended(written).map {
      $0 == "\n" ? " " : $0
    }
    let text = String(scalars: scalars).precomposedStringWithCompatibilityMapping.trimmingBlanks
    guard !text.isEmpty, line.box.width > 0 || line.box.height > 0 else { return nil }
    return Fragment(
      box: line.box, height: line.box.height, isVertical: false, text: text,
      bold: line.isBold)
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
    var pitches: [Double] = []
    for (previous, current) in zip(fragments, fragments.dropFirst())
    where !previous.isVertical && !current.isVertical {
      let gap = current.box.y0 - previous.box.y1
      if gap > -previous.height, gap < 2 * previous.height { leadings.append(gap) }
      let pitch = current.box.y0 - previous.box.y0
      if pitch > 0, pitch < 2 * previous.height { pitches.append(pitch) }
    }
    // On a short page (fewer than `fewLines` gaps) the most common values: there a paragraph's
    // or heading's space is as common as a line's, and a median would take it for the usual
    // one. On a longer page the medians, steadier where lines are set at several distances
    // (tables, notes).
    let usualLeading =
      leadings.isEmpty ? 0 : leadings.count < fewLines ? mostCommon(leadings) : median(&leadings)
    // The extra space that marks a paragraph is measured against the line's height, or the
    // page's usual distance from line to line where that is less: boxes taller than the lines
    // are apart (Chinese set in Type 3 fonts, whose boxes are twice the type's size) would
    // hide a paragraph's space and a heading's.
    let usualPitch =
      pitches.isEmpty
      ? Double.infinity : pitches.count < fewLines ? mostCommon(pitches) : median(&pitches)
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
        // Chinese and Japanese text is justified to the column's edge, and its fonts' tall
        // boxes hide the space between paragraphs: a line that ends a sentence well short of
        // the next line's width ends its paragraph.
        let ideographicParagraphEnds =
          previous.text.unicodeScalars.last.map { "。！？".unicodeScalars.contains($0) } == true
          && previous.box.width < 0.85 * fragment.box.width
        startsBlock =
          !below || !overlapsX || !sameSize || headingEnds || ideographicParagraphEnds
          || gap > usualLeading + 0.4 * min(previous.height, usualPitch)
      }
      lines.append(fragment.line(startsBlock: startsBlock))
      previous = fragment
    }
    return lines
  }

  /// Below this many gaps between lines a page's usual leading is its most common one.
  static let fewLines = 12

  /// The most common of `values` (not empty) to the half point, the least of equally common
  /// ones: lines of one paragraph lie the same distance apart to a hundredth of a point.
  private static func mostCommon(_ values: [Double]) -> Double {
    var counts: [Double: Int] = [:]
    for value in values { counts[(value * 2).rounded() / 2, default: 0] += 1 }
    return counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 0
  }

  /// The upper median, sorting `values` in place.
  private static func median(_ values: inout [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    values.sort()
    return values[values.count / 2]
  }
}
